"""Issue 8: a representative votes with the keyboard alone (Tab, Shift+Tab, Enter, Space; no mouse,
no element.click()). They follow the hall's QR code, log in, check in, and when the chair opens the
vote they choose and cast their vote and read the acknowledgement; at every step the element with
the focus shows it (the outline of site.css's :focus-visible)."""

import threading
from collections.abc import Callable

from django.db import connection
from playwright.sync_api import Page, expect

from consultations.models import Attendance, Ballot, CheckInMethod
from consultations.services.polls import poll_create, poll_open
from consultations.tests.polls_testing import check_in, current_motion, seated_meeting
from villagegov.testing import make_village

PASSWORD = "village-pass-123"  # make_person's
MAX_TABS = 60
FOCUS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    return {
        visible: el.matches(':focus-visible') && style.outlineStyle !== 'none'
            && parseFloat(style.outlineWidth) >= 2,
        text: (el.textContent || el.value || el.name || '').trim().slice(0, 40),
    };
}"""


def tab_to(page: Page, selector: str, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the element matching `selector` has the focus; every element
    passed on the way must show its focus (nothing is pressed if it has the focus already)."""
    target = page.locator(selector)
    expect(target).to_have_count(1)
    key = "Shift+Tab" if backwards else "Tab"
    if target.evaluate("el => el === document.activeElement"):
        return
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        focus = page.evaluate(FOCUS)
        if focus is None:
            continue
        assert focus["visible"], f"the focus on {focus['text']!r} is not visible ({page.url})"
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} was not reached with {key} on {page.url}")


def outside_the_browser_loop(call: Callable[[], object]) -> None:
    """Run a service in a thread of its own: its broadcast (async_to_sync) refuses the thread where
    Playwright's event loop runs."""

    failures: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as failure:  # handed to the test's thread
            failures.append(failure)
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if failures:
        raise failures[0]


def test_a_representative_checks_in_and_votes_with_the_keyboard_alone(
    asgi_server: str, transactional_db: None, desktop_page: Page
) -> None:
    village = make_village(name="东坑村")
    meeting = seated_meeting(village, members=3)
    voter = meeting.members[1]
    assert voter.user is not None
    check_in(meeting.session, meeting.chair, meeting.members[2])
    item = current_motion(meeting)
    poll = poll_create(actor=meeting.chair_user, item=item, question="是否同意出资修村道？")
    session = meeting.session
    page = desktop_page

    # The hall's QR code leads to the check-in page; not logged in, the login page comes first.
    page.goto(asgi_server + f"/v/{village.admin_code}/sessions/{session.pk}/check-in/{session.join_code}/")
    expect(page.locator("main h1")).to_have_text("登录")
    # The first Tab shows the link that skips the header's links; it leads into the page's content.
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null")
    tab_to(page, "main [name=login]")
    page.keyboard.type(voter.user.username)
    tab_to(page, "main [name=password]")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("main .check-in-button")).to_be_visible()

    # Check in, and the session's page says so.
    tab_to(page, "main .check-in-button")
    page.keyboard.press("Enter")
    expect(page.locator("main .messages")).to_contain_text("签到")
    assert Attendance.objects.filter(session=session, person=voter, method=CheckInMethod.SELF).exists()
    expect(page.locator("[data-live-state]")).to_have_attribute("data-state", "connected")

    # The chair opens the vote: the ballot comes to the page by itself.
    outside_the_browser_loop(lambda: poll_open(actor=meeting.chair_user, poll=poll))
    ballot = page.locator(f"form.poll-ballot[action$='/polls/{poll.pk}/vote/']")
    expect(ballot).to_be_visible()

    # Into the choices with Tab, the first one chosen with Space; past the button and back.
    tab_to(page, f"form.poll-ballot[action$='/polls/{poll.pk}/vote/'] input[name=choices] >> nth=0")
    page.keyboard.press("Space")
    expect(ballot.locator("input[name=choices]").first).to_be_checked()
    tab_to(page, f"form.poll-ballot[action$='/polls/{poll.pk}/vote/'] button[type=submit]")
    page.keyboard.press("Tab")
    tab_to(page, f"form.poll-ballot[action$='/polls/{poll.pk}/vote/'] button[type=submit]", backwards=True)
    page.keyboard.press("Enter")

    # The acknowledgement is shown (and read out: role=alert), and the vote is counted.
    notice = page.locator("[data-live-notice]")
    expect(notice).to_have_attribute("data-kind", "ok")
    expect(notice).to_have_attribute("role", "alert")
    expect(notice).not_to_be_empty()
    expect(ballot).to_have_count(0)
    assert Ballot.objects.filter(poll=poll, voter=voter).count() == 1
