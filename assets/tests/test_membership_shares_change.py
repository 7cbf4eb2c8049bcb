"""Changing a member's shares: a new line of the history (never edited), from a day not before the
last change and not after today; the membership's shares follow."""

import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.models import Membership, ShareChange
from assets.selectors.members import register_on
from assets.services.members import membership_shares_change
from assets.tests.members_testing import change_shares, confirming_resolution, make_member
from villagegov.models import AuditRecord, Person, User, Village

pytestmark = pytest.mark.usefixtures("english")


def test_a_change_is_a_new_line_and_the_shares_follow(village: Village, actor: User) -> None:
    membership = make_member(village, shares=2)
    first = ShareChange.objects.get(membership=membership)
    resolution = confirming_resolution(village)
    today = timezone.localdate()
    change = membership_shares_change(
        actor=actor,
        membership=membership,
        shares=Decimal("3.5"),
        effective_on=today,
        reason=" 调股 ",
        resolution=resolution,
    )
    membership.refresh_from_db()
    assert membership.shares == Decimal("3.50")
    assert (change.shares_before, change.shares_after, change.reason, change.resolution) == (
        Decimal("2.00"),
        Decimal("3.50"),
        "调股",
        resolution,
    )
    first.refresh_from_db()
    assert (first.shares_before, first.shares_after) == (Decimal("0.00"), Decimal("2.00"))
    assert [entry.shares for entry in register_on(village, day=today)] == [Decimal("3.50")]
    assert AuditRecord.objects.filter(action="membership.change_shares").count() == 1


def test_shares_may_go_to_zero(village: Village, actor: User) -> None:
    membership = make_member(village, shares=1)
    membership_shares_change(
        actor=actor,
        membership=membership,
        shares=Decimal(0),
        effective_on=timezone.localdate(),
        reason="转让",
    )
    assert register_on(village, day=timezone.localdate()) == []


def test_refused_same_shares_negative_or_past_the_fen(village: Village, actor: User) -> None:
    membership = make_member(village, shares=2)
    today = timezone.localdate()
    for shares, message in [
        ("2", "already holds"),
        ("-1", "negative"),
        ("1.001", "two decimal places"),
        # Compared before any rounding to the fen, which these could not be.
        ("1e30", "more shares than the register"),
        ("1E+999999", "more shares than the register"),
    ]:
        with pytest.raises(ValidationError, match=message):
            membership_shares_change(
                actor=actor, membership=membership, shares=Decimal(shares), effective_on=today, reason="调"
            )
    assert ShareChange.objects.count() == 1


def test_refused_before_the_last_change_or_after_today(village: Village, actor: User) -> None:
    today = timezone.localdate()
    membership = make_member(village, shares=2, joined_on=today - timedelta(days=100))
    change_shares(membership, 3, effective_on=today - timedelta(days=10))
    with pytest.raises(ValidationError, match="before"):
        membership_shares_change(
            actor=actor,
            membership=membership,
            shares=Decimal(4),
            effective_on=today - timedelta(days=11),
            reason="调",
        )
    with pytest.raises(ValidationError, match="The change of shares cannot be dated after today"):
        membership_shares_change(
            actor=actor,
            membership=membership,
            shares=Decimal(4),
            effective_on=today + timedelta(days=1),
            reason="调",
        )
    # The same day as the last change is allowed.
    membership_shares_change(
        actor=actor,
        membership=membership,
        shares=Decimal(4),
        effective_on=today - timedelta(days=10),
        reason="调",
    )
    assert Membership.objects.get(pk=membership.pk).shares == Decimal(4)


def test_refused_for_a_former_member_without_a_reason_or_to_a_non_manager(
    village: Village, actor: User, resident: Person
) -> None:
    today = timezone.localdate()
    former = make_member(village, left_on=today)
    with pytest.raises(ValidationError, match="ended"):
        membership_shares_change(
            actor=actor, membership=former, shares=Decimal(5), effective_on=today, reason="调"
        )
    membership = make_member(village)
    with pytest.raises(ValidationError, match="Say why"):
        membership_shares_change(
            actor=actor, membership=membership, shares=Decimal(5), effective_on=today, reason=" "
        )
    assert resident.user is not None
    with pytest.raises(ValidationError, match="Only the village committee"):
        membership_shares_change(
            actor=resident.user, membership=membership, shares=Decimal(5), effective_on=today, reason="调"
        )
    with pytest.raises(ValidationError, match="published resolution"):
        membership_shares_change(
            actor=actor,
            membership=membership,
            shares=Decimal(5),
            effective_on=today,
            reason="调",
            resolution=confirming_resolution(village, published=False),
        )
    assert ShareChange.objects.count() == 2


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.integers(min_value=0, max_value=100_000), min_size=1, max_size=6))
def test_the_history_always_chains_to_the_current_shares(
    village: Village, actor: User, steps: list[int]
) -> None:
    membership = make_member(village, shares=1)
    today = timezone.localdate()
    for cents in steps:
        shares = Decimal(cents) / 100
        current = Membership.objects.get(pk=membership.pk).shares
        if shares == current:
            continue
        membership_shares_change(
            actor=actor, membership=membership, shares=shares, effective_on=today, reason="调"
        )
    history = list(ShareChange.objects.filter(membership=membership).order_by("effective_on", "id"))
    assert history[0].shares_before == 0
    assert all(a.shares_after == b.shares_before for a, b in itertools.pairwise(history))
    assert history[-1].shares_after == Membership.objects.get(pk=membership.pk).shares


# --- the page -------------------------------------------------------------------------------


def _url(membership: Membership) -> str:
    return reverse("member_shares_change", args=[membership.village.admin_code, membership.pk])


def _data(**overrides: str) -> dict[str, str]:
    return {
        "shares": "4",
        "effective_on": timezone.localdate().isoformat(),
        "reason": "增股",
        "resolution": "",
    } | overrides


def test_the_form_records_the_change(village: Village, official_client: Client) -> None:
    membership = make_member(village, shares=1)
    response = official_client.post(_url(membership), _data())
    assert response.status_code == 302
    assert response["Location"] == reverse("member_detail", args=[village.admin_code, membership.pk])
    assert Membership.objects.get(pk=membership.pk).shares == Decimal(4)


def test_a_refused_change_is_shown_on_the_member_page(village: Village, official_client: Client) -> None:
    membership = make_member(village, shares=4)
    response = official_client.post(_url(membership), _data())
    assert response.status_code == 400 and "already holds" in response.content.decode()
    assert official_client.post(_url(membership), _data(shares="-2")).status_code == 400
    for shares in ("1e30", "1E+999999", "NaN"):
        assert official_client.post(_url(membership), _data(shares=shares)).status_code == 400
    assert ShareChange.objects.count() == 1


def test_post_only_and_managers_of_this_village_only(
    village: Village,
    other_village: Village,
    official_client: Client,
    resident_client: Client,
    outsider_client: Client,
) -> None:
    membership = make_member(village, shares=1)
    assert official_client.get(_url(membership)).status_code == 405
    assert resident_client.post(_url(membership), _data()).status_code == 403
    assert outsider_client.post(_url(membership), _data()).status_code == 404
    elsewhere = make_member(other_village)
    wrong = reverse("member_shares_change", args=[village.admin_code, elsewhere.pk])
    assert official_client.post(wrong, _data()).status_code == 404
    anonymous = Client().post(_url(membership), _data())
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    assert ShareChange.objects.count() == 2
