"""Browser tests: Playwright (Python) driving Debian's Chromium against pytest-django's live server."""

import os
import re
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright

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


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _page(
    request: pytest.FixtureRequest, browser: Browser, viewport: ViewportSize, *, mobile: bool
) -> Iterator[Page]:
    context = browser.new_context(
        viewport=viewport,
        device_scale_factor=2 if mobile else 1,
        is_mobile=mobile,
        has_touch=mobile,
        locale="zh-CN",  # a villager's phone asks for Chinese
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(15_000)
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
