"""Adding an item to a session's agenda (议程): at the end, of one of four kinds; a motion on a
reserved matter only before a body that may decide it."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils.translation import gettext

from consultations.matters import Matter
from consultations.models import (
    AgendaItem,
    DiscussionItem,
    ElectionItem,
    MotionItem,
    ReportItem,
    Session,
    SessionState,
)
from consultations.selectors.agenda import ItemKind
from consultations.services.agenda import agenda_item_create
from consultations.tests.agenda_testing import add_item, delegate, refused_everywhere, session_url, user_of
from consultations.tests.attendance_testing import make_session, representatives_meeting
from villagegov.models import AuditRecord, Body, Person, User, Village
from villagegov.testing import council_of
from villagegov.tests.hostile_testing import in_chinese, refusal_text

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def session(village: Village, official: Person) -> Session:
    return make_session(representatives_meeting(village), state=SessionState.ANNOUNCED, chair=official)


def test_items_go_at_the_end_of_each_kind(session: Session, actor: User) -> None:
    add_item(session, title="第一项")
    created = [
        agenda_item_create(actor=actor, session=session, kind=ItemKind.DISCUSSION, title=" 讨论 "),
        agenda_item_create(actor=actor, session=session, kind=ItemKind.MOTION, title="表决", text="同意"),
        agenda_item_create(
            actor=actor, session=session, kind=ItemKind.ELECTION, title="选举", office="组长", seats=2
        ),
        agenda_item_create(actor=actor, session=session, kind=ItemKind.REPORT, title="通报"),
    ]
    assert [item.position for item in created] == [2, 3, 4, 5]
    assert [type(item) for item in AgendaItem.objects.filter(session=session).order_by("position")][1:] == [
        DiscussionItem,
        MotionItem,
        ElectionItem,
        ReportItem,
    ]
    assert created[0].title == "讨论"
    election = ElectionItem.objects.get(pk=created[2].pk)
    assert (election.office, election.seats) == ("组长", 2)
    assert AuditRecord.objects.filter(action="agenda.create").count() == 4


def test_creating_sends_a_numbered_event(session: Session, actor: User) -> None:
    before = session.live_seq
    agenda_item_create(actor=actor, session=session, kind=ItemKind.DISCUSSION, title="讨论")
    session.refresh_from_db()
    assert session.live_seq == before + 1


def test_a_reserved_matter_before_a_body_that_may_decide_it(session: Session, actor: User) -> None:
    with pytest.raises(ValidationError, match="only when it was delegated"):
        agenda_item_create(
            actor=actor,
            session=session,
            kind=ItemKind.MOTION,
            title="补贴",
            text="误工补贴标准",
            matter=Matter.LOST_WORK_ALLOWANCE,
        )
    delegate(session.council.village, Matter.LOST_WORK_ALLOWANCE, actor)
    item = agenda_item_create(
        actor=actor,
        session=session,
        kind=ItemKind.MOTION,
        title="补贴",
        text="误工补贴标准",
        matter=Matter.LOST_WORK_ALLOWANCE,
    )
    assert MotionItem.objects.get(pk=item.pk).matter == Matter.LOST_WORK_ALLOWANCE


def test_a_reserved_matter_before_another_body_is_refused_naming_who_may_decide(
    village: Village, official: Person, actor: User
) -> None:
    board = make_session(council_of(village, Body.BOARD), chair=official)
    with pytest.raises(ValidationError) as refusal:
        agenda_item_create(
            actor=actor,
            session=board,
            kind=ItemKind.MOTION,
            title="村规",
            text="修改村规民约",
            matter=Matter.CHARTER_OR_COMPACT,
        )
    assert "villagers' assembly" in str(refusal.value) and "Art. 27" in str(refusal.value)
    assert not AgendaItem.objects.exists() and not AuditRecord.objects.filter(action="agenda.create").exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": ItemKind.DISCUSSION, "title": "  "}, "title"),
        ({"kind": ItemKind.DISCUSSION, "title": "x" * 201}, "too long"),
        ({"kind": ItemKind.MOTION, "title": "表决", "text": ""}, "text of the motion"),
        ({"kind": ItemKind.ELECTION, "title": "选举", "office": ""}, "office"),
        ({"kind": ItemKind.ELECTION, "title": "选举", "office": "组长", "seats": 0}, "seats"),
        ({"kind": ItemKind.ELECTION, "title": "选举", "office": "组长", "seats": 100}, "seats"),
    ],
)
def test_refuses_incomplete_items(session: Session, actor: User, fields: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        agenda_item_create(actor=actor, session=session, **fields)
    assert not AgendaItem.objects.exists()


def test_refused_in_a_closed_session(village: Village, official: Person, actor: User) -> None:
    closed = make_session(representatives_meeting(village), state=SessionState.CLOSED, chair=official)
    with pytest.raises(ValidationError, match="closed"):
        agenda_item_create(actor=actor, session=closed, kind=ItemKind.REPORT, title="通报")


def test_refused_to_someone_who_does_not_run_agendas(session: Session, resident: Person) -> None:
    with pytest.raises(ValidationError, match="Only the village's officials who run the session"):
        agenda_item_create(actor=user_of(resident), session=session, kind=ItemKind.REPORT, title="通报")


# ---- The page ----


def test_page_offers_the_four_kinds(session: Session, official_client: Client) -> None:
    response = official_client.get(session_url("agenda_item_create", session))
    html = response.content.decode()
    assert response.status_code == 200
    for kind in ("discussion", "motion", "election", "report"):
        assert f"?kind={kind}" in html


def test_motion_form_says_beforehand_which_matters_the_body_cannot_decide(
    session: Session, actor: User, official_client: Client
) -> None:
    delegate(session.council.village, Matter.LOST_WORK_ALLOWANCE, actor)
    html = official_client.get(session_url("agenda_item_create", session) + "?kind=motion").content.decode()
    assert 'name="text"' in html and 'name="matter"' in html and 'name="office"' not in html
    assert "village charter or village compact" in html  # only the villagers' assembly
    assert "Organic Law, Art. 27" in html
    assert "lost-work allowances (误工补贴): only" not in html  # delegated: this body may decide it
    assert "homestead allocation plan (宅基地使用方案): only" in html  # not delegated


def test_posting_adds_the_item(session: Session, official_client: Client) -> None:
    response = official_client.post(
        session_url("agenda_item_create", session) + "?kind=election",
        {"title": "选举组长", "office": "村民小组长", "seats": "1"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#agenda")
    assert ElectionItem.objects.get(session=session).office == "村民小组长"


@pytest.mark.parametrize(
    ("query", "data"),
    [
        ("?kind=motion", {"title": "表决"}),
        ("?kind=election", {"title": "选举", "office": "组长", "seats": "99999999999999999999"}),
        ("?kind=discussion", {"title": ""}),
        ("?kind=nonsense", {"title": "讨论"}),
        ("", {"title": "讨论"}),
    ],
)
def test_invalid_post_rerenders_with_400(
    session: Session, official_client: Client, query: str, data: dict
) -> None:
    response = official_client.post(session_url("agenda_item_create", session) + query, data)
    assert response.status_code == 400
    assert not AgendaItem.objects.exists()


def test_refused_matter_shown_on_the_form(
    village: Village, official: Person, official_client: Client
) -> None:
    board = make_session(council_of(village, Body.BOARD), chair=official)
    response = official_client.post(
        session_url("agenda_item_create", board) + "?kind=motion",
        {"title": "分配", "text": "分配收益", "matter": Matter.COLLECTIVE_DISTRIBUTION.value},
    )
    assert response.status_code == 400
    assert "Only members&#x27; assembly" in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_who_may_use_the_page(
    session: Session, other_village: Village, resident_client: Client, outsider_client: Client, client: Client
) -> None:
    refused_everywhere(
        session_url("agenda_item_create", session) + "?kind=report",
        resident=resident_client,
        outsider=outsider_client,
        anonymous=client,
        data={"title": "通报"},
    )
    assert outsider_client.get(session_url("agenda_item_create", session, other_village)).status_code == 404
    assert not AgendaItem.objects.exists()


def test_a_post_without_the_kind_of_item_says_why_in_chinese(
    session: Session, official_client: Client
) -> None:
    with in_chinese():
        response = official_client.post(session_url("agenda_item_create", session), {"title": "讨论"})
        reason = gettext("Choose the kind of item first.")
    refusal = refusal_text(response.content.decode())
    assert response.status_code == 400 and "未完成" in refusal and reason in refusal
    assert not AgendaItem.objects.exists()
