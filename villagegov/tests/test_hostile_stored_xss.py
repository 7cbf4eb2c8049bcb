"""Stored cross-site scripting: names, chat and titles holding markup are shown as text.

A villager's name and a post in the discussion carry a script and an image with an onerror
handler; they must reach the session page, the item's page, the live fragments and the hall's
projector escaped, and the live layer's snapshot as plain JSON text (static/consultations/live.js
puts JSON values in with textContent; the fragments it swaps in are the server's escaped HTML).
Then every page of the walker's village is read with markup in every name and text a villager or
an official can write: none may carry it unescaped.
"""

import json

from django.db.models import CharField, Model, TextField
from django.urls import reverse

from assets.models import Asset, AssetDocument, Contract, DistributionPlan, Voucher
from consultations.models import (
    AgendaItem,
    Comment,
    ConveningRequest,
    DecisionProcess,
    Poll,
    Resolution,
    Session,
    SpeakerRequest,
    SpeakerState,
    Topic,
)
from consultations.selectors.live import session_snapshot
from consultations.services.speakers import speaker_next, speaker_request
from consultations.tests.polls_testing import check_in, current_motion, seated_meeting, user_of
from supervision.models import DisclosureItem, DisclosureObjection, Evidence, Finding, Question, Review
from villagegov.models import Council, Household, Notification, Person, Village
from villagegov.testing import client_for

from .test_permission_walker import PUBLIC_VILLAGE_URLS, VILLAGE_URLS, World, url_of, world  # noqa: F401  (fixture)

SCRIPT = "<script>alert(7)</script>"
IMAGE = "<img src=x onerror=alert(7)>"
RAW = (SCRIPT, IMAGE, "<img src=x")
ESCAPED_IMAGE = "&lt;img src=x onerror=alert(7)&gt;"


def _unescaped(html: str) -> list[str]:
    return [payload for payload in RAW if payload in html]


def test_names_and_chat_are_text_on_the_session_pages_the_hall_and_the_socket(village: Village) -> None:
    meeting = seated_meeting(village, members=4)
    check_in(meeting.session, *meeting.members)
    item = current_motion(meeting)
    AgendaItem.objects.filter(pk=item.pk).update(title=IMAGE)
    speaking, waiting = meeting.members[1], meeting.members[2]
    Person.objects.filter(pk__in=[speaking.pk, waiting.pk]).update(name=IMAGE)
    for person in (speaking, waiting):
        person.refresh_from_db()
        speaker_request(actor=user_of(person), item=item, person=person)
    speaker_next(actor=meeting.chair_user, item=item)
    code, session_id = village.admin_code, meeting.session.pk
    posted = client_for(speaking).post(
        reverse("comment_post", args=[code, session_id, item.pk]), {"body": SCRIPT + IMAGE}
    )
    assert posted.status_code == 302
    assert Comment.objects.get(item=item).body == SCRIPT + IMAGE

    chair = client_for(meeting.chair)
    for url in (
        reverse("session_detail", args=[code, session_id]),
        reverse("agenda_item_detail", args=[code, session_id, item.pk]),
        reverse("session_live", args=[code, session_id]),
        reverse("session_live", args=[code, session_id]) + "?view=hall",
        reverse("session_hall", args=[code, session_id]),
    ):
        html = chair.get(url).content.decode()
        assert not _unescaped(html), url
        assert ESCAPED_IMAGE in html, f"{url} does not show the name at all: the test would prove nothing"

    # What the socket sends: JSON whose strings are the text as written, for textContent.
    snapshot = json.loads(json.dumps(session_snapshot(meeting.session, meeting.chair), ensure_ascii=False))
    assert {speaker["name"] for speaker in snapshot["speakers"]} == {IMAGE}
    assert [entry["title"] for entry in snapshot["agenda"]] == [IMAGE]
    assert SpeakerRequest.objects.filter(item=item, state=SpeakerState.SPEAKING).count() == 1


# What villagers and officials write, in the walker's village: each gets the markup.
WRITTEN: list[tuple[type[Model], tuple[str, ...]]] = [
    (Village, ("name",)),
    (Person, ("name",)),
    (Household, ("address",)),
    (Council, ("name",)),
    (Session, ("title", "place")),
    (AgendaItem, ("title",)),
    (Comment, ("body",)),
    (Poll, ("question",)),
    (Resolution, ("title", "text")),
    (Topic, ("title", "body")),
    (ConveningRequest, ("matter",)),
    (DecisionProcess, ("title",)),
    (Review, ("title",)),
    (Evidence, ("original_name",)),
    (Finding, ("description", "required_action")),
    (Question, ("text",)),
    (DisclosureItem, ("title", "body")),
    (DisclosureObjection, ("text",)),
    (Asset, ("name",)),
    (AssetDocument, ("title", "original_name")),
    (Contract, ("counterparty",)),
    (Voucher, ("summary",)),
    (DistributionPlan, ("title",)),
    (Notification, ("message",)),
]


def _plant_markup() -> None:
    for model, fields in WRITTEN:
        for name in fields:
            field = model._meta.get_field(name)
            assert isinstance(field, CharField | TextField), (model, name)
            for pk in model._default_manager.values_list("pk", flat=True):
                # Told apart by the row's id (some names are unique in a village), within the
                # column's length, so that PostgreSQL takes it too.
                value = f"{IMAGE}{pk}"[: field.max_length]
                model._default_manager.filter(pk=pk).update(**{name: value})


def test_no_page_of_the_village_shows_written_markup_unescaped(world: World) -> None:  # noqa: F811
    _plant_markup()
    shown = 0
    for client, pages in (
        (client_for(world.official), VILLAGE_URLS),
        (client_for(world.supervisor), VILLAGE_URLS),
        (client_for(world.resident), PUBLIC_VILLAGE_URLS),
    ):
        for page in pages:
            response = client.get(url_of(page, world))
            if not response.get("Content-Type", "").startswith("text/html"):
                continue  # files and exports: not read by a browser as a page
            html = response.content.decode()
            assert not _unescaped(html), page.name
            shown += ESCAPED_IMAGE in html
    assert shown > 50, "the markup is hardly shown anywhere: the test would prove nothing"
