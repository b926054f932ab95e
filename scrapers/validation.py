"""Item pipeline: every item must pass the ScrapedItem schema; the rest are dropped and counted."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from pipelines.items import ScrapedItem


class ValidateItems:
    """Validates with pydantic; counts valid and dropped items in the crawl stats."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidateItems:
        return cls(crawler)

    def process_item(self, item: Any) -> dict[str, Any]:
        spider = self.crawler.spider
        stats = self.crawler.stats
        name = spider.name if spider is not None else "unknown"
        try:
            model = ScrapedItem.model_validate(dict(item) | {"spider": name})
        except ValidationError as exc:
            if stats is not None:
                stats.inc_value("feedbackfirst/items_dropped")
            raise DropItem(f"invalid item: {exc.errors()[0]['msg']}") from exc
        if stats is not None:
            stats.inc_value("feedbackfirst/items_valid")
        return model.model_dump(mode="json")
