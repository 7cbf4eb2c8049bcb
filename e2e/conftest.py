"""Browser tests: Playwright (Python) driving Debian's Chromium against pytest-django's live server."""

import json
import os
import re
import socket
import threading
import time
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect, sync_playwright

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests make
# there are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).parent / "screenshots"
# Without the background-networking flags Chromium keeps trying hosts this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = ViewportSize(width=390, height=844)
DESKTOP = ViewportSize(width=1280, height=900)
CALL_FAILED = pytest.StashKey[bool]()
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# The impacts that fail a page; "minor" and "moderate" ones are left to judgement.
AXE_FAILING_IMPACTS = frozenset({"serious", "critical"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember whether the test body failed, so that its pages are photographed for the reader."""
    report = yield
    if call.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Per module, not per session: while Playwright's sync API is started its event loop counts as
    # running in this thread, and pytest-django runs the non-transactional browser tests (those
    # of a module-wide world) before the transactional ones, whose async tests would then fail.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def new_context(browser: Browser, viewport: ViewportSize, *, mobile: bool, **options: Any) -> BrowserContext:
    context = browser.new_context(
        viewport=viewport,
        device_scale_factor=2 if mobile else 1,
        is_mobile=mobile,
        has_touch=mobile,
        locale="zh-CN",  # a villager's phone asks for Chinese
        timezone_id="Asia/Shanghai",
        **options,
    )
    context.set_default_timeout(15_000)
    return context


def _page(
    request: pytest.FixtureRequest, browser: Browser, viewport: ViewportSize, *, mobile: bool
) -> Iterator[Page]:
    context = new_context(browser, viewport, mobile=mobile)
    page = context.new_page()
    yield page
    if request.node.stash.get(CALL_FAILED, False):
        test = re.sub(r"[^\w-]+", "-", request.node.name)
        screenshot(page, f"failed-{test}-{'phone' if mobile else 'desktop'}")
    context.close()


@pytest.fixture
def phone_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """A phone-sized page, asking for Chinese as a villager's phone does; photographed
    as e2e/screenshots/failed-<test>-phone.png if the test fails."""
    yield from _page(request, browser, PHONE, mobile=True)


@pytest.fixture
def desktop_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    yield from _page(request, browser, DESKTOP, mobile=False)


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# Text with Chinese in it and no Latin letters: an element our zh-Hans catalogue translated.
CHINESE_ONLY = re.compile(r"^[^A-Za-z]*[\u4e00-\u9fff][^A-Za-z]*$")
ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{2,}")
# The brand may stay in Latin letters.
LATIN_ON_PURPOSE = {"villagegov"}


def expect_chinese_page(page: Page, *, allow: frozenset[str] = frozenset()) -> None:
    """The page says it is Chinese and shows no English word a villager would have to read
    (holds once the zh-Hans catalogue is complete; lists the words left in English)."""
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    # Text marked as another language (the switch to English names itself so) is not ours to translate.
    text = page.evaluate(
        """() => {
            const body = document.body.cloneNode(true);
            body.querySelectorAll('[lang]:not([lang^="zh"])').forEach((el) => el.remove());
            return body.innerText;
        }"""
    )
    english = sorted(set(ENGLISH_WORD.findall(text)) - LATIN_ON_PURPOSE - allow)
    assert not english, f"{page.url} still shows English: {english}"


def axe_context(browser: Browser, viewport: ViewportSize, *, mobile: bool) -> BrowserContext:
    """A context for axe's checks: the Content-Security-Policy (script-src 'self') would refuse the
    injected script, so this context alone bypasses it."""
    return new_context(browser, viewport, mobile=mobile, bypass_csp=True)


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it stands (WCAG 2.x A and AA, and
    axe's best practices; color-contrast included)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    checked = {
        rule["id"]
        for kind in ("violations", "passes", "incomplete", "inapplicable")
        for rule in results[kind]
    }
    assert "color-contrast" in checked, "axe-core did not check the colour contrast"
    return [v for v in results["violations"] if v.get("impact") in AXE_FAILING_IMPACTS]


def axe_report(violations: list[dict[str, Any]]) -> str:
    """One readable line per violation and element: rule, impact, CSS target, what to do."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            target = " ".join(json.dumps(selector, ensure_ascii=False) for selector in node["target"])
            lines.append(f"{violation['id']} ({violation['impact']}) at {target}: {violation['help']}")
            summary = node.get("failureSummary", "").replace("\n", " ").strip()
            if summary:
                lines.append(f"    {summary}")
    return "\n".join(lines)


def expect_accessible(page: Page) -> None:
    """Fail, with a readable list, on any serious or critical axe-core violation."""
    violations = axe_violations(page)
    assert not violations, f"{page.url} has accessibility violations:\n{axe_report(violations)}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def asgi_server() -> Iterator[str]:
    """daphne serving villagegov.asgi.application in a daemon thread; its base URL.

    A WebSocket needs an ASGI server, which pytest-django's `live_server` (WSGI) is not;
    channels' ChannelsLiveServerTestCase starts daphne in another process, which cannot see the
    in-memory SQLite test database. So daphne runs here, in a thread of the test process, on a free
    port: it shares the test database (SQLite's shared in-memory cache, or PostgreSQL) and the
    in-memory channel layer with the services the test calls. Twisted's reactor cannot be restarted,
    so the server is started once per test run (session-scoped) and left to die with the process."""
    from channels.routing import ProtocolTypeRouter
    from daphne.server import Server  # installs Twisted's asyncio reactor on import
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from villagegov.asgi import application, django_asgi_app

    # The project's application, with static files served from the finders as runserver does.
    served = ProtocolTypeRouter(
        {
            "http": ASGIStaticFilesHandler(django_asgi_app),
            "websocket": application.application_mapping["websocket"],
        }
    )
    port = _free_port()
    server = Server(
        application=served,
        endpoints=[f"tcp:port={port}:interface=127.0.0.1"],
        signal_handlers=False,
        verbosity=0,
    )
    threading.Thread(target=server.run, name="daphne", daemon=True).start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        raise RuntimeError("daphne did not start")
    yield f"http://127.0.0.1:{port}"
