"""Announcing a session: the notice period of its body, notifying everyone entitled, the page."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from consultations.models import Session, SessionState
from consultations.services.sessions import session_announce
from consultations.tests.sessions_testing import make_draft
from villagegov import sms
from villagegov.models import AuditRecord, Body, Notification, Person, Role, User, Village
from villagegov.sms import SmsMessage
from villagegov.testing import council_of, make_person

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def sms_in_memory(settings: Settings) -> None:
    settings.VILLAGEGOV_SMS_BACKEND = "memory"
    sms.outbox.clear()


def url(session: Session) -> str:
    return reverse("session_announce", args=[session.council.village.admin_code, session.pk])


def with_phone(person: Person, phone: str) -> Person:
    person.phone = phone
    person.save(update_fields=["phone"])
    return person


@pytest.mark.parametrize("body", [Body.VILLAGERS_ASSEMBLY, Body.MEMBERS_ASSEMBLY])
def test_the_assemblies_need_ten_days_notice(
    village: Village, official: Person, actor: User, body: Body
) -> None:
    make_person(village, roles=(Role.COLLECTIVE_MEMBER,))
    session = make_draft(council_of(village, body), official, days_from_today=4)
    with pytest.raises(ValidationError) as refusal:
        session_announce(actor=actor, session=session)
    message = refusal.value.messages[0]
    assert "must be announced 10 days ahead" in message
    assert "this session starts in 4 days" in message
    expected = {Body.VILLAGERS_ASSEMBLY: "Arts. 21–22", Body.MEMBERS_ASSEMBLY: "Arts. 26–27"}[body]
    assert expected in message  # the citation
    assert refusal.value.error_list[0].code == "short_notice"
    session.refresh_from_db()
    assert session.state == SessionState.DRAFT
    assert not Notification.objects.exists()
    assert not AuditRecord.objects.filter(action="session.announce").exists()


def test_ten_days_ahead_is_enough(village: Village, official: Person, actor: User) -> None:
    session = make_draft(council_of(village, Body.VILLAGERS_ASSEMBLY), official, days_from_today=10)
    announced = session_announce(actor=actor, session=session)
    assert announced.state == SessionState.ANNOUNCED and announced.announced_at is not None
    record = AuditRecord.objects.get(action="session.announce")
    assert record.after is not None and record.after["short_notice"] is False


def test_short_notice_acknowledged_is_announced_and_recorded_as_short(
    village: Village, official: Person, actor: User
) -> None:
    session = make_draft(council_of(village, Body.VILLAGERS_ASSEMBLY), official, days_from_today=4)
    announced = session_announce(actor=actor, session=session, short_notice_acknowledged=True)
    assert announced.state == SessionState.ANNOUNCED
    record = AuditRecord.objects.get(action="session.announce")
    assert record.after is not None
    assert record.after["short_notice"] is True
    assert record.after["notice_days"] == 10 and record.after["days_ahead"] == 4


def test_a_body_without_a_notice_period_may_meet_in_two_days(
    village: Village, official: Person, actor: User
) -> None:
    session = make_draft(council_of(village, Body.REPRESENTATIVES_MEETING), official, days_from_today=2)
    assert session_announce(actor=actor, session=session).state == SessionState.ANNOUNCED


def test_only_a_draft_is_announced(village: Village, official: Person, actor: User) -> None:
    session = make_draft(council_of(village, Body.VILLAGE_COMMITTEE), official)
    session_announce(actor=actor, session=session)
    with pytest.raises(ValidationError, match="Only a draft session can be announced"):
        session_announce(actor=actor, session=session)
    assert AuditRecord.objects.filter(action="session.announce").count() == 1


def test_a_session_whose_time_passed_is_not_announced(
    village: Village, official: Person, actor: User
) -> None:
    session = make_draft(council_of(village, Body.VILLAGE_COMMITTEE), official, days_from_today=-1)
    with pytest.raises(ValidationError, match="has passed"):
        session_announce(actor=actor, session=session)


def test_notifies_every_member_in_the_app_and_by_sms_after_commit(
    village: Village, official: Person, actor: User, django_capture_on_commit_callbacks: Any
) -> None:
    committee = council_of(village, Body.VILLAGE_COMMITTEE)
    member = with_phone(make_person(village, roles=(Role.COMMITTEE_MEMBER,)), "+8613800138001")
    without_phone = make_person(village, roles=(Role.COMMITTEE_MEMBER,))
    bystander = with_phone(make_person(village), "+8613800138009")
    session = make_draft(committee, official)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        session_announce(actor=actor, session=session)
        # Nothing goes out before the transaction commits.
        assert sms.outbox == []
    assert sms.outbox == []
    for callback in callbacks:
        callback()

    notified = set(Notification.objects.values_list("person_id", flat=True))
    assert notified == {official.pk, member.pk, without_phone.pk}
    assert bystander.pk not in notified
    link = reverse("session_detail", args=[village.admin_code, session.pk])
    assert set(Notification.objects.values_list("link", flat=True)) == {link}
    assert "讨论修路" in Notification.objects.first().message  # type: ignore[union-attr]
    assert [m.phone for m in sms.outbox] == ["+8613800138001"]
    assert isinstance(sms.outbox[0], SmsMessage) and "讨论修路" in sms.outbox[0].message
    record = AuditRecord.objects.get(action="session.announce")
    assert record.after is not None and record.after["notified"] == 3


def test_a_refused_announcement_sends_nothing(
    village: Village, official: Person, actor: User, django_capture_on_commit_callbacks: Any
) -> None:
    with_phone(official, "+8613800138002")
    session = make_draft(council_of(village, Body.VILLAGERS_ASSEMBLY), official, days_from_today=3)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
        session_announce(actor=actor, session=session)
    assert callbacks == [] and sms.outbox == []


def test_announced_the_day_before_needs_no_separate_reminder(
    village: Village, official: Person, actor: User
) -> None:
    session = make_draft(council_of(village, Body.VILLAGE_COMMITTEE), official, days_from_today=1)
    assert session_announce(actor=actor, session=session).reminded_at is not None


def test_page_announces(village: Village, official: Person, official_client: Client) -> None:
    session = make_draft(council_of(village, Body.VILLAGE_COMMITTEE), official)
    response = official_client.post(url(session))
    assert response.status_code == 302
    assert response["Location"] == reverse("session_detail", args=[village.admin_code, session.pk])
    session.refresh_from_db()
    assert session.state == SessionState.ANNOUNCED


def test_page_warns_of_short_notice_and_announces_when_acknowledged(
    village: Village, official: Person, official_client: Client
) -> None:
    session = make_draft(council_of(village, Body.VILLAGERS_ASSEMBLY), official, days_from_today=4)
    response = official_client.post(url(session))
    content = response.content.decode()
    assert response.status_code == 400
    assert "must be announced 10 days ahead" in content
    assert 'name="short_notice_acknowledged"' in content
    session.refresh_from_db()
    assert session.state == SessionState.DRAFT

    response = official_client.post(url(session), {"short_notice_acknowledged": "on"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.state == SessionState.ANNOUNCED


def test_page_refuses_announcing_twice_with_a_message(
    village: Village, official: Person, official_client: Client
) -> None:
    session = make_draft(council_of(village, Body.VILLAGE_COMMITTEE), official)
    official_client.post(url(session))
    response = official_client.post(url(session))
    assert response.status_code == 400
    assert "Only a draft session can be announced" in response.content.decode()
    assert AuditRecord.objects.filter(action="session.announce").count() == 1


def test_page_is_for_managers_only(village: Village, official: Person, resident_client: Client) -> None:
    session = make_draft(council_of(village, Body.VILLAGE_COMMITTEE), official)
    assert resident_client.post(url(session)).status_code == 403
    session.refresh_from_db()
    assert session.state == SessionState.DRAFT


def test_another_village_anonymous_and_foreign_ids(
    village: Village, other_village: Village, official: Person, outsider: Person, outsider_client: Client
) -> None:
    session = make_draft(council_of(village, Body.VILLAGE_COMMITTEE), official)
    assert outsider_client.post(url(session)).status_code == 404
    foreign_id = reverse("session_announce", args=[other_village.admin_code, session.pk])
    assert outsider_client.post(foreign_id).status_code == 404
    response = Client().post(url(session))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    session.refresh_from_db()
    assert session.state == SessionState.DRAFT
