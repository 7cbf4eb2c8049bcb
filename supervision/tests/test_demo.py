"""The demo village's supervision: a concluded voucher review, a project review with findings (one
overdue), a formal question, and a complete disclosure board with the committee's check."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.demo import demo_build as consultations_demo
from supervision.demo import demo_build
from supervision.models import (
    DisclosureItem,
    DisclosureSection,
    Finding,
    FindingState,
    Question,
    Review,
    ReviewState,
)
from supervision.selectors.disclosure import PeriodStatus, disclosure_schedule
from supervision.selectors.findings import overdue_findings
from villagegov.models import AuditRecord, Invitation, Village
from villagegov.services.audit import audit_chain_verify
from villagegov.services.demo import demo_village_build


@pytest.fixture
def village(db: None) -> Village:
    village = demo_village_build(households=30).village
    consultations_demo(village=village)
    return village


def test_reviews_findings_question_and_board(village: Village) -> None:
    demo_build(village=village)
    states = dict(Review.objects.filter(village=village).values_list("title", "state"))
    assert ReviewState.CONCLUDED in states.values() and ReviewState.OPEN in states.values()
    assert set(Finding.objects.values_list("state", flat=True)) == {FindingState.OPEN, FindingState.ANSWERED}
    assert Question.objects.filter(village=village, answered_at__isnull=True).count() == 1
    assert audit_chain_verify().ok


def test_an_overdue_rectification(village: Village) -> None:
    demo_build(village=village)
    today = timezone.localdate()
    overdue = list(overdue_findings(village, today=today))
    assert len(overdue) == 1
    assert overdue[0].deadline < today and timezone.localdate(overdue[0].created_at) < overdue[0].deadline


def test_a_complete_disclosure_board(village: Village) -> None:
    demo_build(village=village)
    schedule = disclosure_schedule(village)
    assert not any(row.due or row.overdue for row in schedule)
    for row in schedule:
        assert all(period.status == PeriodStatus.DONE for period in row.periods)
    major = next(row for row in schedule if row.section == DisclosureSection.MAJOR)
    assert isinstance(major.latest, DisclosureItem) and major.latest.source is not None
    # The committee's check of the last quarter is concluded, so the public schedule shows it.
    general = next(row for row in schedule if row.section == DisclosureSection.GENERAL)
    assert general.periods[0].checks
    response = Client().get(reverse("disclosure_board", args=[village.admin_code]))
    assert response.status_code == 200 and not response.context["overdue"] and not response.context["due"]


def test_supervisors_accounts_come_through_the_invitations(village: Village) -> None:
    demo_build(village=village)
    claimed = AuditRecord.objects.filter(action="person.claim_account").count()
    assert claimed == Invitation.objects.filter(claimed_at__isnull=False).count() > 0


def test_twice_is_once(village: Village) -> None:
    demo_build(village=village)
    demo_build(village=village)
    assert Review.objects.filter(village=village).count() == 3
    assert DisclosureItem.objects.filter(village=village).count() == 5
