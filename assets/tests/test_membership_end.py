"""A member leaving (退出): the membership ends on a day from joining to today, with a reason, and
its COLLECTIVE_MEMBER role term ends the same day, so the 成员大会's roll follows the register."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assets.models import LeaveReason, Membership
from assets.services.members import membership_end
from assets.tests.members_testing import make_member
from villagegov.models import AuditRecord, Person, Role, User, Village
from villagegov.selectors.councils import people_with_role

pytestmark = pytest.mark.usefixtures("english")


def test_leaving_ends_the_membership_and_the_role_term(village: Village, actor: User) -> None:
    today = timezone.localdate()
    membership = make_member(village, joined_on=today - timedelta(days=30))
    yesterday = today - timedelta(days=1)
    membership_end(
        actor=actor, membership=membership, left_on=yesterday, leave_reason=LeaveReason.DEATH, note="病故"
    )
    membership.refresh_from_db()
    assert (membership.left_on, membership.leave_reason, membership.note) == (yesterday, "death", "病故")
    membership.role_term.refresh_from_db()
    assert membership.role_term.ends_on == yesterday
    assert membership.person not in people_with_role(village, Role.COLLECTIVE_MEMBER, on=today)
    assert AuditRecord.objects.filter(action="membership.end").count() == 1
    assert AuditRecord.objects.filter(action="role.end").count() == 1


def test_refused_before_joining_in_the_future_without_reason_or_twice(village: Village, actor: User) -> None:
    today = timezone.localdate()
    membership = make_member(village, joined_on=today - timedelta(days=5))
    for left_on, reason, message in [
        (today - timedelta(days=6), "death", "before joining"),
        (today + timedelta(days=1), "death", "leaving cannot be dated after today"),
        (today, "", "reason for leaving"),
        (today, "fled", "reason for leaving"),
    ]:
        with pytest.raises(ValidationError, match=message):
            membership_end(actor=actor, membership=membership, left_on=left_on, leave_reason=reason)
    assert Membership.objects.get(pk=membership.pk).left_on is None
    membership_end(actor=actor, membership=membership, left_on=today, leave_reason="renounced")
    with pytest.raises(ValidationError, match="ended"):
        membership_end(actor=actor, membership=membership, left_on=today, leave_reason="renounced")


def test_refused_to_a_non_manager(village: Village, resident: Person) -> None:
    membership = make_member(village)
    assert resident.user is not None
    with pytest.raises(ValidationError, match="Only the village committee"):
        membership_end(
            actor=resident.user, membership=membership, left_on=timezone.localdate(), leave_reason="death"
        )
    assert Membership.objects.get(pk=membership.pk).left_on is None


def _url(membership: Membership) -> str:
    return reverse("member_leave", args=[membership.village.admin_code, membership.pk])


def _data(**overrides: str) -> dict[str, str]:
    return {"left_on": timezone.localdate().isoformat(), "reason": "marriage", "note": ""} | overrides


def test_the_form_ends_the_membership(village: Village, official_client: Client) -> None:
    membership = make_member(village)
    response = official_client.post(_url(membership), _data())
    assert response.status_code == 302
    assert Membership.objects.get(pk=membership.pk).leave_reason == LeaveReason.MARRIAGE


def test_a_refused_leaving_is_shown(village: Village, official_client: Client) -> None:
    membership = make_member(village)
    assert official_client.post(_url(membership), _data(reason="")).status_code == 400
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = official_client.post(_url(membership), _data(left_on=future))
    assert response.status_code == 400 and "cannot be dated after today" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).left_on is None


def test_post_only_and_managers_of_this_village_only(
    village: Village,
    other_village: Village,
    official_client: Client,
    resident_client: Client,
    outsider_client: Client,
) -> None:
    membership = make_member(village)
    assert official_client.get(_url(membership)).status_code == 405
    assert resident_client.post(_url(membership), _data()).status_code == 403
    assert outsider_client.post(_url(membership), _data()).status_code == 404
    elsewhere = make_member(other_village)
    assert (
        official_client.post(
            reverse("member_leave", args=[village.admin_code, elsewhere.pk]), _data()
        ).status_code
        == 404
    )
    anonymous = Client().post(_url(membership), _data())
    assert anonymous.status_code == 302
    assert not Membership.objects.filter(left_on__isnull=False).exists()
