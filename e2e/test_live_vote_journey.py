"""The live vote, end to end in two browsers: the chair (desktop) opens a vote, a representative
votes on a phone, and when the chair closes it both screens show the result without a reload.
Then the hall's projector screen is photographed (e2e/screenshots/hall.png).

The server is conftest's `asgi_server`: daphne in a thread of the test process, which a
WebSocket needs.
"""

from typing import Any

from django.urls import reverse
from playwright.sync_api import Page, expect

from consultations.models import Ballot, PollState
from consultations.services.polls import poll_create
from consultations.tests.polls_testing import check_in, current_motion, seated_meeting
from e2e.conftest import screenshot
from villagegov.models import Person
from villagegov.testing import make_village

PASSWORD = "village-pass-123"  # make_person's


def log_in(page: Page, base: str, person: Person, then: str) -> None:
    assert person.user is not None
    page.goto(base + reverse("account_login") + "?next=" + then)
    page.locator("[name=login]").fill(person.user.username)
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("main form.form button[type=submit]").click()
    expect(page).to_have_url(base + then)


def connected(page: Page) -> None:
    expect(page.locator("[data-live-state]")).to_have_attribute("data-state", "connected")


def mark_not_reloaded(page: Page) -> None:
    page.evaluate("() => { window.__stillTheSamePage = true; }")


def still_not_reloaded(page: Page) -> Any:
    return page.evaluate("() => window.__stillTheSamePage === true")


def test_the_chair_opens_a_vote_a_resident_votes_on_a_phone_and_both_see_the_result(
    asgi_server: str, transactional_db: None, desktop_page: Page, phone_page: Page
) -> None:
    village = make_village(name="东坑村")
    meeting = seated_meeting(village, members=3)
    chair, voter = meeting.chair, meeting.members[1]
    check_in(meeting.session, *meeting.members)
    item = current_motion(meeting)
    poll = poll_create(actor=meeting.chair_user, item=item, question="是否同意出资修村道？")
    code, session_id = village.admin_code, meeting.session.pk
    session_path = reverse("session_detail", args=[code, session_id])
    poll_path = reverse("poll_detail", args=[code, session_id, poll.pk])

    # The chair follows the session on a desktop; a representative on a phone. Both connect live.
    log_in(desktop_page, asgi_server, chair, session_path)
    log_in(phone_page, asgi_server, voter, session_path)
    connected(desktop_page)
    connected(phone_page)
    mark_not_reloaded(desktop_page)
    mark_not_reloaded(phone_page)
    expect(phone_page.locator("form.poll-ballot")).to_have_count(0)

    # The chair opens the vote from the poll's page in another tab.
    chair_tab = desktop_page.context.new_page()
    chair_tab.goto(asgi_server + poll_path)
    chair_tab.locator(f"form[action$='/polls/{poll.pk}/open/'] button").click()
    expect(chair_tab.locator(f"form[action$='/polls/{poll.pk}/close/']")).to_be_visible()

    # The phone shows the ballot without a reload, and the vote goes over the socket.
    ballot = phone_page.locator(f"form.poll-ballot[action$='/polls/{poll.pk}/vote/']")
    expect(ballot).to_be_visible()
    ballot.locator("input[name=choices]").first.check()
    screenshot(phone_page, "live-vote-01-phone-ballot")
    ballot.locator("button[type=submit]").click()
    expect(phone_page.locator("[data-live-notice]")).to_have_attribute("data-kind", "ok")
    expect(phone_page.locator(f"form.poll-ballot[action$='/polls/{poll.pk}/vote/']")).to_have_count(0)
    assert Ballot.objects.filter(poll=poll, voter=voter).count() == 1
    assert phone_page.url == asgi_server + session_path and still_not_reloaded(phone_page)
    # The chair's page follows the progress.
    expect(desktop_page.locator(f"[data-poll-progress='{poll.pk}']")).to_contain_text("1")

    # The chair closes the vote: both screens show the result, neither reloaded.
    chair_tab.locator(f"form[action$='/polls/{poll.pk}/close/'] button").click()
    expect(chair_tab.locator(".poll-verdict")).to_be_visible()
    poll.refresh_from_db()
    assert poll.state == PollState.CLOSED
    for page in (desktop_page, phone_page):
        expect(page.locator(".poll-verdict")).to_be_visible()
        expect(page.locator(".poll-explanation")).not_to_be_empty()
        assert still_not_reloaded(page)
    screenshot(phone_page, "live-vote-02-phone-result")
    screenshot(desktop_page, "live-vote-03-chair-result")

    # The hall's projector screen, with the result as a chart and the check-in code.
    chair_tab.set_viewport_size({"width": 1280, "height": 720})
    chair_tab.goto(asgi_server + reverse("session_hall", args=[code, session_id]))
    connected(chair_tab)
    expect(chair_tab.locator("svg.hall-chart")).to_be_visible()
    expect(chair_tab.locator(".hall-qr-code svg")).to_be_visible()
    screenshot(chair_tab, "hall")
    chair_tab.close()
