"""The village's finance disclosure rhythm (Art. 30): monthly or quarterly, set by those who
publish the board; the schedule follows it and falls back to the installation's default."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from supervision.models import DisclosurePolicy, DisclosureSection
from supervision.selectors.disclosure import Cadence, disclosure_schedule, finance_monthly
from supervision.services.appraisal import disclosure_policy_set
from villagegov.models import AuditRecord, Person, User, Village

pytestmark = pytest.mark.usefixtures("english")


def _finances(village: Village) -> Cadence:
    return next(
        row for row in disclosure_schedule(village) if row.section == DisclosureSection.FINANCES
    ).cadence


def test_without_a_policy_the_default_applies(village: Village, settings: Any) -> None:
    settings.VILLAGEGOV_FINANCE_DISCLOSURE_MONTHLY = False
    assert not finance_monthly(village) and _finances(village) == Cadence.QUARTERLY
    settings.VILLAGEGOV_FINANCE_DISCLOSURE_MONTHLY = True
    assert finance_monthly(village) and _finances(village) == Cadence.MONTHLY


def test_the_villages_policy_wins_and_is_audited(
    village: Village, other_village: Village, actor: User, settings: Any
) -> None:
    settings.VILLAGEGOV_FINANCE_DISCLOSURE_MONTHLY = False
    disclosure_policy_set(actor=actor, village=village, finances_monthly=True)
    assert _finances(village) == Cadence.MONTHLY and _finances(other_village) == Cadence.QUARTERLY
    schedule = disclosure_schedule(village)
    finances = next(row for row in schedule if row.section == DisclosureSection.FINANCES)
    assert all(p.period.start.month == p.period.end.month for p in finances.periods)
    disclosure_policy_set(actor=actor, village=village, finances_monthly=False)
    assert _finances(village) == Cadence.QUARTERLY
    assert DisclosurePolicy.objects.count() == 1
    assert AuditRecord.objects.filter(action="disclosure_policy.set").count() == 2


def test_refused_to_a_resident(village: Village, resident: Person) -> None:
    assert resident.user is not None
    with pytest.raises(ValidationError, match="Only the officials"):
        disclosure_policy_set(actor=resident.user, village=village, finances_monthly=True)
    assert not DisclosurePolicy.objects.exists()


def _url(village: Village) -> str:
    return reverse("disclosure_policy_set", args=[village.admin_code])


def test_the_schedule_offers_the_form_to_publishers_only(
    village: Village, official_client: Client, resident_client: Client
) -> None:
    schedule = reverse("disclosure_schedule", args=[village.admin_code])
    assert _url(village) in official_client.get(schedule).content.decode()
    assert _url(village) not in resident_client.get(schedule).content.decode()
    assert _url(village) not in Client().get(schedule).content.decode()


def test_post_sets_and_redirects(village: Village, official_client: Client) -> None:
    response = official_client.post(_url(village), {"finances": "monthly"})
    assert response.status_code == 302
    assert response["Location"] == reverse("disclosure_schedule", args=[village.admin_code])
    assert DisclosurePolicy.objects.get(village=village).finances_monthly is True


def test_invalid_post_is_400_and_changes_nothing(village: Village, official_client: Client) -> None:
    assert official_client.get(_url(village)).status_code == 405
    response = official_client.post(_url(village), {"finances": "yearly"})
    assert response.status_code == 400 and "What is due" in response.content.decode()
    assert not DisclosurePolicy.objects.exists() and not AuditRecord.objects.exists()


def test_wrong_role_village_and_anonymous(
    village: Village, resident_client: Client, outsider_client: Client
) -> None:
    assert resident_client.post(_url(village), {"finances": "monthly"}).status_code == 403
    assert outsider_client.post(_url(village), {"finances": "monthly"}).status_code == 404
    anonymous = Client().post(_url(village), {"finances": "monthly"})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    assert not DisclosurePolicy.objects.exists()
