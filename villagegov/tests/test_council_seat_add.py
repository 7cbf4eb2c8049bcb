"""Giving someone a seat on a council: the service's rules and the page."""

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from villagegov.models import (
    AuditRecord,
    Body,
    Council,
    CouncilSeat,
    Person,
    Role,
    RoleAssignment,
    SeatPosition,
    Village,
    VillagerGroup,
)
from villagegov.services.councils import council_seat_add
from villagegov.testing import make_person

START = date(2024, 1, 1)


def council(village: Village, body: Body = Body.REPRESENTATIVES_MEETING, **fields: object) -> Council:
    return Council.objects.create(village=village, body=body, name=str(Body(body).label), **fields)


def url(target: Council) -> str:
    return reverse("council_seat_add", args=[target.village.admin_code, target.pk])


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    """Refusals are checked by their English wording, in the services and on the pages."""
    with override_settings(LANGUAGE_CODE="en"), translation.override("en"):
        yield


def seat(target: Council, person: Person, *, actor: Person, **fields: object) -> CouncilSeat:
    values: dict[str, object] = {"position": SeatPosition.MEMBER, "starts_on": START} | fields
    return council_seat_add(actor=actor.user, council=target, person=person, **values)  # type: ignore[arg-type]


def test_seats_and_audits(village: Village, official: Person) -> None:
    meeting = council(village)
    person = make_person(village)
    added = seat(
        meeting, person, actor=official, position=SeatPosition.VICE_CHAIR, ends_on=date(2026, 12, 31)
    )
    assert (added.person, added.position, added.starts_on, added.ends_on) == (
        person,
        SeatPosition.VICE_CHAIR,
        START,
        date(2026, 12, 31),
    )
    record = AuditRecord.objects.get(action="council.seat_add")
    assert record.target_id == str(added.pk) and record.village == village
    # A representatives' meeting seat gives no role.
    assert not RoleAssignment.objects.filter(person=person).exists()


@pytest.mark.parametrize(
    ("body", "role"),
    [(Body.VILLAGE_COMMITTEE, Role.COMMITTEE_MEMBER), (Body.SUPERVISION_COMMITTEE, Role.SUPERVISOR)],
)
def test_committee_seats_give_the_matching_role_for_the_term(
    village: Village, official: Person, body: Body, role: Role
) -> None:
    person = make_person(village)
    seat(council(village, body), person, actor=official, ends_on=date(2026, 12, 31))
    term = RoleAssignment.objects.get(person=person)
    assert (term.role, term.starts_on, term.ends_on) == (role, START, date(2026, 12, 31))
    assert AuditRecord.objects.filter(action="role.assign", target_id=str(term.pk)).exists()


def test_a_role_already_covering_the_term_is_not_duplicated(village: Village, official: Person) -> None:
    # The official has been a committee member since 2020 with no end.
    seat(council(village, Body.VILLAGE_COMMITTEE), official, actor=official, position=SeatPosition.CHAIR)
    assert RoleAssignment.objects.filter(person=official, role=Role.COMMITTEE_MEMBER).count() == 1


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (Body.VILLAGERS_ASSEMBLY, "aged 18 or over"),
        (Body.VILLAGER_GROUP_MEETING, "group's households"),
        (Body.MEMBERS_ASSEMBLY, "collective member"),
    ],
)
def test_roster_bodies_have_no_seats(village: Village, official: Person, body: Body, words: str) -> None:
    group = VillagerGroup.objects.create(village=village, number=1, name="一组")
    fields = {"group": group} if body == Body.VILLAGER_GROUP_MEETING else {}
    with pytest.raises(ValidationError, match=words):
        seat(council(village, body, **fields), make_person(village), actor=official)
    assert not CouncilSeat.objects.exists()


def test_refuses_people_not_on_the_roster(village: Village, other_village: Village, official: Person) -> None:
    meeting = council(village)
    with pytest.raises(ValidationError, match="not on this village's roster"):
        seat(meeting, make_person(other_village), actor=official)
    gone = make_person(village)
    gone.left_on = date(2023, 6, 1)
    gone.save()
    with pytest.raises(ValidationError, match="left the roster"):
        seat(meeting, gone, actor=official)
    assert not CouncilSeat.objects.exists()


def test_refuses_overlapping_terms_for_the_same_person(village: Village, official: Person) -> None:
    meeting = council(village)
    person = make_person(village)
    seat(meeting, person, actor=official, ends_on=date(2024, 12, 31))
    with pytest.raises(ValidationError, match="already has a seat"):
        seat(meeting, person, actor=official, starts_on=date(2024, 12, 31))
    seat(meeting, person, actor=official, starts_on=date(2025, 1, 1))
    assert CouncilSeat.objects.filter(person=person).count() == 2


def test_one_chair_at_a_time(village: Village, official: Person) -> None:
    meeting = council(village)
    first, second = make_person(village, name="甲"), make_person(village, name="乙")
    seat(meeting, first, actor=official, position=SeatPosition.CHAIR, ends_on=date(2024, 12, 31))
    with pytest.raises(ValidationError, match="甲 is the chair"):
        seat(meeting, second, actor=official, position=SeatPosition.CHAIR, starts_on=date(2024, 6, 1))
    seat(meeting, second, actor=official, position=SeatPosition.MEMBER, starts_on=date(2024, 6, 1))
    # Once the first chair's term is over, another may follow.
    third = make_person(village, name="丙")
    seat(meeting, third, actor=official, position=SeatPosition.CHAIR, starts_on=date(2025, 1, 1))


def test_refuses_bad_terms(village: Village, official: Person) -> None:
    meeting = council(village)
    person = make_person(village)
    with pytest.raises(ValidationError, match="future"):
        seat(meeting, person, actor=official, starts_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError, match="end before it starts"):
        seat(meeting, person, actor=official, ends_on=START - timedelta(days=1))
    with pytest.raises(ValidationError, match="joined the roster"):
        seat(meeting, person, actor=official, starts_on=date(1999, 1, 1))
    assert not AuditRecord.objects.exists()


def test_a_refused_role_undoes_the_seat(village: Village, official: Person) -> None:
    """The role helper may refuse the role; then the seat is not kept either."""
    person = make_person(village)
    RoleAssignment.objects.create(
        person=person, role=Role.SUPERVISOR, starts_on=date(2023, 1, 1), ends_on=START
    )
    with pytest.raises(ValidationError):
        seat(council(village, Body.SUPERVISION_COMMITTEE), person, actor=official)
    assert not CouncilSeat.objects.exists()
    assert not AuditRecord.objects.exists()


def test_page_adds_the_seat(village: Village, official_client: Client) -> None:
    meeting = council(village)
    person = make_person(village)
    response = official_client.post(
        url(meeting), {"person": person.pk, "position": SeatPosition.MEMBER, "starts_on": "2024-01-01"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("council_detail", args=[village.admin_code, meeting.pk])
    assert CouncilSeat.objects.get(council=meeting).person == person


def test_page_shows_errors_and_changes_nothing(
    village: Village, other_village: Village, official_client: Client
) -> None:
    meeting = council(village)
    foreigner = make_person(other_village)
    for data in (
        {"person": foreigner.pk, "position": SeatPosition.MEMBER, "starts_on": "2024-01-01"},
        {"person": "abc", "position": "emperor", "starts_on": "2024-02-30"},
        {"person": 2**70, "position": SeatPosition.MEMBER, "starts_on": "2024-01-01"},
    ):
        response = official_client.post(url(meeting), data)
        assert response.status_code == 400, data
        assert response.context["seat_form"].errors
    assert not CouncilSeat.objects.exists()
    assert not AuditRecord.objects.exists()


def test_page_shows_the_service_refusal(village: Village, official_client: Client) -> None:
    assembly = council(village, Body.VILLAGERS_ASSEMBLY)
    person = make_person(village)
    response = official_client.post(
        url(assembly), {"person": person.pk, "position": SeatPosition.MEMBER, "starts_on": "2024-01-01"}
    )
    assert response.status_code == 400
    assert "no seats to fill" in response.content.decode()
    assert not CouncilSeat.objects.exists()


def test_page_refuses_get(village: Village, official_client: Client) -> None:
    assert official_client.get(url(council(village))).status_code == 405


def test_resident_outsider_anonymous(
    village: Village, other_village: Village, resident_client: Client, outsider_client: Client
) -> None:
    meeting = council(village)
    person = make_person(village)
    data = {"person": person.pk, "position": SeatPosition.MEMBER, "starts_on": "2024-01-01"}
    assert resident_client.post(url(meeting), data).status_code == 403
    assert outsider_client.post(url(meeting), data).status_code == 404
    assert Client().post(url(meeting), data).status_code == 302
    # A council of another village under this village's address.
    foreign = council(other_village)
    wrong = reverse("council_seat_add", args=[village.admin_code, foreign.pk])
    assert Client().post(wrong, data).status_code == 302
    assert not CouncilSeat.objects.exists()


def test_council_of_another_village_is_not_found(
    village: Village, other_village: Village, official_client: Client
) -> None:
    foreign = council(other_village)
    person = make_person(village)
    wrong = reverse("council_seat_add", args=[village.admin_code, foreign.pk])
    data = {"person": person.pk, "position": SeatPosition.MEMBER, "starts_on": "2024-01-01"}
    assert official_client.post(wrong, data).status_code == 404
    assert not CouncilSeat.objects.exists()
