"""minutes_sign: only the session's chair, only after the close, once; then the minutes are final."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from consultations.models import Minutes, Session, SessionState
from consultations.services.minutes import minutes_sign, minutes_update
from consultations.tests.attendance_testing import make_session, representatives_meeting
from villagegov.models import AuditRecord, Person, Role, User, Village
from villagegov.testing import client_for, make_person

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def chair(village: Village) -> Person:
    return make_person(village, name="张主持", with_account=True)


@pytest.fixture
def session(village: Village, chair: Person) -> Session:
    return make_session(representatives_meeting(village), state=SessionState.CLOSED, chair=chair)


def url(session: Session) -> str:
    return reverse("minutes_sign", args=[session.council.village.admin_code, session.pk])


def test_the_chair_signs_after_the_close_and_it_is_audited(session: Session, chair: Person) -> None:
    assert chair.user is not None
    minutes = minutes_sign(actor=chair.user, session=session)
    assert minutes.signed_by == chair and minutes.signed_at is not None
    record = AuditRecord.objects.get(action="minutes.sign")
    assert record.after is not None and record.after["signed_by_id"] == chair.pk


def test_sign_before_close_is_refused(village: Village, chair: Person) -> None:
    assert chair.user is not None
    session = make_session(representatives_meeting(village), state=SessionState.OPEN, chair=chair)
    with pytest.raises(ValidationError, match="after the session is closed"):
        minutes_sign(actor=chair.user, session=session)
    assert not Minutes.objects.exists() and not AuditRecord.objects.exists()


def test_non_chair_cannot_sign_not_even_an_official(session: Session, actor: User, chair: Person) -> None:
    with pytest.raises(ValidationError, match=f"Only the chair of the session, {chair.name}"):
        minutes_sign(actor=actor, session=session)
    assert not Minutes.objects.exists()


def test_chair_who_left_the_roster_cannot_sign(session: Session, chair: Person) -> None:
    assert chair.user is not None
    Person.objects.filter(pk=chair.pk).update(left_on="2024-01-01")
    with pytest.raises(ValidationError, match="Only the chair"):
        minutes_sign(actor=chair.user, session=session)


def test_signing_twice_is_refused(session: Session, chair: Person) -> None:
    assert chair.user is not None
    minutes_sign(actor=chair.user, session=session)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        minutes_sign(actor=chair.user, session=session)
    assert AuditRecord.objects.filter(action="minutes.sign").count() == 1


def test_signing_keeps_the_notes(session: Session, chair: Person, actor: User) -> None:
    assert chair.user is not None
    minutes_update(actor=actor, session=session, notes="要点")
    minutes_sign(actor=chair.user, session=session)
    assert Minutes.objects.get(session=session).notes == "要点"


def test_page_sign(session: Session, chair: Person) -> None:
    client = client_for(chair)
    assert client.get(url(session)).status_code == 405
    response = client.post(url(session))
    assert response.status_code == 302
    assert Minutes.objects.get(session=session).signed_by == chair


def test_page_refusal_is_400_and_changes_nothing(session: Session, official_client: Client) -> None:
    response = official_client.post(url(session))
    assert response.status_code == 400
    assert "Only the chair of the session" in response.content.decode()
    assert not Minutes.objects.filter(signed_at__isnull=False).exists()


def test_page_roles_villages_and_anonymous(
    session: Session, village: Village, outsider_client: Client, other_village: Village
) -> None:
    township = make_person(village, roles=(Role.TOWNSHIP_STAFF,), with_account=True)
    # Everyone may take part; the service refuses anyone but the chair.
    assert client_for(township).post(url(session)).status_code == 400
    assert outsider_client.post(url(session)).status_code == 404
    foreign = reverse("minutes_sign", args=[other_village.admin_code, session.pk])
    assert outsider_client.post(foreign).status_code == 404
    response = Client().post(url(session))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not Minutes.objects.exists()
