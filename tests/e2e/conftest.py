"""Browser fixtures: Debian's Chromium driven by Playwright's sync API against `live_server`.

Playwright's own browser download is never used (no `playwright install`): the tests launch
/usr/bin/chromium. Without it they are skipped locally, but in CI (CI set) they fail, so a
missing browser can never pass silently.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("LANTOA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 15_000


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no", "off"}


def _unavailable(reason: str) -> None:
    if in_ci():
        pytest.fail(f"{reason} (CI is set: the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is pinned in requirements-dev.txt
        _unavailable("playwright is not installed (pip install -r requirements-dev.txt)")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as error:
        playwright.stop()
        _unavailable(f"Chromium at {CHROMIUM} did not start: {error}")
    yield browser
    browser.close()
    playwright.stop()


@dataclass
class Console:
    """What the page said on its console, and errors thrown by its scripts."""

    messages: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)  # securitypolicyviolation events

    def csp_violations(self) -> list[str]:
        logged = [m for m in self.messages if "content security policy" in m.lower()]
        return logged + self.violations


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def page(browser, live_server, console: Console) -> Iterator[object]:
    """A fresh browser context (no cookies) on the live server, in Vietnamese."""
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    # Report CSP violations from the page itself too, not only from the console's wording.
    # (Init scripts come from the browser's debugging protocol, outside the page's policy.)
    context.expose_binding(
        "lantoaCspViolation", lambda _source, text: console.violations.append(text)
    )
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', (e) =>"
        " window.lantoaCspViolation(`${e.violatedDirective} ${e.blockedURI}`));"
    )
    page = context.new_page()
    page.on("console", lambda message: console.messages.append(message.text))
    page.on("pageerror", lambda error: console.errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def login(page, password):
    """Log a user in through the login form, as a person would."""

    def login(user) -> None:
        page.goto("/accounts/login/")
        page.fill("#id_username", user.get_username())
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("form.form button[type=submit]")
        assert "/accounts/login/" not in page.url, "the login form did not accept the user"

    return login
