"""Habr articles with ML interview questions: a hub listing filtered by title, then each article."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from scrapers.parsing import parse_article
from scrapers.spiders import urls_argument

DEFAULT_URLS = ["https://habr.com/ru/hubs/machine_learning/articles/"]
# Listing titles worth opening: the article must be about interview questions.
TITLE_WORDS = ("собеседован", "интервью", "interview", "вопрос")
MAX_LISTING_PAGES = 5


class HabrSpider(scrapy.Spider):
    name = "habr"
    allowed_domains = ["habr.com", "127.0.0.1", "localhost"]

    def __init__(self, start_urls: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = urls_argument(start_urls, DEFAULT_URLS)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """A listing page links to articles; an article page holds the questions."""
        if response.css("#post-content-body, .article-formatted-body"):
            yield from self.parse_article(response)
            return
        for link in response.css("a.tm-title__link"):
            title = " ".join(link.css("::text").getall()).lower()
            href = link.attrib.get("href")
            if href and any(word in title for word in TITLE_WORDS):
                yield response.follow(href, callback=self.parse_article)
        page = int(response.meta.get("listing_page", 1))
        next_page = response.css("a#pagination-next-page::attr(href)").get()
        if next_page and page < MAX_LISTING_PAGES:
            yield response.follow(next_page, meta={"listing_page": page + 1})

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        title, questions = parse_article(response.text)
        for found in questions:
            yield {
                "question": found.question,
                "answer": found.answer,
                "section": found.section or title,
                "level_hint": found.level_hint,
                "source_url": response.url,
            }
