"""Stored cross-site scripting in a real browser: a villager whose name is markup asks to speak
on a phone while the hall's projector screen is live, and posts markup in the discussion. The
screen and the pages show both as text (the screen after the live layer refreshed it), and no
script runs: no alert dialog opens."""

from django.urls import reverse
from playwright.sync_api import Dialog, Page, expect

from consultations.models import Comment
from consultations.tests.polls_testing import check_in, current_motion, seated_meeting
from e2e.test_live_vote_journey import connected, log_in, mark_not_reloaded, still_not_reloaded
from villagegov.models import Person
from villagegov.testing import make_village

NAME = "<img src=x onerror=alert(7)>"
POST = "<script>alert(8)</script><img src=y onerror=alert(9)>"


def test_markup_in_a_name_and_a_post_shows_as_text_and_runs_nothing(
    asgi_server: str, transactional_db: None, desktop_page: Page, phone_page: Page
) -> None:
    village = make_village(name="东坑村")
    meeting = seated_meeting(village, members=3)
    check_in(meeting.session, *meeting.members)
    item = current_motion(meeting)
    speaker = meeting.members[1]
    Person.objects.filter(pk=speaker.pk).update(name=NAME)
    speaker.refresh_from_db()
    code, session_id = village.admin_code, meeting.session.pk
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    for page in (desktop_page, phone_page):
        page.on("dialog", record)
    hall = reverse("session_hall", args=[code, session_id])
    item_url = reverse("agenda_item_detail", args=[code, session_id, item.pk])
    log_in(desktop_page, asgi_server, meeting.chair, hall)
    connected(desktop_page)
    mark_not_reloaded(desktop_page)

    # The villager asks to speak and posts markup, through the item page's forms, on a phone.
    log_in(phone_page, asgi_server, speaker, item_url)
    phone_page.locator(f"form[action$='/agenda/{item.pk}/speak/'] button").click()
    phone_page.locator("textarea[name=body]").fill(POST)
    phone_page.locator(f"form[action$='/agenda/{item.pk}/comments/'] button[type=submit]").click()
    expect(phone_page.locator(".agenda-comments")).to_contain_text(POST)
    expect(phone_page.locator(".agenda-comments")).to_contain_text(NAME)
    assert Comment.objects.get(item=item).body == POST

    # The chair calls the speaker from another tab; the hall's screen refreshes in place.
    chair_tab = desktop_page.context.new_page()
    chair_tab.on("dialog", record)
    chair_tab.goto(asgi_server + item_url)
    chair_tab.locator(f"form[action$='/agenda/{item.pk}/speakers/next/'] button").click()
    expect(desktop_page.locator(".hall-speaker-name")).to_have_text(NAME)
    assert still_not_reloaded(desktop_page)
    expect(chair_tab.locator(".agenda-comments")).to_contain_text(POST)

    assert dialogs == [], f"a script ran: {dialogs}"
