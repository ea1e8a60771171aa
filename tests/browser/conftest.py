"""Browser tests: Playwright for Python driving a Chromium found on this machine.

The Chromium is `CHROMIUM_PATH`, else the system's (`chromium`, `chromium-browser`, `google-chrome`),
else one Playwright installed (`playwright install chromium`). Without any, the tests skip and say
why; `.ci/run` installs Debian's `chromium` and sets `BROWSER_TESTS_REQUIRED=1`, under which a
missing Chromium fails instead, so CI never skips them. Screenshots go to `artifacts/browser/`.
"""

import os
import shutil
from functools import cache
from pathlib import Path

import pytest
from django.db import connections

SYSTEM_CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"


@cache
def find_chromium() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    for name in SYSTEM_CHROMIUMS:
        found = shutil.which(name)
        if found:
            return found
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        bundled = playwright.chromium.executable_path
    return bundled if bundled and os.access(bundled, os.X_OK) else None


def _chromium() -> str:
    executable = find_chromium()
    if executable is None:
        reason = (
            "no Chromium found (CHROMIUM_PATH, chromium on PATH, or `.venv/bin/playwright install chromium`);"
            " .ci/run installs one"
        )
        if os.environ.get("BROWSER_TESTS_REQUIRED") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return executable


@pytest.fixture
def browser(monkeypatch):
    """A Chromium per test. Playwright's sync API keeps an event loop in the test thread while the
    tests' ORM calls stay synchronous: allowed for these tests only (`check --deploy` refuses it)."""
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
        # Playwright switches greenlets, and Django's connections are per context: the ones the
        # test opened here are invisible to pytest-django's teardown, which would leave them open.
        connections.close_all()


@pytest.fixture
def page(browser, settings):
    # The live server speaks plain HTTP; secure-only cookies would never come back.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
