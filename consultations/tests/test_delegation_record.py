"""Recording a delegation (授权): only those the law allows, once, never in the future."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.matters import Matter
from consultations.models import Delegation
from consultations.selectors.agenda import matter_refusal
from consultations.services.delegations import delegation_record
from villagegov.models import AuditRecord, Body, Person, User, Village
from villagegov.testing import council_of

pytestmark = pytest.mark.usefixtures("english")


def record(actor: User, village: Village, **fields: object) -> Delegation:
    values: dict = {
        "matter": Matter.HOMESTEAD_PLAN,
        "body": Body.REPRESENTATIVES_MEETING,
        "granted_on": date(2024, 3, 1),
        "document": "村民自治章程第十二条",
        **fields,
    }
    return delegation_record(actor=actor, village=village, **values)


def test_a_delegation_lets_the_representatives_decide_and_is_audited(village: Village, actor: User) -> None:
    council = council_of(village, Body.REPRESENTATIVES_MEETING)
    assert matter_refusal(council=council, matter=Matter.HOMESTEAD_PLAN) is not None
    delegation = record(actor, village)
    assert matter_refusal(council=council, matter=Matter.HOMESTEAD_PLAN) is None
    assert AuditRecord.objects.filter(action="delegation.record", target_id=str(delegation.pk)).exists()


@pytest.mark.parametrize(
    ("matter", "body"),
    [
        (Matter.CHARTER_OR_COMPACT, Body.REPRESENTATIVES_MEETING),  # Art. 27: the assembly alone
        (Matter.HOMESTEAD_PLAN, Body.BOARD),
        (Matter.COLLECTIVE_DISTRIBUTION, Body.REPRESENTATIVES_MEETING),
    ],
)
def test_a_delegation_the_law_does_not_allow_is_refused(
    village: Village, actor: User, matter: Matter, body: Body
) -> None:
    with pytest.raises(ValidationError, match="does not let"):
        record(actor, village, matter=matter, body=body)
    assert not Delegation.objects.exists()


def test_the_members_assembly_may_delegate_the_distribution(village: Village, actor: User) -> None:
    record(actor, village, matter=Matter.COLLECTIVE_DISTRIBUTION, body=Body.MEMBERS_REPRESENTATIVES)
    council = council_of(village, Body.MEMBERS_REPRESENTATIVES)
    assert matter_refusal(council=council, matter=Matter.COLLECTIVE_DISTRIBUTION) is None


def test_once_in_force(village: Village, actor: User) -> None:
    record(actor, village)
    with pytest.raises(ValidationError, match="already in force"):
        record(actor, village)


def test_not_in_the_future_and_not_without_its_document(village: Village, actor: User) -> None:
    with pytest.raises(ValidationError, match="future"):
        record(actor, village, granted_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError, match="Name the resolution"):
        record(actor, village, document="   ")
    assert not Delegation.objects.exists()


def test_a_resident_cannot_record(village: Village, resident: Person) -> None:
    assert resident.user is not None
    with pytest.raises(ValidationError, match="officials"):
        record(resident.user, village)


def test_the_page_records_and_lists(village: Village, official_client: Client) -> None:
    url = reverse("delegation_record", args=[village.admin_code])
    data = {"matter": "homestead_plan", "body": "representatives_meeting", "granted_on": "2024-03-01"}
    response = official_client.post(url, data | {"document": "村民会议决议（2024年第1号）"})
    assert response.status_code == 302
    listing = official_client.get(reverse("delegation_list", args=[village.admin_code]))
    assert "村民会议决议（2024年第1号）" in listing.content.decode()


def test_the_page_refuses_bad_input_with_400(village: Village, official_client: Client) -> None:
    url = reverse("delegation_record", args=[village.admin_code])
    data = {"matter": "homestead_plan", "body": "members_representatives", "granted_on": "2024-03-01"}
    response = official_client.post(url, data | {"document": "x"})
    assert response.status_code == 400 and "does not let" in response.content.decode()
    assert official_client.post(url, {}).status_code == 400
    assert not Delegation.objects.exists()


def test_residents_read_but_do_not_record(village: Village, resident_client: Client) -> None:
    page = resident_client.get(reverse("delegation_list", args=[village.admin_code]))
    assert page.status_code == 200 and "Record a delegation" not in page.content.decode()
    assert resident_client.post(reverse("delegation_record", args=[village.admin_code])).status_code == 403
