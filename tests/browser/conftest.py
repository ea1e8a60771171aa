"""Browser tests: Playwright for Python driving Debian's Chromium (no browser download).

The set-up installs Debian's `chromium` package when it is missing (the test machines run
as root); screenshots go to `artifacts/browser/`.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"




def _ensure_chromium() -> str:
    if not os.path.exists(CHROMIUM):
        if os.geteuid() != 0 or not shutil.which("apt-get"):
            pytest.fail("Debian's chromium is required: apt-get install chromium")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env, capture_output=True)
    return CHROMIUM


@pytest.fixture
def browser(monkeypatch):
    """A Chromium per test. Playwright's sync API keeps an event loop in the test thread while the
    tests' ORM calls stay synchronous: allowed for these tests only (`check --deploy` refuses it)."""
    from playwright.sync_api import sync_playwright

    executable = _ensure_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
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
