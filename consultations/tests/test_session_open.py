"""The session_open transition: the service and the page."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.models import Session, SessionState
from consultations.services.sessions import session_announce, session_open
from consultations.tests.sessions_testing import make_draft
from villagegov.models import AuditRecord, Body, Person, User, Village
from villagegov.testing import council_of

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def session(village: Village, official: Person, actor: User) -> Session:
    """An announced session of the village committee."""
    session = make_draft(council_of(village, Body.VILLAGE_COMMITTEE), official)
    session = session_announce(actor=actor, session=session)
    # The meeting day has come: a session opens on its day, not before.
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now())
    session.refresh_from_db()
    return session


def url(session: Session) -> str:
    return reverse("session_open", args=[session.council.village.admin_code, session.pk])


def test_moves_the_session_on_and_records_it(session: Session, actor: User) -> None:
    changed = session_open(actor=actor, session=session)
    session.refresh_from_db()
    assert session.state == changed.state == SessionState.OPEN
    assert session.opened_at is not None
    record = AuditRecord.objects.get(action="session.open")
    assert record.before is not None and record.after is not None
    assert record.before["state"] == "announced" and record.after["state"] == "open"
    assert "join_code" not in record.after


def test_refuses_the_wrong_state(session: Session, actor: User) -> None:
    session_open(actor=actor, session=session)
    with pytest.raises(ValidationError, match="Only an announced session can be opened"):
        session_open(actor=actor, session=session)
    assert AuditRecord.objects.filter(action="session.open").count() == 1


def test_refuses_a_draft(village: Village, official: Person, actor: User) -> None:
    draft = make_draft(council_of(village, Body.VILLAGE_COMMITTEE), official)
    with pytest.raises(ValidationError, match="this one is draft"):
        session_open(actor=actor, session=draft)
    draft.refresh_from_db()
    assert draft.state == SessionState.DRAFT and draft.opened_at is None


def test_page_open(session: Session, official_client: Client) -> None:
    response = official_client.post(url(session))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.state == SessionState.OPEN


def test_page_shows_the_refusal(session: Session, official_client: Client) -> None:
    official_client.post(url(session))
    response = official_client.post(url(session))
    assert response.status_code == 400
    assert "Only an announced session can be opened" in response.content.decode()


def test_page_is_post_only_and_for_managers(
    session: Session, official_client: Client, resident_client: Client
) -> None:
    assert official_client.get(url(session)).status_code == 405
    assert resident_client.post(url(session)).status_code == 403
    session.refresh_from_db()
    assert session.state == SessionState.ANNOUNCED


def test_another_village_anonymous_and_foreign_ids(
    session: Session, other_village: Village, outsider_client: Client
) -> None:
    assert outsider_client.post(url(session)).status_code == 404
    foreign_id = reverse("session_open", args=[other_village.admin_code, session.pk])
    assert outsider_client.post(foreign_id).status_code == 404
    response = Client().post(url(session))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    session.refresh_from_db()
    assert session.state == SessionState.ANNOUNCED


def test_refuses_to_open_before_the_day(
    village: Village, official: Person, actor: User, english: None
) -> None:
    early = session_announce(
        actor=actor, session=make_draft(council_of(village, Body.VILLAGE_COMMITTEE), official)
    )
    with pytest.raises(ValidationError, match="it can be opened on that day"):
        session_open(actor=actor, session=early)
    early.refresh_from_db()
    assert early.state == SessionState.ANNOUNCED
