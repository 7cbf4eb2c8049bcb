"""Sessions in the Django admin: readable, never changed there, the check-in code not shown."""

import pytest
from django.test import Client
from django.urls import reverse

from consultations.tests.sessions_testing import make_draft
from villagegov.models import Body, Person, User, Village
from villagegov.testing import council_of


@pytest.fixture
def superuser_client(db: None) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser(username="root", password="root-pass-123"))
    return client


def test_readable_not_changeable_and_without_the_code(
    village: Village, official: Person, superuser_client: Client
) -> None:
    session = make_draft(council_of(village, Body.VILLAGE_COMMITTEE), official)
    changelist = superuser_client.get(reverse("admin:consultations_session_changelist"))
    assert changelist.status_code == 200 and session.title in changelist.content.decode()
    page = superuser_client.get(reverse("admin:consultations_session_change", args=[session.pk]))
    assert page.status_code == 200
    assert session.join_code not in page.content.decode()
    assert superuser_client.get(reverse("admin:consultations_session_add")).status_code == 403
    assert superuser_client.get(reverse("admin:consultations_attendance_changelist")).status_code == 200
