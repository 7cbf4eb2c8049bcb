"""The pages pass the Content-Security-Policy in Chromium: no violation is reported while an
official walks the main pages, a live session (its WebSocket connects under connect-src), the
hall's screen, the printable invitation (its print button works without an inline handler), the
authenticator set-up (a data: QR code) and the Django admin.

The server is conftest's `asgi_server`: daphne in a thread of the test process, which a
WebSocket needs."""

from collections.abc import Iterator

import pytest
from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Page, expect

from consultations.services.polls import poll_create
from consultations.tests.polls_testing import check_in, current_motion, seated_meeting
from villagegov.models import User
from villagegov.services.invitations import invitation_issue
from villagegov.testing import make_person, make_village

PASSWORD = "village-pass-123"  # make_person's
# Chromium reports a blocked script, style, image or connection on the console, and fires
# `securitypolicyviolation`, which the init script reports on the console too (for what the
# console would not say, e.g. a violation inside a handler).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def violations(desktop_page: Page) -> Iterator[list[str]]:
    """Every Content-Security-Policy violation the page reports, as it happens."""
    found: list[str] = []

    def listen(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            found.append(f"{desktop_page.url}: {message.text}")

    desktop_page.context.add_init_script(REPORT_VIOLATIONS)
    desktop_page.on("console", listen)
    yield found


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + reverse("account_login"))
    page.locator("[name=login]").fill(username)
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_url(lambda url: reverse("account_login") not in url)


def test_an_official_walks_the_pages_without_a_violation(
    asgi_server: str, transactional_db: None, desktop_page: Page, violations: list[str]
) -> None:
    village = make_village(name="东坑村")
    meeting = seated_meeting(village, members=3)
    check_in(meeting.session, *meeting.members)
    poll = poll_create(actor=meeting.chair_user, item=current_motion(meeting), question="是否同意修村道？")
    invitation = invitation_issue(actor=meeting.chair_user, person=make_person(village, name="新村民"))
    code, session_id = village.admin_code, meeting.session.pk
    page = desktop_page
    log_in(page, asgi_server, meeting.chair_user.username)

    for name, args in (
        ("home", []),
        ("village_dashboard", [code]),
        ("person_list", [code]),
        ("session_list", [code]),
        ("poll_detail", [code, session_id, poll.pk]),
        ("minutes_print", [code, session_id]),
        ("audit_log", [code]),
    ):
        page.goto(asgi_server + reverse(name, args=args))
        expect(page.locator("body")).to_be_visible()

    # The live session and the hall's screen: the socket connects under connect-src.
    for name in ("session_detail", "session_hall"):
        page.goto(asgi_server + reverse(name, args=[code, session_id]))
        expect(page.locator("[data-live-state]")).to_have_attribute("data-state", "connected")

    # The print button prints through the static script.
    page.goto(asgi_server + reverse("invitation_print", args=[code, invitation.pk]))
    page.evaluate("() => { window.print = () => { window.printed = true; }; }")
    page.locator("button[data-print]").click()
    assert page.evaluate("() => window.printed === true")

    # The authenticator's set-up, after giving the password again: its QR code is a data: image.
    page.goto(asgi_server + reverse("mfa_activate_totp"))
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(asgi_server + reverse("mfa_activate_totp"))
    expect(page.locator("img[src^='data:']")).to_be_visible()
    assert page.locator("img[src^='data:']").evaluate("(image) => image.naturalWidth > 0")

    assert violations == []


def test_the_admin_runs_without_a_violation(
    asgi_server: str, transactional_db: None, desktop_page: Page, violations: list[str]
) -> None:
    village = make_village(name="东坑村")
    User.objects.create_superuser(username="root", password=PASSWORD)
    page = desktop_page
    log_in(page, asgi_server, "root")

    for url in (
        reverse("admin:index"),
        reverse("admin:villagegov_village_changelist"),
        reverse("admin:villagegov_village_change", args=[village.pk]),
        reverse("admin:villagegov_person_changelist"),
    ):
        page.goto(asgi_server + url)
        expect(page.locator("#content")).to_be_visible()
    # The admin's scripts run: the sidebar's toggle opens and closes it.
    page.locator("#toggle-nav-sidebar").click()
    expect(page.locator("#nav-sidebar")).to_have_attribute("aria-expanded", "false")

    assert violations == []
