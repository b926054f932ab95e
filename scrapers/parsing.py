"""Pure parsers of the page shapes the spiders read: markdown question lists and article HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsel import Selector

# Difficulty marks used by public lists (alexeygrigorev/data-science-interviews: 👶 ⭐️ 🚀).
LEVEL_MARKS = {"👶": "junior", "⭐": "middle", "🚀": "senior"}
_BOLD_QUESTION = re.compile(r"^\*\*(?P<q>[^*]+?)\*\*\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+(?P<title>.+?)\s*#*\s*$")
_SUMMARY = re.compile(r"<summary>\s*(?:<b>)?(?P<q>.*?)(?:</b>)?\s*</summary>", re.S)
_DETAILS = re.compile(r"<details>(?P<body>.*?)</details>", re.S)
_TAG = re.compile(r"<[^>]+>")
_MARKS = re.compile("[👶⭐🚀\ufe0f]")


@dataclass(frozen=True)
class Parsed:
    question: str
    answer: str | None
    section: str | None
    level_hint: str | None


def _level(text: str) -> str | None:
    return next((level for mark, level in LEVEL_MARKS.items() if mark in text), None)


def _strip_html(text: str) -> str:
    return re.sub(r"[ \t]+", " ", _TAG.sub(" ", text)).strip()


def _answer(lines: list[str]) -> str | None:
    text = "\n".join(line.rstrip() for line in lines).strip()
    text = _strip_html(text.replace("<br/>", "\n").replace("<br />", "\n"))
    return text or None


def parse_markdown(text: str) -> list[Parsed]:
    """Questions of a markdown list: `**question?**` blocks or `<details><summary>` blocks."""
    if "<details>" in text:
        return _parse_details(text)
    found: list[Parsed] = []
    section: str | None = None
    question: str | None = None
    body: list[str] = []

    def flush() -> None:
        if question is not None:
            found.append(
                Parsed(_MARKS.sub("", question).strip(), _answer(body), section, _level(question))
            )

    for line in text.splitlines():
        heading = _HEADING.match(line)
        bold = _BOLD_QUESTION.match(line.strip())
        if heading:
            flush()
            question, body = None, []
            section = heading.group("title").strip()
        elif bold and "?" in bold.group("q"):
            flush()
            question, body = bold.group("q"), []
        elif question is not None:
            body.append(line)
    flush()
    return found


def _parse_details(text: str) -> list[Parsed]:
    found: list[Parsed] = []
    for block in _DETAILS.finditer(text):
        summary = _SUMMARY.search(block.group("body"))
        if summary is None:
            continue
        question = _strip_html(summary.group("q"))
        rest = block.group("body")[summary.end() :]
        found.append(Parsed(question, _answer(rest.splitlines()), None, _level(question)))
    return found


def parse_article(html: str) -> tuple[str | None, list[Parsed]]:
    """Title and questions of an article: headings or bold paragraphs or list items ending in '?'."""
    page = Selector(text=html)
    title = page.css("h1 span::text, h1::text").get()
    body = page.css("#post-content-body, .article-formatted-body, article")
    if not body:
        return title, []
    found: list[Parsed] = []
    section: str | None = None
    question: str | None = None
    answer: list[str] = []

    def flush() -> None:
        if question is not None:
            found.append(Parsed(question, "\n".join(answer).strip() or None, section, None))

    for node in body[0].xpath(".//h2|.//h3|.//h4|.//p|.//li"):
        tag = node.root.tag
        text = " ".join(" ".join(node.css("::text").getall()).split())
        if not text:
            continue
        strong = " ".join(" ".join(node.css("strong ::text, b ::text").getall()).split())
        if tag in {"h2", "h3", "h4"} and not text.endswith("?"):
            flush()
            question, answer = None, []
            section = text
        elif (tag in {"h2", "h3", "h4"} or (tag == "p" and strong == text)) and text.endswith("?"):
            flush()
            question, answer = text, []
        elif tag == "li" and text.endswith("?") and node.xpath("ancestor::li") == []:
            flush()
            found.append(Parsed(text, None, section, None))
            question, answer = None, []
        elif question is not None and tag in {"p", "li"}:
            answer.append(text)
    flush()
    return title, found
