"""Markdown lists of interview questions in public GitHub repositories, read as raw files."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from scrapers.parsing import parse_markdown
from scrapers.spiders import urls_argument

DEFAULT_URLS = [
    # English: theory questions with community answers and 👶/⭐️/🚀 levels.
    "https://raw.githubusercontent.com/alexeygrigorev/data-science-interviews/master/theory.md",
    # Russian: <details> blocks with a question in <summary> and an answer inside.
    "https://raw.githubusercontent.com/Lisstrange/interviews/master/machine_learning/README.md",
    "https://raw.githubusercontent.com/Lisstrange/interviews/master/statistic/README.md",
]


class GithubMarkdownSpider(scrapy.Spider):
    name = "github_markdown"
    allowed_domains = ["raw.githubusercontent.com", "127.0.0.1", "localhost"]

    def __init__(self, start_urls: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = urls_argument(start_urls, DEFAULT_URLS)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[dict[str, Any]]:
        for found in parse_markdown(response.text):
            yield {
                "question": found.question,
                "answer": found.answer,
                "section": found.section,
                "level_hint": found.level_hint,
                "source_url": response.url,
            }
