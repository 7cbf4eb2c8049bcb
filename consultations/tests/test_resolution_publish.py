"""resolution_publish: after the session closed, once, onto the village's public board."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from consultations.models import Resolution, SessionState
from consultations.services.resolutions import resolution_publish
from consultations.tests.attendance_testing import make_session, representatives_meeting
from consultations.tests.minutes_testing import make_closed_poll, make_resolution
from villagegov.models import AuditRecord, Person, User, Village

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def resolution(village: Village, official: Person) -> Resolution:
    session = make_session(representatives_meeting(village), state=SessionState.CLOSED, chair=official)
    return make_resolution(make_closed_poll(session))


def url(resolution: Resolution) -> str:
    session = resolution.session
    return reverse("resolution_publish", args=[session.council.village.admin_code, session.pk, resolution.pk])


def test_publishes_and_audits(resolution: Resolution, actor: User) -> None:
    resolution_publish(actor=actor, resolution=resolution)
    resolution.refresh_from_db()
    assert resolution.published_at is not None and resolution.published_by == actor
    record = AuditRecord.objects.get(action="resolution.publish")
    assert record.before is not None and record.before["published_at"] is None


def test_refused_before_the_session_closed(village: Village, official: Person, actor: User) -> None:
    session = make_session(representatives_meeting(village), state=SessionState.OPEN, chair=official)
    resolution = make_resolution(make_closed_poll(session))
    with pytest.raises(ValidationError, match="after its session is closed"):
        resolution_publish(actor=actor, resolution=resolution)
    resolution.refresh_from_db()
    assert resolution.published_at is None and not AuditRecord.objects.exists()


def test_publishing_twice_is_refused(resolution: Resolution, actor: User) -> None:
    resolution_publish(actor=actor, resolution=resolution)
    with pytest.raises(ValidationError, match="already published"):
        resolution_publish(actor=actor, resolution=resolution)
    assert AuditRecord.objects.filter(action="resolution.publish").count() == 1


def test_only_those_who_keep_minutes_may_publish(resolution: Resolution, resident: Person) -> None:
    assert resident.user is not None
    with pytest.raises(ValidationError, match="Only the village's officials keep the minutes"):
        resolution_publish(actor=resident.user, resolution=resolution)
    resolution.refresh_from_db()
    assert resolution.published_at is None and not AuditRecord.objects.exists()


def test_page_publish_goes_to_the_board(resolution: Resolution, official_client: Client) -> None:
    assert official_client.get(url(resolution)).status_code == 405
    response = official_client.post(url(resolution))
    assert response.status_code == 302
    village = resolution.session.council.village
    assert response["Location"] == reverse("resolution_detail", args=[village.admin_code, resolution.pk])
    resolution.refresh_from_db()
    assert resolution.published_at is not None


def test_page_refusal_is_400(resolution: Resolution, official_client: Client, actor: User) -> None:
    resolution_publish(actor=actor, resolution=resolution)
    response = official_client.post(url(resolution))
    assert response.status_code == 400
    assert "already published" in response.content.decode()


def test_page_roles_villages_and_anonymous(
    resolution: Resolution, resident_client: Client, outsider_client: Client, other_village: Village
) -> None:
    assert resident_client.post(url(resolution)).status_code == 403
    assert outsider_client.post(url(resolution)).status_code == 404
    session = resolution.session
    foreign = reverse("resolution_publish", args=[other_village.admin_code, session.pk, resolution.pk])
    assert outsider_client.post(foreign).status_code == 404
    response = Client().post(url(resolution))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    resolution.refresh_from_db()
    assert resolution.published_at is None
