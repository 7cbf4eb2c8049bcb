"""Admitting a member (确认成员): a person of the roster, confirmed by a published resolution of
the 成员大会 or 成员代表大会, gets the next member number, the COLLECTIVE_MEMBER role term and
the first line of the share history."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.models import Collective, JoinReason, Membership, ShareChange
from assets.services.members import membership_admit
from assets.tests.members_testing import confirming_resolution, make_member
from villagegov.models import AuditRecord, Body, Person, Role, RoleAssignment, User, Village
from villagegov.selectors.councils import people_with_role
from villagegov.testing import client_for, make_person

pytestmark = pytest.mark.usefixtures("english")


def _admit(actor: User, village: Village, person: Person, **overrides: object) -> Membership:
    values: dict[str, object] = {
        "shares": Decimal("2.50"),
        "joined_on": timezone.localdate(),
        "join_reason": JoinReason.FOUNDING,
        "resolution": overrides.pop("resolution", None) or confirming_resolution(village),
    }
    values.update(overrides)
    return membership_admit(actor=actor, village=village, person=person, **values)  # type: ignore[arg-type]


def test_admitting_numbers_the_member_and_starts_the_role_term(village: Village, actor: User) -> None:
    make_member(village, number=7)
    person = make_person(village, name="黄成员")
    resolution = confirming_resolution(village)
    membership = _admit(actor, village, person, resolution=resolution, note=" 首批 ")
    assert membership.number == 8 and membership.shares == Decimal("2.50")
    assert membership.confirmed_by == resolution and membership.note == "首批"
    term = membership.role_term
    assert (term.person, term.role, term.starts_on, term.ends_on) == (
        person,
        Role.COLLECTIVE_MEMBER,
        membership.joined_on,
        None,
    )
    change = ShareChange.objects.get(membership=membership)
    assert (change.shares_before, change.shares_after, change.effective_on) == (
        Decimal("0.00"),
        Decimal("2.50"),
        membership.joined_on,
    )
    assert person in people_with_role(village, Role.COLLECTIVE_MEMBER, on=timezone.localdate())
    assert AuditRecord.objects.filter(action="membership.admit", target_id=str(membership.pk)).exists()
    assert Collective.objects.filter(village=village).exists()


def test_refused_without_the_collective_and_never_creates_it(village: Village, actor: User) -> None:
    Collective.objects.filter(village=village).delete()
    with pytest.raises(ValidationError, match="no collective economic organisation"):
        _admit(actor, village, make_person(village))
    assert not Collective.objects.exists() and not Membership.objects.exists()


def test_the_first_member_is_number_one(village: Village, actor: User) -> None:
    assert _admit(actor, village, make_person(village)).number == 1


def test_members_representatives_may_confirm_too(village: Village, actor: User) -> None:
    resolution = confirming_resolution(village, body=Body.MEMBERS_REPRESENTATIVES)
    assert _admit(actor, village, make_person(village), resolution=resolution).confirmed_by == resolution


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("unpublished", "published resolution"),
        ("failed", "published resolution"),
        ("villagers", "published resolution"),
        ("other_village", "published resolution"),
    ],
)
def test_refused_a_resolution_that_cannot_confirm(
    village: Village, other_village: Village, actor: User, kind: str, message: str
) -> None:
    resolution = {
        "unpublished": lambda: confirming_resolution(village, published=False),
        "failed": lambda: confirming_resolution(village, passed=False),
        "villagers": lambda: confirming_resolution(village, body=Body.REPRESENTATIVES_MEETING),
        "other_village": lambda: confirming_resolution(other_village),
    }[kind]()
    with pytest.raises(ValidationError, match=message):
        _admit(actor, village, make_person(village), resolution=resolution)
    assert not Membership.objects.exists()


def test_refused_without_a_resolution(village: Village, actor: User) -> None:
    with pytest.raises(ValidationError, match="Choose the resolution"):
        membership_admit(
            actor=actor,
            village=village,
            person=make_person(village),
            shares=Decimal(1),
            joined_on=timezone.localdate(),
            join_reason=JoinReason.BIRTH,
            resolution=None,
        )


def test_refused_a_member_already_and_someone_not_on_the_roster(
    village: Village, other_village: Village, actor: User
) -> None:
    member = make_member(village).person
    with pytest.raises(ValidationError, match="already a member"):
        _admit(actor, village, member)
    with pytest.raises(ValidationError, match="roster"):
        _admit(actor, village, make_person(other_village))
    with pytest.raises(ValidationError, match="roster"):
        _admit(actor, village, make_person(village, left_on=timezone.localdate()))
    assert Membership.objects.count() == 1


def test_a_former_member_may_rejoin_after_leaving(village: Village, actor: User) -> None:
    today = timezone.localdate()
    earlier = make_member(village, left_on=today - timedelta(days=10))
    with pytest.raises(ValidationError, match="was a member until"):
        _admit(actor, village, earlier.person, joined_on=today - timedelta(days=20))
    again = _admit(actor, village, earlier.person, joined_on=today - timedelta(days=5))
    assert again.number == earlier.number + 1


@pytest.mark.parametrize("shares", ["0", "-1", "1.005", "100000000", "1e30", "1E+999999"])
def test_refused_shares_that_are_not_a_positive_number_to_the_fen(
    village: Village, actor: User, shares: str
) -> None:
    with pytest.raises(ValidationError):
        _admit(actor, village, make_person(village), shares=Decimal(shares))
    assert (
        not Membership.objects.exists()
        and not RoleAssignment.objects.filter(role=Role.COLLECTIVE_MEMBER).exists()
    )


def test_refused_a_future_day_a_bad_reason_and_anyone_but_a_manager(
    village: Village, actor: User, resident: Person
) -> None:
    person = make_person(village)
    with pytest.raises(ValidationError, match="The admission cannot be dated after today"):
        _admit(actor, village, person, joined_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError, match="reason for joining"):
        _admit(actor, village, person, join_reason="bribe")
    assert resident.user is not None
    with pytest.raises(ValidationError, match="Only the village committee"):
        _admit(resident.user, village, person)
    assert not Membership.objects.exists()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cents=st.integers(min_value=1, max_value=9_999_999_999))
def test_any_positive_amount_to_the_fen_is_kept_exactly(village: Village, actor: User, cents: int) -> None:
    shares = Decimal(cents) / 100
    membership = _admit(actor, village, make_person(village), shares=shares)
    membership.refresh_from_db()
    assert membership.shares == shares
    assert ShareChange.objects.get(membership=membership).shares_after == shares


# --- the page -------------------------------------------------------------------------------


def _url(village: Village) -> str:
    return reverse("member_admit", args=[village.admin_code])


def _post_data(person: Person, village: Village) -> dict[str, str]:
    return {
        "person": f"{person.name} (#{person.pk})",
        "shares": "3",
        "joined_on": timezone.localdate().isoformat(),
        "join_reason": JoinReason.MARRIAGE.value,
        "resolution": str(confirming_resolution(village).pk),
        "note": "",
    }


def test_the_page_admits_and_redirects_to_the_member(
    village: Village, official_client: Client, resident: Person
) -> None:
    page = official_client.get(_url(village))
    assert page.status_code == 200 and f"{resident.name} (#{resident.pk})" in page.content.decode()
    response = official_client.post(_url(village), _post_data(resident, village))
    membership = Membership.objects.get(person=resident)
    assert response.status_code == 302
    assert response["Location"] == reverse("member_detail", args=[village.admin_code, membership.pk])
    assert membership.shares == Decimal("3.00") and membership.join_reason == JoinReason.MARRIAGE


def test_a_refused_admission_shows_why(village: Village, official_client: Client, resident: Person) -> None:
    make_member(village, resident)
    data = _post_data(make_person(village, name="赵六"), village)
    data["resolution"] = str(confirming_resolution(village, published=False).pk)
    response = official_client.post(_url(village), data)
    assert response.status_code == 400 and Membership.objects.count() == 1
    data = _post_data(resident, village)
    response = official_client.post(_url(village), data)
    assert response.status_code == 400
    assert Membership.objects.count() == 1


@pytest.mark.parametrize("shares", ["1e30", "1E+999999", "-1e30", "NaN", "Infinity", "²"])
def test_the_page_refuses_shares_no_register_can_hold(
    village: Village, official_client: Client, resident: Person, shares: str
) -> None:
    response = official_client.post(_url(village), {**_post_data(resident, village), "shares": shares})
    assert response.status_code == 400 and not Membership.objects.exists()


def test_the_page_is_for_managers_of_this_village_only(
    village: Village, resident: Person, resident_client: Client, outsider_client: Client
) -> None:
    data = _post_data(resident, village)
    assert resident_client.get(_url(village)).status_code == 403
    assert resident_client.post(_url(village), data).status_code == 403
    assert outsider_client.post(_url(village), data).status_code == 404
    anonymous = Client().get(_url(village))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    assert not Membership.objects.exists()


def test_the_head_of_the_collective_may_admit(village: Village, resident: Person) -> None:
    head = make_person(village, roles=(Role.COLLECTIVE_HEAD,), with_account=True)
    response = client_for(head).post(_url(village), _post_data(resident, village))
    assert response.status_code == 302 and Membership.objects.filter(person=resident).exists()
