"""A session's page: its facts, the notice rule with its citation, the managers' buttons."""

import pytest
from django.test import Client
from django.urls import reverse

from consultations.models import Session
from consultations.services.sessions import session_announce
from consultations.tests.sessions_testing import make_draft
from villagegov.models import Body, Person, User, Village
from villagegov.testing import council_of

pytestmark = pytest.mark.usefixtures("english")


def url(session: Session) -> str:
    return reverse("session_detail", args=[session.council.village.admin_code, session.pk])


@pytest.fixture
def assembly_session(village: Village, official: Person) -> Session:
    assert isinstance(official.user, User)
    draft = make_draft(council_of(village, Body.VILLAGERS_ASSEMBLY), official, days_from_today=20)
    return session_announce(actor=official.user, session=draft)


def test_shows_the_session_and_its_notice_rule(assembly_session: Session, official_client: Client) -> None:
    response = official_client.get(url(assembly_session))
    content = response.content.decode()
    assert response.status_code == 200
    assert "讨论修路" in content and "村委会议室" in content and "陈主任" in content
    assert "at least 10 days ahead" in content and "Arts. 21–22" in content
    assert (
        reverse("session_open", args=[assembly_session.council.village.admin_code, assembly_session.pk])
        in content
    )


def test_residents_see_it_without_the_buttons(assembly_session: Session, resident_client: Client) -> None:
    response = resident_client.get(url(assembly_session))
    assert response.status_code == 200
    assert "session_open" not in response.content.decode()
    assert "/open/" not in response.content.decode()


def test_a_draft_is_for_managers_only(
    village: Village, official: Person, resident_client: Client, official_client: Client
) -> None:
    draft = make_draft(council_of(village, Body.VILLAGE_COMMITTEE), official)
    assert official_client.get(url(draft)).status_code == 200
    assert resident_client.get(url(draft)).status_code == 404


def test_another_village_anonymous_and_foreign_ids(
    assembly_session: Session, other_village: Village, outsider_client: Client
) -> None:
    assert outsider_client.get(url(assembly_session)).status_code == 404
    foreign_id = reverse("session_detail", args=[other_village.admin_code, assembly_session.pk])
    assert outsider_client.get(foreign_id).status_code == 404
    response = Client().get(url(assembly_session))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
