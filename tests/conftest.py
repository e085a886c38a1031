"""Fixtures shared by the real-browser tests (see tests/browser.py)."""
import pytest

from tests import browser


@pytest.fixture(scope="module")
def chromium():
    browser.require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = browser.launch_browser(p)
        yield b
        b.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()
