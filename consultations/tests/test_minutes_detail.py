"""minutes_detail and minutes_print: the minutes built from what happened, and who may read them when."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.models import (
    Attendance,
    CheckInMethod,
    DiscussionItem,
    Minutes,
    Poll,
    PollState,
    Resolution,
    Session,
    SessionState,
    SpeakerState,
)
from consultations.selectors.minutes import minutes_content, minutes_visible, option_count, poll_results
from consultations.tests.attendance_testing import make_session, representatives_meeting, seat
from consultations.tests.minutes_testing import make_closed_poll, make_motion, make_resolution, make_speaker
from villagegov.models import Person, User, Village
from villagegov.testing import client_for, make_person

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def chair(village: Village) -> Person:
    return make_person(village, name="张主持", with_account=True)


@pytest.fixture
def session(village: Village, chair: Person) -> Session:
    return make_session(representatives_meeting(village), state=SessionState.CLOSED, chair=chair)


def present(session: Session, *people: Person) -> None:
    assert session.created_by is not None
    for person in people:
        seat(session.council, person)
        Attendance.objects.create(
            session=session,
            person=person,
            checked_in_at=timezone.now(),
            method=CheckInMethod.CLERK,
            recorded_by=session.created_by,
        )


def sign(session: Session, chair: Person) -> None:
    Minutes.objects.create(session=session, signed_at=timezone.now(), signed_by=chair)


def detail(session: Session) -> str:
    return reverse("minutes_detail", args=[session.council.village.admin_code, session.pk])


def print_url(session: Session) -> str:
    return reverse("minutes_print", args=[session.council.village.admin_code, session.pk])


def test_content_follows_what_happened_in_order(session: Session, village: Village) -> None:
    speaker_a = make_person(village, name="王一")
    speaker_b = make_person(village, name="赵二")
    waiting = make_person(village, name="未发言")
    present(session, speaker_a, speaker_b)
    motion = make_motion(session, title="修路", text="同意修路")
    DiscussionItem.objects.create(
        session=session, position=99, title="通报财务", created_by=session.created_by
    )
    make_speaker(motion, speaker_b)
    make_speaker(motion, speaker_a)
    make_speaker(motion, waiting, state=SpeakerState.WAITING)
    poll = make_closed_poll(session, item=motion, yes=2, no=0, abstain=0)
    make_resolution(poll)
    content = minutes_content(session)
    assert [entry.item.title for entry in content.items] == ["修路", "通报财务"]
    first = content.items[0]
    assert first.text == "同意修路" and "motion" in first.kind
    assert "discussion" in content.items[1].kind
    assert [r.person.name for r in first.speakers] == ["赵二", "王一"]
    assert [entry.poll.pk for entry in first.polls] == [poll.pk]
    assert [result.count for result in first.polls[0].results] == [2, 0, 0]
    assert first.polls[0].explanation.startswith("2 in favour")
    assert first.polls[0].resolution is not None
    assert len(content.attendances) == 2
    assert content.quorum.figures


def test_explanation_is_in_the_readers_language(session: Session) -> None:
    from django.utils import translation

    make_closed_poll(session)
    with translation.override("zh-hans"):
        assert minutes_content(session).items[0].polls[0].explanation.startswith("赞成")


def test_open_poll_shows_no_counts(session: Session) -> None:
    poll = make_closed_poll(session, state=PollState.OPEN)
    poll = Poll.objects.prefetch_related("options").get(pk=poll.pk)
    assert poll_results(poll) == []


def test_option_count_ignores_garbage(session: Session) -> None:
    poll = make_closed_poll(session)
    option = poll.options.first()
    assert option is not None
    poll.counts = {str(option.pk): "many"}
    assert option_count(poll, option) is None
    poll.counts = ["not", "a", "dict"]
    assert option_count(poll, option) is None


def test_option_count_is_keyed_by_the_options_id_only(session: Session) -> None:
    poll = make_closed_poll(session)
    option = poll.options.get(answer="yes")
    poll.counts = {"yes": 5, option.label: 6}
    assert option_count(poll, option) is None
    poll.counts = {str(option.pk): 7}
    assert option_count(poll, option) == 7


def test_unpublished_resolution_text_is_for_those_who_keep_minutes(
    session: Session, chair: Person, resident_client: Client, official_client: Client, actor: User
) -> None:
    hidden = make_resolution(make_closed_poll(session))
    Resolution.objects.filter(pk=hidden.pk).update(title="未公布的决议", text="未公布的全文")
    shown = make_resolution(make_closed_poll(session), published_by=actor)
    Resolution.objects.filter(pk=shown.pk).update(title="已公布的决议", text="已公布的全文")
    sign(session, chair)
    for client in (resident_client, client_for(chair)):
        text = client.get(detail(session)).content.decode()
        assert "未公布的决议" in text and "未公布的全文" not in text
        assert "shown once it is published" in text
        assert "已公布的全文" in text
        assert "未公布的全文" not in client.get(print_url(session)).content.decode()
    clerk = official_client.get(detail(session)).content.decode()
    assert "未公布的全文" in clerk and "已公布的全文" in clerk


def test_names_are_joined_with_the_languages_separator(session: Session, village: Village) -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    first, second = make_person(village, name="王一"), make_person(village, name="赵二")
    present(session, first, second)
    motion = make_motion(session)
    make_speaker(motion, first)
    make_speaker(motion, second)
    context = {"content": minutes_content(session), "session": session}
    english = render_to_string("consultations/minutes_content.html", context)
    assert "王一, 赵二" in english and "、" not in english
    with translation.override("zh-hans"):
        chinese = render_to_string("consultations/minutes_content.html", context)
    assert "王一、赵二" in chinese


def test_visibility_before_and_after_signing(
    session: Session, village: Village, chair: Person, official: Person
) -> None:
    resident = make_person(village)
    assert not minutes_visible(session=session, minutes=None, keeps_minutes=False, person=resident)
    assert minutes_visible(session=session, minutes=None, keeps_minutes=False, person=chair)
    assert minutes_visible(session=session, minutes=None, keeps_minutes=True, person=official)
    sign(session, chair)
    minutes = Minutes.objects.get(session=session)
    assert minutes_visible(session=session, minutes=minutes, keeps_minutes=False, person=resident)


def test_page_resident_sees_not_yet_signed_then_the_minutes(
    session: Session, resident_client: Client, chair: Person
) -> None:
    make_closed_poll(session, question="秘密问题")
    response = resident_client.get(detail(session))
    assert response.status_code == 200
    text = response.content.decode()
    assert "not yet signed off" in text and "秘密问题" not in text
    printed = resident_client.get(print_url(session))
    assert printed.status_code == 200 and "秘密问题" not in printed.content.decode()
    sign(session, chair)
    text = resident_client.get(detail(session)).content.decode()
    assert "秘密问题" in text and "Signed off by the chair" in text
    assert "秘密问题" in resident_client.get(print_url(session)).content.decode()


def test_page_chair_and_clerk_read_before_signing(
    session: Session, chair: Person, official_client: Client
) -> None:
    make_closed_poll(session, question="表决甲")
    chair_page = client_for(chair).get(detail(session)).content.decode()
    assert "表决甲" in chair_page and "Sign off the minutes" in chair_page
    clerk_page = official_client.get(detail(session)).content.decode()
    assert "表决甲" in clerk_page and "Make the resolution" in clerk_page
    assert "Sign off the minutes" not in clerk_page


def test_page_queries_are_bounded(session: Session, village: Village, official_client: Client) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert official_client.get(detail(session)).status_code == 200
        return len(queries)

    make_closed_poll(session)
    few = count()
    for _ in range(4):
        item = make_motion(session)
        make_speaker(item, make_person(village))
        make_closed_poll(session, item=item)
        present(session, make_person(village))
    assert count() == few


def test_print_page_is_standalone_with_signature_lines(
    session: Session, official_client: Client, village: Village
) -> None:
    response = official_client.get(print_url(session))
    assert response.status_code == 200
    text = response.content.decode()
    assert "consultations/print.css" in text and "main-nav" not in text
    assert village.name in text and session.title in text
    assert text.count("signature-line") == 2


def test_print_says_who_last_edited_the_notes_and_leaves_the_recorder_blank(
    session: Session, official_client: Client, official: Person, actor: User
) -> None:
    Minutes.objects.create(session=session, notes="记录", updated_at=timezone.now(), updated_by=actor)
    text = official_client.get(print_url(session)).content.decode()
    assert f"Notes last edited by: {official.name}" in text
    assert "Recorded by" not in text
    recorder = text[text.index("Recorder (记录人)") :]
    assert official.name not in recorder[: recorder.index("</div>")]


def test_pages_other_village_and_anonymous(
    session: Session, outsider_client: Client, other_village: Village
) -> None:
    for name in ("minutes_detail", "minutes_print"):
        own = reverse(name, args=[session.council.village.admin_code, session.pk])
        assert outsider_client.get(own).status_code == 404
        assert (
            outsider_client.get(reverse(name, args=[other_village.admin_code, session.pk])).status_code == 404
        )
        response = Client().get(own)
        assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_draft_sessions_minutes_do_not_exist_for_residents(
    village: Village, chair: Person, resident_client: Client, official_client: Client
) -> None:
    draft = make_session(representatives_meeting(village), state=SessionState.DRAFT, chair=chair)
    assert resident_client.get(detail(draft)).status_code == 404
    assert official_client.get(detail(draft)).status_code == 200
