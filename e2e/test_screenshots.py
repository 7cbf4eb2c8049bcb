"""The README's pictures (docs/screenshots/*.png), taken from the demo village by `make screenshots`:
a representative joins a session and votes on a phone, the hall's projector screen, the supervision
dashboard, and a distribution plan's table on a phone and a desktop.

Skipped unless VILLAGEGOV_SCREENSHOTS=1, so that `make test` leaves the committed pictures alone."""

import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Locator, Page, ViewportSize, expect
from pytest_django import DjangoDbBlocker

from consultations.services.polls import poll_open
from e2e.conftest import DESKTOP, PHONE, new_context
from e2e.demo_world import (
    Contexts,
    DemoWorld,
    contexts_by_user,
    database_emptied,
    demo_world_build,
    world_pages,
)
from e2e.test_keyboard_vote import outside_the_browser_loop

pytestmark = [
    pytest.mark.skipif(
        os.environ.get("VILLAGEGOV_SCREENSHOTS") != "1",
        reason="`make screenshots` sets VILLAGEGOV_SCREENSHOTS=1",
    ),
    # Each test reads the module's world (committed before it) in a transaction rolled back after it.
    pytest.mark.django_db,
]
DOCS = Path(__file__).parent.parent / "docs" / "screenshots"
PROJECTOR = ViewportSize(width=1280, height=720)
USERS = ("daibiao", "jianwei", "zhuren")


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoWorld]:
    with django_db_blocker.unblock():
        try:
            yield demo_world_build(open_the_vote=False)
        finally:
            database_emptied()


@pytest.fixture(scope="module")
def contexts(
    browser: Browser, asgi_server: str, world: DemoWorld, django_db_blocker: DjangoDbBlocker
) -> Iterator[dict[str, Contexts]]:
    """Logged-in contexts for the phone, the desktop and the hall's projector."""
    sizes = {"phone": (PHONE, True), "desktop": (DESKTOP, False), "projector": (PROJECTOR, False)}
    with django_db_blocker.unblock(), ExitStack() as stack:
        by_size = {}
        for size, (viewport, mobile) in sizes.items():

            def make(
                browser: Browser, viewport: ViewportSize = viewport, mobile: bool = mobile
            ) -> BrowserContext:
                return new_context(browser, viewport, mobile=mobile)

            by_size[size] = stack.enter_context(contexts_by_user(browser, asgi_server, make, USERS))
        yield by_size


def picture(page: Page, name: str, *, full_page: bool = False) -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"{name}.png"), full_page=full_page, animations="disabled", caret="hide")


def in_view(locator: Locator) -> None:
    """Scroll so that the element sits near the top of the screen, as a villager would."""
    locator.evaluate("el => el.scrollIntoView({block: 'start'})")
    locator.page.evaluate("() => window.scrollBy(0, -16)")


def test_a_representative_joins_the_session_and_votes_on_a_phone_and_the_hall_follows(
    contexts: dict[str, Contexts], asgi_server: str, world: DemoWorld
) -> None:
    session, poll = world.live_session, world.live_poll
    code = world.code
    phone = contexts["phone"]["daibiao"].new_page()
    phone.goto(asgi_server + reverse("session_check_in", args=[code, session.pk, session.join_code]))
    expect(phone.locator("main .check-in-button")).to_be_visible()
    picture(phone, "vote-1-check-in-phone")

    phone.locator("main .check-in-button").click()
    expect(phone.locator("main .messages")).to_be_visible()
    expect(phone.locator("[data-live-state]")).to_have_attribute("data-state", "connected")
    chair = world.user("zhuren")
    outside_the_browser_loop(lambda: poll_open(actor=chair, poll=poll))
    ballot = phone.locator(f"form.poll-ballot[action$='/polls/{poll.pk}/vote/']")
    expect(ballot).to_be_visible()
    ballot.locator("input[name=choices]").first.check()
    in_view(ballot.locator("xpath=ancestor::article[1]"))
    picture(phone, "vote-2-ballot-phone")

    ballot.locator("button[type=submit]").click()
    expect(phone.locator("[data-live-notice]")).to_have_attribute("data-kind", "ok")
    expect(ballot).to_have_count(0)
    picture(phone, "vote-3-voted-phone")

    hall = contexts["projector"]["zhuren"].new_page()
    hall.goto(asgi_server + reverse("session_hall", args=[code, session.pk]))
    expect(hall.locator("[data-live-state]")).to_have_attribute("data-state", "connected")
    expect(hall.locator(".hall-qr-code svg")).to_be_visible()
    picture(hall, "hall-projector")


def test_the_supervision_dashboard_on_a_phone(
    contexts: dict[str, Contexts], asgi_server: str, world: DemoWorld
) -> None:
    page = contexts["phone"]["jianwei"].new_page()
    page.goto(asgi_server + world_pages(world)["supervision-dashboard"][1])
    in_view(page.locator("#counts-heading"))
    picture(page, "supervision-dashboard-phone")


def test_a_distribution_plan_on_a_phone_and_a_desktop(
    contexts: dict[str, Contexts], asgi_server: str, world: DemoWorld
) -> None:
    path = world_pages(world)["distribution"][1]
    for size in ("phone", "desktop"):
        page = contexts[size]["zhuren"].new_page()
        page.goto(asgi_server + path)
        in_view(page.locator("#table-heading"))
        picture(page, f"distribution-table-{size}")
