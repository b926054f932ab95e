"""One headless Debian Chromium per browser test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.e2e.support import CHROMIUM, CHROMIUM_ARGS


# Per module: Playwright's sync API keeps an event loop running while the browser is open,
# which would break asyncio.run() in the tests that come after.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
