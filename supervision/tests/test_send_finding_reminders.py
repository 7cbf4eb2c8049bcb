"""The send_finding_reminders command: the responsible person of each open finding whose deadline
is within VILLAGEGOV_FINDING_REMINDER_DAYS (or past) is reminded once, in the app and by SMS, until
the finding is reopened; answered and verified findings and far deadlines are not."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from pytest_django.fixtures import Settings

from supervision.models import FindingState, Review, VerificationOutcome
from supervision.services.findings import finding_reminders_send, finding_verify
from villagegov.models import AuditRecord, Notification, Person, User, Village
from villagegov.testing import make_person

from . import findings_testing
from .findings_testing import days_from_today, make_answer, make_finding

# Fixtures shared by the finding tests.
review = findings_testing.review
sms_outbox = findings_testing.sms_outbox
supervisor = findings_testing.supervisor
supervisor_user = findings_testing.supervisor_user
supervisors = findings_testing.supervisors

pytestmark = pytest.mark.usefixtures("english")


def run() -> str:
    out = StringIO()
    call_command("send_finding_reminders", stdout=out)
    return out.getvalue()


@pytest.fixture
def responsible(village: Village) -> Person:
    person = make_person(village, name="报账员老王")
    person.phone = "+8613800138001"
    person.save(update_fields=["phone"])
    return person


def test_reminds_who_is_due_once(
    review: Review,
    responsible: Person,
    settings: Settings,
    sms_outbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.VILLAGEGOV_FINDING_REMINDER_DAYS = 3
    due = make_finding(review, responsible, deadline=days_from_today(3), description="三天后到期")
    late = make_finding(review, responsible, deadline=days_from_today(-1), description="已经逾期")
    far = make_finding(review, responsible, deadline=days_from_today(4), description="四天后到期")
    answered = make_finding(review, responsible, deadline=days_from_today(1))
    make_answer(answered)
    make_finding(review, responsible, deadline=days_from_today(1), state=FindingState.VERIFIED)
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        assert "2 finding(s)" in run()
    messages = list(Notification.objects.filter(person=responsible).values_list("message", flat=True))
    assert len(messages) == 2
    assert any("三天后到期" in m and "is due by" in m for m in messages)
    assert any("已经逾期" in m and "overdue" in m for m in messages)
    assert len(sms_outbox) == 2
    for finding in (due, late, far):
        finding.refresh_from_db()
    assert due.reminded_at and late.reminded_at and far.reminded_at is None
    assert AuditRecord.objects.filter(action="finding.remind").count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        assert "0 finding(s)" in run()  # the same day again: nothing twice
    assert Notification.objects.count() == 2 and len(sms_outbox) == 2


def test_the_setting_sets_how_early(review: Review, responsible: Person, settings: Settings) -> None:
    make_finding(review, responsible, deadline=days_from_today(5))
    settings.VILLAGEGOV_FINDING_REMINDER_DAYS = 4
    assert finding_reminders_send() == 0
    settings.VILLAGEGOV_FINDING_REMINDER_DAYS = 5
    assert finding_reminders_send() == 1


def test_zero_days_reminds_on_the_deadline_day(
    review: Review, responsible: Person, settings: Settings
) -> None:
    settings.VILLAGEGOV_FINDING_REMINDER_DAYS = 0
    make_finding(review, responsible, deadline=days_from_today(1))
    assert finding_reminders_send() == 0
    assert finding_reminders_send(today=days_from_today(1)) == 1


def test_reopened_is_reminded_again(review: Review, responsible: Person, supervisor_user: User) -> None:
    finding = make_finding(review, responsible, deadline=days_from_today(2))
    assert finding_reminders_send() == 1
    make_answer(finding)
    assert finding_reminders_send() == 0
    finding_verify(
        actor=supervisor_user, finding=finding, outcome=VerificationOutcome.REOPENED, reason="不全"
    )
    assert finding_reminders_send() == 1
    assert finding_reminders_send() == 0


def test_a_finding_reminded_meanwhile_is_skipped(review: Review, responsible: Person) -> None:
    finding = make_finding(review, responsible, deadline=days_from_today(1))
    finding.reminded_at = timezone.now()
    finding.save(update_fields=["reminded_at"])
    assert finding_reminders_send() == 0 and not Notification.objects.exists()
