"""Polite defaults: robots.txt, AutoThrottle, one request at a time per site, an HTTP cache."""

from __future__ import annotations

import os
from pathlib import Path

BOT_NAME = "feedbackfirst"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"

# A contact in the user agent lets site owners reach us instead of blocking blindly.
USER_AGENT = (
    "FeedbackFirstBot/0.1 (+https://github.com/feedbackfirst/feedbackfirst; data@feedbackfirst.dev)"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 4
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_TIMES = 2
# Pages are fetched once a day at most: reruns while developing hit the cache, not the site.
HTTPCACHE_ENABLED = True
HTTPCACHE_EXPIRATION_SECS = 24 * 3600
HTTPCACHE_DIR = "httpcache"
HTTPCACHE_IGNORE_HTTP_CODES = [429, 500, 502, 503, 504]

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "scrapers.robots.StrictRobotsTxtMiddleware": 100,
}
ITEM_PIPELINES = {"scrapers.validation.ValidateItems": 100}

# One JSON-lines file per spider under data/raw/scraped (tracked by DVC in data.dvc).
SCRAPED_DIR = Path(
    os.environ.get("FEEDBACKFIRST_SCRAPED_DIR")
    or Path(__file__).resolve().parents[1] / "data" / "raw" / "scraped"
)
FEEDS = {
    str(SCRAPED_DIR / "%(name)s.jsonl"): {
        "format": "jsonlines",
        "encoding": "utf8",
        "overwrite": True,
    }
}
FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"
