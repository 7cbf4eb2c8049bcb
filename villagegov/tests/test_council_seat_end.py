"""Ending a council seat: the service's rules and the page."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from villagegov.models import (
    AuditRecord,
    Body,
    Council,
    CouncilSeat,
    Role,
    SeatPosition,
    User,
    Village,
)
from villagegov.permissions import Action, can, roles_of_person
from villagegov.services.councils import council_seat_add, council_seat_end
from villagegov.testing import client_for, make_person

pytestmark = pytest.mark.usefixtures("english")

START = date(2024, 1, 1)


def council(village: Village, body: Body = Body.VILLAGE_COMMITTEE) -> Council:
    return Council.objects.create(village=village, body=body, name=str(Body(body).label))


def url(seat: CouncilSeat) -> str:
    return reverse("council_seat_end", args=[seat.council.village.admin_code, seat.council_id, seat.pk])


@pytest.fixture
def seat(village: Village, actor: User) -> CouncilSeat:
    """A village-committee seat the service gave, to someone with an account."""
    person = make_person(village, name="张委员", with_account=True)
    return council_seat_add(
        actor=actor,
        council=council(village),
        person=person,
        position=SeatPosition.MEMBER,
        starts_on=START,
    )


def test_ends_the_seat(seat: CouncilSeat, actor: User) -> None:
    today = timezone.localdate()
    ended = council_seat_end(actor=actor, seat=seat, ends_on=today)
    assert ended.ends_on == today
    seat.refresh_from_db()
    assert seat.ends_on == today
    record = AuditRecord.objects.get(action="council.seat_end")
    assert record.before is not None and record.after is not None
    assert record.before["ends_on"] is None and record.after["ends_on"] == today.isoformat()


def test_ending_a_seat_takes_away_the_role_and_its_rights_at_once(
    village: Village, seat: CouncilSeat, actor: User
) -> None:
    user = seat.person.user
    assert user is not None
    assert can(user, Action.MANAGE_ROSTER, village)
    yesterday = timezone.localdate() - timedelta(days=1)
    council_seat_end(actor=actor, seat=seat, ends_on=yesterday)
    assert not can(user, Action.MANAGE_ROSTER, village)
    assert Role.COMMITTEE_MEMBER not in roles_of_person(seat.person)
    assert Role.COMMITTEE_MEMBER in roles_of_person(seat.person, on=yesterday)


def test_page_ends_the_rights_with_the_seat(
    village: Village, seat: CouncilSeat, official_client: Client
) -> None:
    member_client = client_for(seat.person)
    roster = reverse("person_list", args=[village.admin_code])
    assert member_client.get(roster).status_code == 200
    yesterday = timezone.localdate() - timedelta(days=1)
    assert official_client.post(url(seat), {"ends_on": yesterday.isoformat()}).status_code == 302
    assert member_client.get(roster).status_code == 403


def test_refuses_an_end_before_the_start(seat: CouncilSeat, actor: User) -> None:
    with pytest.raises(ValidationError, match="before it starts"):
        council_seat_end(actor=actor, seat=seat, ends_on=START - timedelta(days=1))
    seat.refresh_from_db()
    assert seat.ends_on is None
    assert not AuditRecord.objects.filter(action="council.seat_end").exists()


def test_refuses_a_term_that_already_ended(village: Village, actor: User) -> None:
    past = CouncilSeat.objects.create(
        council=council(village, Body.REPRESENTATIVES_MEETING),
        person=make_person(village),
        starts_on=START,
        ends_on=date(2024, 6, 30),
    )
    with pytest.raises(ValidationError, match="already ended"):
        council_seat_end(actor=actor, seat=past, ends_on=date(2024, 5, 1))


def test_a_later_end_may_not_run_into_the_next_term(village: Village, actor: User) -> None:
    meeting = council(village, Body.REPRESENTATIVES_MEETING)
    person = make_person(village)
    today = timezone.localdate()
    first = CouncilSeat.objects.create(council=meeting, person=person, starts_on=START, ends_on=today)
    CouncilSeat.objects.create(council=meeting, person=person, starts_on=today + timedelta(days=10))
    with pytest.raises(ValidationError, match="already has a seat"):
        council_seat_end(actor=actor, seat=first, ends_on=today + timedelta(days=20))


def test_page_ends_the_seat(seat: CouncilSeat, official_client: Client) -> None:
    today = timezone.localdate()
    response = official_client.post(url(seat), {"ends_on": today.isoformat()})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.ends_on == today


@pytest.mark.parametrize("ends_on", ["", "yesterday", "2024-02-30", "2023-12-31", "99999-01-01"])
def test_page_shows_errors_and_changes_nothing(
    seat: CouncilSeat, official_client: Client, ends_on: str
) -> None:
    records = AuditRecord.objects.count()
    response = official_client.post(url(seat), {"ends_on": ends_on})
    assert response.status_code == 400
    assert response.context["end_form"].errors
    seat.refresh_from_db()
    assert seat.ends_on is None
    assert AuditRecord.objects.count() == records


def test_page_refuses_get(seat: CouncilSeat, official_client: Client) -> None:
    assert official_client.get(url(seat)).status_code == 405


def test_resident_outsider_anonymous(
    seat: CouncilSeat, resident_client: Client, outsider_client: Client
) -> None:
    data = {"ends_on": timezone.localdate().isoformat()}
    assert resident_client.post(url(seat), data).status_code == 403
    assert outsider_client.post(url(seat), data).status_code == 404
    assert Client().post(url(seat), data).status_code == 302
    seat.refresh_from_db()
    assert seat.ends_on is None


def test_seat_of_another_council_or_village_is_not_found(
    village: Village, other_village: Village, seat: CouncilSeat, official_client: Client
) -> None:
    data = {"ends_on": timezone.localdate().isoformat()}
    other_council = council(village, Body.BOARD)
    wrong_council = reverse("council_seat_end", args=[village.admin_code, other_council.pk, seat.pk])
    assert official_client.post(wrong_council, data).status_code == 404
    foreign = CouncilSeat.objects.create(
        council=council(other_village), person=make_person(other_village), starts_on=START
    )
    for council_id in (foreign.council_id, seat.council_id):
        wrong = reverse("council_seat_end", args=[village.admin_code, council_id, foreign.pk])
        assert official_client.post(wrong, data).status_code == 404
    foreign.refresh_from_db()
    seat.refresh_from_db()
    assert foreign.ends_on is None and seat.ends_on is None
