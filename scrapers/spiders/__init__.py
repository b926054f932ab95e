"""The spiders; each accepts `-a start_urls=url1,url2` to read other pages of the same shape."""

from __future__ import annotations

from typing import Any


def urls_argument(value: Any, default: list[str]) -> list[str]:
    """Start URLs from a spider argument (a list or a comma-separated string), else the default."""
    if value is None:
        return list(default)
    if isinstance(value, str):
        return [url.strip() for url in value.split(",") if url.strip()]
    return [str(url) for url in value]
