"""Real-browser fixtures: the app served over HTTP (CSRF on) and driven by headless Chromium.

One Chromium for the whole session; a fresh browser context (cookies, storage) for each test.
Pages keep the app's real Content-Security-Policy: axe is run through DevTools, which the CSP
does not govern, and any CSP violation or uncaught script error a page reports fails its test.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, expect, sync_playwright
from werkzeug.serving import make_server

from programme.extensions import db
from tests.builders import DEFAULT_PASSWORD
from tests.conftest import make_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# The WCAG 2.2 AA rule sets (2.2 adds only AA rules to axe: there is no 'wcag22a' tag).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 5_000
expect.set_options(timeout=TIMEOUT_MS)


def _unavailable(missing: str, skipped: str, remedy: str) -> None:
    """A missing browser tool fails the run in CI and skips (visibly, with `-ra`) elsewhere."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{missing}: required when CI=true ({remedy})", pytrace=False)
    pytest.skip(f"{missing}: {skipped} ({remedy})")


# ----------------------------------------------------------------------------- the served app


@pytest.fixture
def live_settings() -> dict:
    """Settings for the served app; a test module overrides this fixture to change them."""
    return {}


@pytest.fixture
def live_server(
    app, _migrated: str, request: pytest.FixtureRequest, live_settings: dict
) -> Iterator[str]:
    """Serve the app over HTTP on a free port, on the emptied test database; yield its base URL.

    `app` (tests/conftest.py) empties the tables and holds an app context for the builders; the
    served app is a second app on the same database with CSRF protection ENABLED, as in
    production, so every form the browser submits proves it carries its token. A test that also
    uses `smtp_server` gets a served app that sends its mail there too.
    """
    mail = {}
    if "smtp_server" in request.fixturenames:
        mail = request.getfixturevalue("smtp_server").settings()
    served = make_app(_migrated, WTF_CSRF_ENABLED=True, **mail, **live_settings)
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="live-server", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with served.app_context():
            db.engine.dispose()  # before `app` empties the tables (PostgreSQL TRUNCATE locks)


# ----------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        _unavailable(
            f"Chromium not installed at {CHROMIUM}",
            "browser tests skipped",
            "apt-get install chromium chromium-driver",
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A new page in its own browser context, addressed relative to the live server."""
    context = browser.new_context(base_url=live_server, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(f"CSP violation on {page.url}: {message.text}")

    def on_page_error(error: Error) -> None:
        problems.append(f"Uncaught script error on {page.url}: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    yield page
    context.close()
    if problems:
        pytest.fail("The browser reported problems:\n" + "\n".join(problems), pytrace=False)


# ----------------------------------------------------------------------------- helpers


def sign_in_through_form(page: Page, user, password: str = DEFAULT_PASSWORD) -> None:
    """Sign `user` in through the real login form, as a person would."""
    page.goto("/login")
    page.get_by_label("E-mail address", exact=True).fill(user.email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_text(f"Signed in as {user.name}")).to_be_visible()


def page_width(page: Page) -> int:
    """The page's scroll width once it has loaded: measured earlier (straight after a click that
    navigates), the stylesheet may not apply yet and an unstyled table reads as overflow."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth")


@lru_cache(maxsize=1)
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def assert_accessible(page: Page) -> None:
    """Run axe-core's WCAG 2.2 AA rules on the page; fail on any serious or critical violation.

    The app's CSP forbids inline scripts, so `add_script_tag(content=...)` is blocked; the source
    is evaluated through DevTools instead (`page.evaluate`), which the CSP does not govern.
    """
    if not AXE.exists():
        _unavailable(f"axe-core not installed at {AXE}", "accessibility check skipped", "npm ci")
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: tags, resultTypes: ['violations']})", WCAG_TAGS
    )
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        pytest.fail(_describe(page, blocking), pytrace=False)


def _describe(page: Page, violations: list[dict]) -> str:
    lines = [f"Accessibility violations on {page.url} ({page.title()!r}):"]
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {target}: {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)
