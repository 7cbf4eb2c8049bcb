"""Issue 8: every main page, at phone and at desktop width, opened by the user who would open it,
passes axe-core's checks (no serious or critical violation: WCAG 2.x A and AA, colour contrast
included) and, on a phone, is readable for an older villager: 18px type at least; buttons, fields,
the labels of tick boxes and the links that act as buttons at least 44px high; badges in words and
chart bars with their figures, never colour alone.

One world for the module: the demo village with a meeting under way (e2e/demo_world.py), served by
daphne so that the live pages connect as they do in the hall."""

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect
from pytest_django import DjangoDbBlocker

from e2e.conftest import DESKTOP, PHONE, axe_context, expect_accessible, screenshot
from e2e.demo_world import (
    Contexts,
    DemoWorld,
    contexts_by_user,
    database_emptied,
    demo_world_build,
    world_pages,
)

PAGES = [
    "home",
    "login",
    "dashboard",
    "session-list",
    "session-live-voter",
    "session-live-chair",
    "hall",
    "poll-result",
    "minutes",
    "topic-list",
    "topic-detail",
    "supervision-dashboard",
    "review",
    "finding-list",
    "disclosure-board",
    "person-list",
    "collective-dashboard",
    "member-list",
    "asset-list",
    "voucher-list",
    "voucher",
    "trial-balance",
    "distribution",
    "my-shares",
    "notifications",
    "audit-log",
]
WIDTHS = {"phone": (PHONE, True), "desktop": (DESKTOP, False)}
# Each test reads the module's world (committed before it) in a transaction rolled back after it.
pytestmark = pytest.mark.django_db
MIN_FONT_PX = 18
MIN_TARGET_PX = 44
# What a villager taps: every control, the navigation, and the links that stand as buttons or cards
# (a link inside running text or a table cell is read, not aimed at, and is exempt as WCAG 2.5.8 allows).
TARGETS = (
    "button, input:not([type=hidden]), select, textarea, summary, "
    "nav a, a.button, a.card-link, .actions a, .pagination a"
)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoWorld]:
    with django_db_blocker.unblock():
        try:
            yield demo_world_build()
        finally:
            database_emptied()


@pytest.fixture(scope="module")
def pages(world: DemoWorld) -> dict[str, tuple[str | None, str]]:
    return world_pages(world)


@pytest.fixture(scope="module")
def contexts(
    browser: Browser,
    asgi_server: str,
    pages: dict[str, tuple[str | None, str]],
    django_db_blocker: DjangoDbBlocker,
) -> Iterator[dict[str, Contexts]]:
    """For each width, a logged-in context per user."""
    with django_db_blocker.unblock(), ExitStack() as stack:
        by_width = {}
        for width, (viewport, mobile) in WIDTHS.items():

            def new_context(
                browser: Browser, viewport: ViewportSize = viewport, mobile: bool = mobile
            ) -> BrowserContext:
                return axe_context(browser, viewport, mobile=mobile)

            by_width[width] = stack.enter_context(
                contexts_by_user(browser, asgi_server, new_context, (user for user, _ in pages.values()))
            )
        yield by_width


def opened(contexts: Contexts, base: str, pages: dict[str, tuple[str | None, str]], name: str) -> Page:
    username, path = pages[name]
    page = contexts[username].new_page()
    page.goto(base + path)
    expect(page.locator("main")).to_be_visible()
    if page.locator("[data-live-state]").count():
        expect(page.locator("[data-live-state]")).to_have_attribute("data-state", "connected")
    return page


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", PAGES)
def test_the_page_passes_axe(
    contexts: dict[str, Contexts],
    asgi_server: str,
    pages: dict[str, tuple[str | None, str]],
    name: str,
    width: str,
) -> None:
    page = opened(contexts[width], asgi_server, pages, name)
    try:
        expect_accessible(page)
    except AssertionError:
        screenshot(page, f"failed-axe-{name}-{width}")
        raise
    finally:
        page.close()


READABLE = """([selector, min]) => {
    const tooSmall = [];
    const described = (el, box) => {
        const label = (el.textContent || el.value || el.name || '').trim().slice(0, 30);
        const size = `${Math.round(box.width)}x${Math.round(box.height)}`;
        return `${el.tagName.toLowerCase()}.${el.className} "${label}" ${size}`;
    };
    for (const el of document.querySelectorAll(selector)) {
        // A tick box or a round choice is hit through its label: the label is the target.
        const choice = el.matches('input[type=checkbox], input[type=radio]');
        const labelFor = el.id && document.querySelector(`label[for="${el.id}"]`);
        const target = choice ? el.closest('label') || labelFor : el;
        if (!target) {
            tooSmall.push(described(el, el.getBoundingClientRect()) + ' without a label');
            continue;
        }
        const box = target.getBoundingClientRect();
        const unseen = getComputedStyle(el).visibility === 'hidden' || el.closest('.visually-hidden');
        if (box.width === 0 || unseen) continue;
        const short = box.height < min - 0.5;
        // a word may be narrower than 44px if tall enough; an icon is as wide as it is high
        const narrow = box.width < min - 0.5 && !(target.textContent || target.value || '').trim();
        if (short || narrow) tooSmall.push(described(target, box));
    }
    // Not by colour alone: a badge says its state in words, a bar shows its figure as text.
    const colourOnly = [];
    for (const badge of document.querySelectorAll('.badge')) {
        if (!badge.textContent.trim()) colourOnly.push(`badge ${badge.className}`);
    }
    for (const track of document.querySelectorAll('.chart-track')) {
        const figure = track.parentElement.querySelector('.chart-value');
        if (!figure || !/[0-9]/.test(figure.textContent)) colourOnly.push('a bar without its figure');
    }
    return {font: parseFloat(getComputedStyle(document.body).fontSize), tooSmall, colourOnly};
}"""


@pytest.mark.parametrize("name", PAGES)
def test_the_page_is_readable_on_a_phone(
    contexts: dict[str, Contexts], asgi_server: str, pages: dict[str, tuple[str | None, str]], name: str
) -> None:
    page = opened(contexts["phone"], asgi_server, pages, name)
    try:
        found: dict[str, Any] = page.evaluate(READABLE, [TARGETS, MIN_TARGET_PX])
        assert found["font"] >= MIN_FONT_PX, f"{page.url}: body text is {found['font']}px"
        assert not found["colourOnly"], f"{page.url}: shown by colour alone: {found['colourOnly']}"
        assert not found["tooSmall"], f"{page.url}: targets under {MIN_TARGET_PX}px: " + "; ".join(
            found["tooSmall"]
        )
    finally:
        page.close()
