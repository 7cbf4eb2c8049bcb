"""Seating an elected member of the supervision committee: the resolution must be this village's
村民会议 or 村民代表会议's, passed or published; ineligible people are refused with the reason;
one chair at a time. The page: GET, POST ok, POST invalid → 400, other village → 404, wrong role
→ 403, anonymous → login."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.models import SessionState
from consultations.tests.attendance_testing import make_session
from consultations.tests.minutes_testing import make_closed_poll, make_resolution
from supervision.models import Appointment
from supervision.selectors.committee import default_term_end
from supervision.services.committee import appointment_create
from supervision.tests.reviews_testing import committee, electing_resolution
from villagegov.models import AuditRecord, Body, CouncilSeat, Kinship, Person, Relation, Role, User, Village
from villagegov.testing import TOMORROW, client_for, council_of, make_person, on_run

pytestmark = pytest.mark.usefixtures("english")


def appoint(actor: User, village: Village, person: Person, **overrides: Any) -> Appointment:
    values: dict[str, Any] = {
        "position": "member",
        "starts_on": timezone.localdate(),
        "resolution": electing_resolution(village),
        "finance_knowledge": True,
    }
    values.update(overrides)
    return appointment_create(actor=actor, village=village, person=person, **values)


@pytest.mark.django_db
def test_seats_the_member_and_records_the_appointment(village: Village, actor: User) -> None:
    person = make_person(village, name="赵会计师")
    resolution = electing_resolution(village, body=Body.VILLAGERS_ASSEMBLY)
    appointment = appoint(actor, village, person, resolution=resolution, position="chair")
    seat = appointment.seat
    assert seat.person == person and seat.position == "chair"
    assert seat.council.body == Body.SUPERVISION_COMMITTEE and seat.council.village == village
    assert appointment.resolution == resolution and appointment.finance_knowledge
    assert appointment.recorded_by == actor
    actions = set(AuditRecord.objects.values_list("action", flat=True))
    assert {"council.create", "council.seat_add", "appointment.create"} <= actions


@pytest.mark.django_db
def test_a_passed_but_unpublished_resolution_elects(village: Village, actor: User) -> None:
    resolution = electing_resolution(village, published=False)
    assert appoint(actor, village, make_person(village), resolution=resolution).pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("roles", "message"),
    [
        ((Role.COMMITTEE_MEMBER,), "sits on the village committee"),
        ((Role.ACCOUNTANT,), "is the village's accountant"),
        ((Role.CLERK,), "is the village's clerk"),
        ((Role.COLLECTIVE_HEAD,), "cannot sit on the supervision committee"),
    ],
)
def test_refuses_an_ineligible_person_and_says_why(
    village: Village, actor: User, roles: tuple[Role, ...], message: str
) -> None:
    person = make_person(village, name="不合格", roles=roles)
    with pytest.raises(ValidationError, match=message):
        appoint(actor, village, person)
    assert not Appointment.objects.exists()
    assert not CouncilSeat.objects.filter(council__body=Body.SUPERVISION_COMMITTEE).exists()


@pytest.mark.django_db
def test_refuses_a_close_relative_of_a_village_committee_member(
    village: Village, actor: User, official: Person
) -> None:
    spouse = make_person(village, name="主任爱人")
    Kinship.objects.create(person=spouse, relative=official, relation=Relation.SPOUSE)
    Kinship.objects.create(person=official, relative=spouse, relation=Relation.SPOUSE)
    with pytest.raises(ValidationError, match="close relative"):
        appoint(actor, village, spouse)
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_refuses_a_resolution_of_another_village(
    village: Village, other_village: Village, actor: User
) -> None:
    with pytest.raises(ValidationError, match="not one of this village's"):
        appoint(actor, village, make_person(village), resolution=electing_resolution(other_village))
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_refuses_a_resolution_of_a_body_that_does_not_elect(village: Village, actor: User) -> None:
    resolution = electing_resolution(village, body=Body.VILLAGE_COMMITTEE)
    with pytest.raises(ValidationError, match="elected by the villagers' assembly"):
        appoint(actor, village, make_person(village), resolution=resolution)


@pytest.mark.django_db
def test_refuses_a_resolution_neither_passed_nor_published(village: Village, actor: User) -> None:
    session = make_session(council_of(village, Body.REPRESENTATIVES_MEETING), state=SessionState.CLOSED)
    resolution = make_resolution(make_closed_poll(session, passed=False))
    with pytest.raises(ValidationError, match="neither passed nor published"):
        appoint(actor, village, make_person(village), resolution=resolution)


@pytest.mark.django_db
def test_one_chair_at_a_time(village: Village, actor: User) -> None:
    chair = committee(village, 3)[0]
    with pytest.raises(ValidationError, match=f"{chair.name} is the chair"):
        appoint(actor, village, make_person(village), position="chair")
    assert Appointment.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"position": "vice_chair"}, "Choose chair or member"),
        ({"starts_on": TOMORROW}, "cannot start in the future"),
        ({"starts_on": date(2001, 1, 1)}, "cannot start before the meeting that elected"),
    ],
)
def test_refuses_bad_terms(village: Village, actor: User, overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        appoint(actor, village, make_person(village), **{k: on_run(v) for k, v in overrides.items()})
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_refuses_someone_already_on_the_committee(village: Village, actor: User) -> None:
    member = committee(village, 3)[1]
    with pytest.raises(ValidationError, match="already has a seat"):
        appoint(actor, village, member)


# --- the page ---------------------------------------------------------------------------------


def url(village: Village) -> str:
    return reverse("appointment_create", args=[village.admin_code])


def post_data(person: Person, village: Village, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    data = {
        "person": f"{person.name} (#{person.pk})",
        "position": "member",
        "starts_on": timezone.localdate().isoformat(),
        "resolution": electing_resolution(village).pk,
        "finance_knowledge": "on",
    }
    data.update(overrides or {})
    return data


@pytest.mark.django_db
def test_page_offers_the_roster_and_the_electing_resolutions(
    village: Village, other_village: Village, official_client: Client
) -> None:
    mine = electing_resolution(village)
    theirs = electing_resolution(other_village)
    make_person(village, name="候选人甲")
    response = official_client.get(url(village))
    assert response.status_code == 200
    text = response.content.decode()
    assert "候选人甲" in text and mine.title in text
    assert f'value="{theirs.pk}"' not in text


@pytest.mark.django_db
def test_post_seats_the_member_and_redirects(village: Village, official_client: Client) -> None:
    person = make_person(village, name="钱委员")
    response = official_client.post(url(village), post_data(person, village))
    assert response.status_code == 302
    assert response["Location"] == reverse("committee_detail", args=[village.admin_code])
    appointment = Appointment.objects.get()
    assert appointment.seat.person == person and appointment.finance_knowledge


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"person": "查无此人"},
        {"person": ""},
        {"position": "king"},
        {"starts_on": "not a date"},
        {"resolution": "999999999999999999999"},
        {"resolution": "abc"},
    ],
)
def test_invalid_post_re_renders_with_400_and_changes_nothing(
    village: Village, official_client: Client, overrides: dict[str, str]
) -> None:
    response = official_client.post(url(village), post_data(make_person(village), village, overrides))
    assert response.status_code == 400
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_a_refusal_is_shown_with_400(village: Village, official_client: Client) -> None:
    accountant = make_person(village, name="会计老王", roles=(Role.ACCOUNTANT,))
    response = official_client.post(url(village), post_data(accountant, village))
    assert response.status_code == 400
    assert "accountant" in response.content.decode()
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_a_person_or_resolution_of_another_village_is_not_accepted(
    village: Village, other_village: Village, official_client: Client
) -> None:
    stranger = make_person(other_village, name="外村人")
    response = official_client.post(url(village), post_data(stranger, village))
    assert response.status_code == 400
    response = official_client.post(
        url(village),
        post_data(make_person(village), village, {"resolution": electing_resolution(other_village).pk}),
    )
    assert response.status_code == 400
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_access(village: Village, resident_client: Client, outsider_client: Client) -> None:
    assert resident_client.get(url(village)).status_code == 403
    assert resident_client.post(url(village), {}).status_code == 403
    assert outsider_client.get(url(village)).status_code == 404
    anonymous = Client().get(url(village))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    supervisor = committee(village, 3)[0]
    assert client_for(supervisor).get(url(village)).status_code == 403


@pytest.mark.django_db
def test_refuses_an_actor_who_may_not_appoint(village: Village, resident: Person) -> None:
    assert resident.user is not None
    with pytest.raises(ValidationError, match="Only village officials record the appointment"):
        appoint(resident.user, village, make_person(village))
    assert not CouncilSeat.objects.exists() and not Appointment.objects.exists()


@pytest.mark.django_db
def test_the_term_ends_with_the_village_committees_term(village: Village, actor: User) -> None:
    today = timezone.localdate()
    CouncilSeat.objects.create(
        council=council_of(village, Body.VILLAGE_COMMITTEE),
        person=make_person(village, name="村主任"),
        position="chair",
        starts_on=today - timedelta(days=700),
        ends_on=today + timedelta(days=1000),
    )
    appointment = appoint(actor, village, make_person(village))
    assert appointment.seat.ends_on == today + timedelta(days=1000)


@pytest.mark.django_db
def test_without_the_village_committees_term_it_lasts_three_years(village: Village, actor: User) -> None:
    appointment = appoint(actor, village, make_person(village))
    assert appointment.seat.ends_on == default_term_end(village, timezone.localdate())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        (date(2024, 3, 1), date(2029, 2, 28)),
        (date(2024, 2, 29), date(2029, 2, 28)),
        (date(2023, 1, 1), date(2027, 12, 31)),
    ],
)
def test_the_default_term_is_five_years_less_a_day(village: Village, starts_on: date, ends_on: date) -> None:
    assert default_term_end(village, starts_on) == ends_on
    # A chair's seat of the village committee that ended before the start does not count.
    CouncilSeat.objects.create(
        council=council_of(village, Body.VILLAGE_COMMITTEE),
        person=make_person(village),
        position="chair",
        starts_on=date(2015, 1, 1),
        ends_on=date(2020, 12, 31),
    )
    assert default_term_end(village, starts_on) == ends_on


@pytest.mark.django_db
def test_a_given_term_end_is_kept(village: Village, actor: User) -> None:
    appointment = appoint(
        actor, village, make_person(village), ends_on=timezone.localdate() + timedelta(days=30)
    )
    assert appointment.seat.ends_on == timezone.localdate() + timedelta(days=30)
