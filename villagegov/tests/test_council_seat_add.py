"""Giving someone a seat on a council: the service's rules and the page."""

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
    Person,
    Relation,
    Role,
    RoleAssignment,
    SeatPosition,
    Village,
    VillagerGroup,
)
from villagegov.permissions import roles_of_person
from villagegov.services.councils import council_seat_add
from villagegov.services.roster import kinship_declare
from villagegov.testing import make_person

pytestmark = pytest.mark.usefixtures("english")

START = date(2024, 1, 1)


def council(village: Village, body: Body = Body.REPRESENTATIVES_MEETING, **fields: object) -> Council:
    return Council.objects.create(village=village, body=body, name=str(Body(body).label), **fields)


def url(target: Council) -> str:
    return reverse("council_seat_add", args=[target.village.admin_code, target.pk])


def seat(target: Council, person: Person, *, actor: Person, **fields: object) -> CouncilSeat:
    values: dict[str, object] = {"position": SeatPosition.MEMBER, "starts_on": START} | fields
    return council_seat_add(actor=actor.user, council=target, person=person, **values)  # type: ignore[arg-type]


def test_seats_and_audits(village: Village, official: Person) -> None:
    meeting = council(village)
    person = make_person(village)
    added = seat(
        meeting,
        person,
        actor=official,
        position=SeatPosition.VICE_CHAIR,
        ends_on=date(2026, 12, 31),
        note=" 第三组推选 ",
    )
    assert (added.person, added.position, added.starts_on, added.ends_on, added.note) == (
        person,
        SeatPosition.VICE_CHAIR,
        START,
        date(2026, 12, 31),
        "第三组推选",
    )
    record = AuditRecord.objects.get(action="council.seat_add")
    assert record.target_id == str(added.pk) and record.village == village
    # A representatives' meeting seat gives no role.
    assert roles_of_person(person, on=START) == {Role.RESIDENT}


@pytest.mark.parametrize(
    ("body", "role"),
    [(Body.VILLAGE_COMMITTEE, Role.COMMITTEE_MEMBER), (Body.SUPERVISION_COMMITTEE, Role.SUPERVISOR)],
)
def test_committee_seats_are_the_role_for_the_term(
    village: Village, official: Person, body: Body, role: Role
) -> None:
    person = make_person(village)
    seat(council(village, body), person, actor=official, ends_on=date(2026, 12, 31))
    assert role in roles_of_person(person, on=START)
    assert role in roles_of_person(person, on=date(2026, 12, 31))
    assert role not in roles_of_person(person, on=START - timedelta(days=1))
    assert role not in roles_of_person(person, on=date(2027, 1, 1))
    # The seat is the only record of the role.
    assert not RoleAssignment.objects.filter(person=person).exists()


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
    target = council(village, body, **fields)
    with pytest.raises(ValidationError, match=words):
        seat(target, make_person(village), actor=official)
    assert not CouncilSeat.objects.filter(council=target).exists()


def test_refuses_people_not_on_the_roster(village: Village, other_village: Village, official: Person) -> None:
    meeting = council(village)
    with pytest.raises(ValidationError, match="not on this village's roster"):
        seat(meeting, make_person(other_village), actor=official)
    gone = make_person(village)
    gone.left_on = date(2023, 6, 1)
    gone.save()
    with pytest.raises(ValidationError, match="left the roster"):
        seat(meeting, gone, actor=official)
    assert not meeting.seats.exists()


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


def test_page_adds_the_seat(village: Village, official_client: Client) -> None:
    meeting = council(village)
    person = make_person(village)
    response = official_client.post(
        url(meeting),
        {
            "person": person.pk,
            "position": SeatPosition.MEMBER,
            "starts_on": "2024-01-01",
            "note": "第三组推选",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("council_detail", args=[village.admin_code, meeting.pk])
    added = CouncilSeat.objects.get(council=meeting)
    assert (added.person, added.note) == (person, "第三组推选")
    assert "第三组推选" in official_client.get(response["Location"]).content.decode()


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
    assert not meeting.seats.exists()
    assert not AuditRecord.objects.exists()


def test_page_shows_the_service_refusal(village: Village, official_client: Client) -> None:
    assembly = council(village, Body.VILLAGERS_ASSEMBLY)
    person = make_person(village)
    response = official_client.post(
        url(assembly), {"person": person.pk, "position": SeatPosition.MEMBER, "starts_on": "2024-01-01"}
    )
    assert response.status_code == 400
    assert "no seats to fill" in response.content.decode()
    assert not assembly.seats.exists()


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
    assert not meeting.seats.exists() and not foreign.seats.exists()


def test_council_of_another_village_is_not_found(
    village: Village, other_village: Village, official_client: Client
) -> None:
    foreign = council(other_village)
    person = make_person(village)
    wrong = reverse("council_seat_add", args=[village.admin_code, foreign.pk])
    data = {"person": person.pk, "position": SeatPosition.MEMBER, "starts_on": "2024-01-01"}
    assert official_client.post(wrong, data).status_code == 404
    assert not foreign.seats.exists()


# Who may sit on the supervision committee (DOMAIN.md, Supervision). The `official` fixture
# sits on the village committee (村民委员会) since 2020-01-01.


def declare(person: Person, relative: Person, relation: Relation, *, actor: Person) -> None:
    assert actor.user is not None
    kinship_declare(actor=actor.user, person=person, relative=relative, relation=relation)


def test_a_village_committee_member_may_not_supervise(village: Village, official: Person) -> None:
    supervision = council(village, Body.SUPERVISION_COMMITTEE)
    with pytest.raises(ValidationError, match=r"陈主任 sits on the village committee on Jan\. 1, 2024"):
        seat(supervision, official, actor=official)
    assert not supervision.seats.exists()


@pytest.mark.parametrize("relation", list(Relation))
@pytest.mark.parametrize("declared_from", ["candidate", "member"])
def test_a_close_relative_of_a_village_committee_member_may_not_supervise(
    village: Village, official: Person, relation: Relation, declared_from: str
) -> None:
    candidate = make_person(village, name="陈家人")
    if declared_from == "candidate":
        declare(candidate, official, relation, actor=official)
    else:
        declare(official, candidate, relation, actor=official)
    supervision = council(village, Body.SUPERVISION_COMMITTEE)
    with pytest.raises(ValidationError, match=r"陈家人 is a close relative \(近亲属\) of 陈主任"):
        seat(supervision, candidate, actor=official)
    assert not supervision.seats.exists()


@pytest.mark.parametrize(
    ("role", "words"),
    [
        (Role.ACCOUNTANT, "accountant"),
        (Role.CLERK, "clerk"),
        (Role.COLLECTIVE_HEAD, "head of the collective economic organisation"),
    ],
)
def test_the_accountant_clerk_and_collective_head_may_not_supervise(
    village: Village, official: Person, role: Role, words: str
) -> None:
    candidate = make_person(village, name="王会计", roles=(role,))
    supervision = council(village, Body.SUPERVISION_COMMITTEE)
    with pytest.raises(ValidationError, match=f"王会计 is the village's {words}"):
        seat(supervision, candidate, actor=official)
    assert not supervision.seats.exists()


def test_eligibility_is_judged_on_the_first_day_of_the_seat(village: Village, official: Person) -> None:
    """A former committee member, a relative of a former one and a former clerk may supervise."""
    supervision = council(village, Body.SUPERVISION_COMMITTEE)
    former = make_person(village, name="前主任")
    CouncilSeat.objects.create(
        council=official.council_seats.get().council,
        person=former,
        starts_on=date(2015, 1, 1),
        ends_on=date(2019, 12, 31),
    )
    relative = make_person(village, name="前主任的弟弟")
    declare(relative, former, Relation.SIBLING, actor=official)
    clerk = make_person(village, name="前文书")
    RoleAssignment.objects.create(
        person=clerk, role=Role.CLERK, starts_on=date(2010, 1, 1), ends_on=date(2023, 12, 31)
    )
    for person in (former, relative, clerk):
        seat(supervision, person, actor=official)
    assert supervision.seats.count() == 3
    # A seat starting while the clerk's term still ran is refused.
    other_term = Council.objects.create(village=village, body=Body.SUPERVISION_COMMITTEE, name="上届监委会")
    with pytest.raises(ValidationError, match=r"前文书 is the village's clerk .*on June 1, 2023"):
        seat(other_term, clerk, actor=official, starts_on=date(2023, 6, 1))


def test_a_close_relative_of_a_supervisor_may_not_join_the_village_committee(
    village: Village, official: Person
) -> None:
    supervisor = make_person(village, name="监委李", roles=(Role.SUPERVISOR,))
    brother = make_person(village, name="李弟")
    declare(brother, supervisor, Relation.SIBLING, actor=official)
    committee = official.council_seats.get().council
    with pytest.raises(ValidationError, match=r"李弟 is a close relative \(近亲属\) of 监委李, who sits on"):
        seat(committee, brother, actor=official)
    with pytest.raises(ValidationError, match="监委李 sits on the supervision committee"):
        seat(committee, supervisor, actor=official)
    assert committee.seats.count() == 1  # the official's own


def test_page_shows_why_a_supervisor_is_not_eligible(
    village: Village, official: Person, official_client: Client
) -> None:
    supervision = council(village, Body.SUPERVISION_COMMITTEE)
    spouse = make_person(village, name="陈太")
    declare(spouse, official, Relation.SPOUSE, actor=official)
    records = AuditRecord.objects.count()
    response = official_client.post(
        url(supervision), {"person": spouse.pk, "position": SeatPosition.MEMBER, "starts_on": "2024-01-01"}
    )
    assert response.status_code == 400
    assert "陈太 is a close relative (近亲属) of 陈主任" in response.content.decode()
    assert not supervision.seats.exists()
    assert AuditRecord.objects.count() == records
