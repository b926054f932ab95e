"""Scrapy project: spiders for public lists of ML interview questions (run from scrapers/)."""
