"""Revoking a delegation: the matter goes back to the assembly from that day."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.matters import Matter
from consultations.models import Delegation
from consultations.selectors.agenda import matter_refusal
from consultations.services.delegations import delegation_record, delegation_revoke
from villagegov.models import Body, Person, User, Village
from villagegov.testing import council_of

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def delegation(village: Village, actor: User) -> Delegation:
    return delegation_record(
        actor=actor,
        village=village,
        matter=Matter.HOMESTEAD_PLAN,
        body=Body.REPRESENTATIVES_MEETING,
        granted_on=date(2024, 3, 1),
        document="村民自治章程第十二条",
    )


def test_revoked_today_the_representatives_no_longer_decide(
    village: Village, actor: User, delegation: Delegation
) -> None:
    delegation_revoke(actor=actor, delegation=delegation, revoked_on=timezone.localdate())
    council = council_of(village, Body.REPRESENTATIVES_MEETING)
    assert matter_refusal(council=council, matter=Matter.HOMESTEAD_PLAN) is not None


def test_not_twice_not_before_the_grant_not_in_the_future(actor: User, delegation: Delegation) -> None:
    with pytest.raises(ValidationError, match="before it was granted"):
        delegation_revoke(actor=actor, delegation=delegation, revoked_on=date(2024, 2, 1))
    with pytest.raises(ValidationError, match="future"):
        delegation_revoke(
            actor=actor, delegation=delegation, revoked_on=timezone.localdate() + timedelta(days=1)
        )
    delegation_revoke(actor=actor, delegation=delegation, revoked_on=date(2025, 1, 1))
    with pytest.raises(ValidationError, match="already revoked"):
        delegation_revoke(actor=actor, delegation=delegation, revoked_on=date(2025, 1, 2))


def test_the_page_revokes_and_refuses_bad_dates(
    village: Village, official_client: Client, delegation: Delegation
) -> None:
    url = reverse("delegation_revoke", args=[village.admin_code, delegation.pk])
    assert official_client.post(url, {"revoked_on": "not a date"}).status_code == 400
    assert official_client.post(url, {"revoked_on": "2025-01-01"}).status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_on == date(2025, 1, 1)


def test_another_villages_delegation_is_not_found(
    outsider_client: Client, outsider: Person, delegation: Delegation
) -> None:
    url = reverse("delegation_revoke", args=[outsider.village.admin_code, delegation.pk])
    assert outsider_client.post(url, {"revoked_on": "2025-01-01"}).status_code == 404
