"""minutes_update: the clerk's notes, while the session is open or closed and the minutes unsigned."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from consultations.models import Minutes, Session, SessionState
from consultations.services.minutes import minutes_sign, minutes_update
from consultations.tests.attendance_testing import make_session, representatives_meeting
from villagegov.models import AuditRecord, Person, User, Village

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def session(village: Village, official: Person) -> Session:
    return make_session(representatives_meeting(village), state=SessionState.OPEN, chair=official)


def url(session: Session) -> str:
    return reverse("minutes_update", args=[session.council.village.admin_code, session.pk])


def test_first_edit_creates_the_minutes_and_is_audited(session: Session, actor: User) -> None:
    minutes = minutes_update(actor=actor, session=session, notes="  会议讨论了修路。\r\n  ")
    assert minutes.notes == "会议讨论了修路。"
    assert minutes.updated_by == actor and minutes.updated_at is not None
    record = AuditRecord.objects.get(action="minutes.update")
    assert record.before is None and record.after is not None and record.after["notes"] == "会议讨论了修路。"
    minutes_update(actor=actor, session=session, notes="第二稿")
    assert Minutes.objects.get(session=session).notes == "第二稿"
    assert Minutes.objects.count() == 1
    second = AuditRecord.objects.filter(action="minutes.update").order_by("-seq").first()
    assert second is not None and second.before is not None and second.before["notes"] == "会议讨论了修路。"


@pytest.mark.parametrize("state", [SessionState.DRAFT, SessionState.ANNOUNCED])
def test_refused_before_the_session_opens(
    village: Village, official: Person, actor: User, state: str
) -> None:
    session = make_session(representatives_meeting(village), state=SessionState(state), chair=official)
    with pytest.raises(ValidationError, match="once the session is open"):
        minutes_update(actor=actor, session=session, notes="x")
    assert not Minutes.objects.exists() and not AuditRecord.objects.exists()


def test_refuses_notes_over_twenty_thousand_characters(session: Session, actor: User) -> None:
    minutes_update(actor=actor, session=session, notes="x" * 20000)
    with pytest.raises(ValidationError, match="at most 20000"):
        minutes_update(actor=actor, session=session, notes="y" * 20001)
    assert Minutes.objects.get(session=session).notes == "x" * 20000


def test_edit_after_sign_is_refused_with_who_signed(session: Session, actor: User, official: Person) -> None:
    minutes_update(actor=actor, session=session, notes="定稿")
    Session.objects.filter(pk=session.pk).update(state=SessionState.CLOSED, closed_at=session.opened_at)
    minutes_sign(actor=actor, session=session)
    with pytest.raises(ValidationError, match=f"signed off by {official.name}.*can no longer be changed"):
        minutes_update(actor=actor, session=session, notes="改过")
    assert Minutes.objects.get(session=session).notes == "定稿"


def test_only_those_who_keep_minutes_may_write_them(session: Session, resident: Person) -> None:
    assert resident.user is not None
    with pytest.raises(ValidationError, match="Only the village's officials keep the minutes"):
        minutes_update(actor=resident.user, session=session, notes="x")
    assert not Minutes.objects.exists() and not AuditRecord.objects.exists()


def test_page_get_and_post(session: Session, official_client: Client) -> None:
    assert official_client.get(url(session)).status_code == 200
    response = official_client.post(url(session), {"notes": "记录"})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "minutes_detail", args=[session.council.village.admin_code, session.pk]
    )
    assert Minutes.objects.get(session=session).notes == "记录"


def test_page_invalid_is_400_and_changes_nothing(session: Session, official_client: Client) -> None:
    response = official_client.post(url(session), {"notes": "x" * 20001})
    assert response.status_code == 400
    assert not Minutes.objects.exists()


def test_page_empty_post_is_400_with_its_message(session: Session, official_client: Client) -> None:
    response = official_client.post(url(session), {})
    assert response.status_code == 400
    assert "The notes are missing" in response.content.decode()
    assert not Minutes.objects.exists()


def test_page_an_empty_box_clears_the_notes(session: Session, official_client: Client, actor: User) -> None:
    minutes_update(actor=actor, session=session, notes="旧")
    assert official_client.post(url(session), {"notes": ""}).status_code == 302
    assert Minutes.objects.get(session=session).notes == ""


def test_page_refusal_after_signing_is_400(session: Session, official_client: Client, actor: User) -> None:
    Session.objects.filter(pk=session.pk).update(state=SessionState.CLOSED, closed_at=session.opened_at)
    minutes_sign(actor=actor, session=session)
    response = official_client.post(url(session), {"notes": "改"})
    assert response.status_code == 400
    assert "can no longer be changed" in response.content.decode()
    assert Minutes.objects.get(session=session).notes == ""


def test_page_roles_villages_and_anonymous(
    session: Session, resident_client: Client, outsider_client: Client, other_village: Village
) -> None:
    assert resident_client.get(url(session)).status_code == 403
    assert resident_client.post(url(session), {"notes": "x"}).status_code == 403
    assert outsider_client.post(url(session), {"notes": "x"}).status_code == 404
    foreign = reverse("minutes_update", args=[other_village.admin_code, session.pk])
    assert outsider_client.post(foreign, {"notes": "x"}).status_code == 404
    response = Client().post(url(session), {"notes": "x"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not Minutes.objects.exists()
