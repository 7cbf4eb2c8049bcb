"""Creating a session: the service's rules and the page."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from consultations.models import Session, SessionState
from consultations.services.sessions import session_create
from consultations.tests.sessions_testing import local_time
from villagegov.models import AuditRecord, Body, Person, Role, User, Village
from villagegov.testing import client_for, council_of, make_person

pytestmark = pytest.mark.usefixtures("english")


def url(village: Village) -> str:
    return reverse("session_create", args=[village.admin_code])


def test_creates_a_draft_with_a_random_join_code(village: Village, official: Person, actor: User) -> None:
    council = council_of(village, Body.VILLAGERS_ASSEMBLY)
    first = session_create(
        actor=actor,
        council=council,
        title=" 讨论修路 ",
        chair=official,
        place="礼堂",
        starts_at=local_time(20),
    )
    second = session_create(
        actor=actor, council=council, title="年终", chair=official, place="礼堂", starts_at=local_time(30)
    )
    assert first.state == SessionState.DRAFT and first.title == "讨论修路"
    assert first.announced_at is None and first.created_by == actor
    assert len(first.join_code) >= 20 and first.join_code != second.join_code
    record = AuditRecord.objects.get(action="session.create", target_id=str(first.pk))
    assert record.after is not None and record.after["title"] == "讨论修路"
    assert "join_code" not in record.after  # the check-in secret stays out of the log


def test_refuses_a_chair_of_another_village(village: Village, other_village: Village, actor: User) -> None:
    stranger = make_person(other_village)
    with pytest.raises(ValidationError, match="this village's roster"):
        session_create(
            actor=actor,
            council=council_of(village, Body.VILLAGERS_ASSEMBLY),
            title="t",
            chair=stranger,
            place="p",
            starts_at=local_time(20),
        )
    assert not Session.objects.exists()


def test_refuses_a_chair_who_left(village: Village, actor: User) -> None:
    gone = make_person(village, left_on=datetime(2024, 1, 1).date())
    with pytest.raises(ValidationError, match="left the roster"):
        session_create(
            actor=actor,
            council=council_of(village, Body.VILLAGERS_ASSEMBLY),
            title="t",
            chair=gone,
            place="p",
            starts_at=local_time(20),
        )
    assert not Session.objects.exists()


def test_refuses_a_naive_time_and_an_empty_title(village: Village, official: Person, actor: User) -> None:
    council = council_of(village, Body.VILLAGERS_ASSEMBLY)
    naive = datetime.now() + timedelta(days=20)
    with pytest.raises(ValidationError, match="time zone"):
        session_create(actor=actor, council=council, title="t", chair=official, place="p", starts_at=naive)
    with pytest.raises(ValidationError, match="title"):
        session_create(
            actor=actor, council=council, title="  ", chair=official, place="p", starts_at=local_time(20)
        )
    assert not Session.objects.exists()


def form_data(council_id: int, chair_id: int, **changes: str) -> dict[str, str]:
    data = {
        "council": str(council_id),
        "title": "讨论修路",
        "chair": str(chair_id),
        "place": "村委会议室",
        "starts_at": local_time(20).strftime("%Y-%m-%dT%H:%M"),
    }
    return data | changes


def test_page_creates_the_session_in_local_time(
    village: Village, official: Person, official_client: Client
) -> None:
    council = council_of(village, Body.VILLAGE_COMMITTEE)
    assert official_client.get(url(village)).status_code == 200
    response = official_client.post(url(village), form_data(council.pk, official.pk))
    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("session_detail", args=[village.admin_code, session.pk])
    assert session.starts_at == local_time(20)
    assert session.council == council and session.chair == official


def test_chair_choices_are_the_office_holders_not_everyone(
    village: Village, official: Person, official_client: Client
) -> None:
    representative = make_person(village, name="代表甲", roles=(Role.REPRESENTATIVE,))
    villager = make_person(village, name="普通村民乙")
    gone = make_person(
        village, name="已迁出丙", roles=(Role.REPRESENTATIVE,), left_on=datetime(2024, 1, 1).date()
    )
    content = official_client.get(url(village)).content.decode()
    assert representative.name in content and official.name in content
    assert villager.name not in content and gone.name not in content


@pytest.mark.parametrize(
    "changes",
    [
        {"title": ""},
        {"starts_at": "tomorrow"},
        {"starts_at": "0001-01-01T00:00"},
        {"starts_at": "9999-12-31T23:59"},
        {"chair": "999999999999999999999"},
        {"council": "abc"},
    ],
)
def test_page_refuses_bad_input(
    village: Village, official: Person, official_client: Client, changes: dict[str, str]
) -> None:
    council = council_of(village, Body.VILLAGE_COMMITTEE)
    response = official_client.post(url(village), form_data(council.pk, official.pk, **changes))
    assert response.status_code == 400
    assert not Session.objects.exists()


def test_page_refuses_a_council_or_chair_of_another_village(
    village: Village, other_village: Village, official: Person, official_client: Client
) -> None:
    own = council_of(village, Body.VILLAGE_COMMITTEE)
    foreign = council_of(other_village, Body.VILLAGE_COMMITTEE)
    stranger = make_person(other_village, roles=(Role.COMMITTEE_MEMBER,))
    assert official_client.post(url(village), form_data(foreign.pk, official.pk)).status_code == 400
    assert official_client.post(url(village), form_data(own.pk, stranger.pk)).status_code == 400
    assert not Session.objects.exists()


def test_page_is_for_managers_only(village: Village, official: Person, resident_client: Client) -> None:
    council = council_of(village, Body.VILLAGE_COMMITTEE)
    assert resident_client.get(url(village)).status_code == 403
    assert resident_client.post(url(village), form_data(council.pk, official.pk)).status_code == 403
    assert not Session.objects.exists()


def test_another_village_and_anonymous(village: Village, outsider_client: Client) -> None:
    assert outsider_client.get(url(village)).status_code == 404
    response = Client().get(url(village))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_clerk_may_create(village: Village) -> None:
    clerk = make_person(village, roles=(Role.CLERK,), with_account=True)
    assert client_for(clerk).get(url(village)).status_code == 200
