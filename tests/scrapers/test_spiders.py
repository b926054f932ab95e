"""The spiders crawl fixture pages on a loopback server exactly as they would the real sites."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from pipelines.items import ScrapedItem
from scrapers.parsing import parse_article, parse_markdown
from tests.scrapers.conftest import FIXTURES

SCRAPY_DIR = Path(__file__).resolve().parents[2] / "scrapers"
# Politeness stays on (robots.txt, AutoThrottle); only the waits are shortened for loopback.
FAST = [
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "AUTOTHROTTLE_START_DELAY=0.01",
    "-s",
    "HTTPCACHE_ENABLED=False",
]


def crawl(spider: str, urls: list[str], out_dir: Path) -> tuple[list[dict[str, object]], str]:
    """`scrapy crawl` as a data scientist runs it; the feed goes to out_dir/<spider>.jsonl."""
    root = str(SCRAPY_DIR.parent)
    env = os.environ | {
        "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "FEEDBACKFIRST_SCRAPED_DIR": str(out_dir),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            spider,
            "-a",
            "start_urls=" + ",".join(urls),
            *FAST,
        ],
        cwd=SCRAPY_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    out = out_dir / f"{spider}.jsonl"
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line]
    return rows, done.stderr


def stat(log: str, name: str) -> int:
    match = re.search(rf"'feedbackfirst/{name}': (\d+)", log)
    return int(match.group(1)) if match else 0


def test_markdown_spider_reads_both_list_shapes_and_obeys_robots(fixture_site, tmp_path):
    base, requested = fixture_site
    urls = [f"{base}/raw/theory.md", f"{base}/raw/ru_details.md", f"{base}/private/secret.md"]
    rows, log = crawl("github_markdown", urls, tmp_path)

    items = [ScrapedItem.model_validate(row) for row in rows]
    questions = {item.question: item for item in items}
    assert "/robots.txt" in requested
    assert "/private/secret.md" not in requested
    assert "What does supervised learning mean?" in questions
    assert questions["What does supervised learning mean?"].level_hint == "junior"
    assert questions["What does supervised learning mean?"].section == "Supervised learning"
    assert "bootstrap samples" in (
        questions["How is a decision tree different from a random forest?"].answer or ""
    )
    assert (
        questions[
            "Which regularisation would you pick for a model with thousands of sparse features?"
        ].answer
        is None
    )
    assert questions["Зачем нужна кросс-валидация?"].answer is None
    assert "бутстрэп" in (questions["Чем бэггинг отличается от бустинга?"].answer or "")
    assert all(item.spider == "github_markdown" for item in items)
    # "**Why?**" is found on the page but fails the schema: dropped and counted, not written.
    assert "Why" not in questions
    assert stat(log, "items_dropped") == 1
    assert stat(log, "items_valid") == len(items)


def test_habr_spider_follows_interview_articles_only(fixture_site, tmp_path):
    base, requested = fixture_site
    rows, _ = crawl("habr", [f"{base}/habr/listing.html"], tmp_path)

    questions = {row["question"]: row for row in rows}
    assert "/habr/articles/gpu_cluster.html" not in requested
    assert "/habr/listing_page2.html" in requested
    assert "Что такое утечка данных и как её заметить?" in questions
    assert "недоступная" in str(questions["Что такое утечка данных и как её заметить?"]["answer"])
    assert "мажорный" in str(
        questions["Почему accuracy плохо подходит для несбалансированных классов?"]["answer"]
    )
    assert questions["Как выбрать число кластеров в k-means?"]["answer"] is None
    assert questions["Чем BPE-токенизация лучше токенизации по словам?"]["source_url"].endswith(
        "nlp_interview.html"
    )
    assert "Зачем нам столько видеокарт для обучения?" not in questions


def test_politeness_defaults():
    from scrapy.utils.project import get_project_settings

    cwd = Path.cwd()
    os.chdir(SCRAPY_DIR)
    try:
        settings = get_project_settings()
    finally:
        os.chdir(cwd)
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getbool("HTTPCACHE_ENABLED")
    assert "@" in settings.get("USER_AGENT")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1


def test_parsers_on_fixture_files():
    parsed = parse_markdown((FIXTURES / "raw" / "theory.md").read_text(encoding="utf-8"))
    assert [p.level_hint for p in parsed][:3] == ["junior", "middle", "junior"]
    title, found = parse_article(
        (FIXTURES / "habr" / "articles" / "ml_interview.html").read_text(encoding="utf-8")
    )
    assert title and "собеседований" in title
    assert len(found) == 4
