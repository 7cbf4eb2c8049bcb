"""The village's sessions: upcoming first, then past; drafts only for managers."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.services.sessions import session_announce, session_close, session_open
from consultations.tests.sessions_testing import make_draft
from villagegov.models import Body, Person, User, Village
from villagegov.testing import council_of

pytestmark = pytest.mark.usefixtures("english")


def url(village: Village) -> str:
    return reverse("session_list", args=[village.admin_code])


@pytest.fixture
def sessions(village: Village, official: Person) -> dict[str, str]:
    """A draft, an announced session and a closed one, titled by what they are."""
    actor = official.user
    assert isinstance(actor, User)
    committee = council_of(village, Body.VILLAGE_COMMITTEE)
    draft = make_draft(committee, official, days_from_today=30)
    draft.title = "Draft meeting"
    draft.save(update_fields=["title"])
    soon = session_announce(actor=actor, session=make_draft(committee, official, days_from_today=5))
    soon.title = "Announced meeting"
    soon.starts_at = timezone.now()  # its day has come, so it can be opened
    soon.save(update_fields=["title", "starts_at"])
    later = session_announce(actor=actor, session=make_draft(committee, official, days_from_today=8))
    later.title = "Later meeting"
    later.save(update_fields=["title"])
    done = session_close(actor=actor, session=session_open(actor=actor, session=soon))
    # The closed one moves into the past, as if it met last week.
    done.title = "Past meeting"
    done.starts_at = done.starts_at.replace(year=done.starts_at.year - 1)
    done.save(update_fields=["title", "starts_at"])
    return {"draft": draft.title, "past": done.title, "later": later.title}


def test_upcoming_first_then_past_with_states(
    village: Village, sessions: dict[str, str], official_client: Client
) -> None:
    response = official_client.get(url(village))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.index("Later meeting") < content.index("Past meeting")
    assert "Draft meeting" in content and "New session" in content
    assert "badge-warn" in content  # the draft's badge


def test_residents_see_no_drafts_and_no_new_button(
    village: Village, sessions: dict[str, str], resident_client: Client
) -> None:
    content = resident_client.get(url(village)).content.decode()
    assert "Later meeting" in content and "Past meeting" in content
    assert "Draft meeting" not in content and "New session" not in content


def test_only_the_village_s_own_sessions(
    village: Village, other_village: Village, sessions: dict[str, str], outsider_client: Client
) -> None:
    assert outsider_client.get(url(village)).status_code == 404
    content = outsider_client.get(url(other_village)).content.decode()
    assert "Later meeting" not in content


def test_anonymous_is_sent_to_log_in(village: Village) -> None:
    response = Client().get(url(village))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_bad_page_number_is_no_error(village: Village, resident_client: Client) -> None:
    assert resident_client.get(url(village), {"page": "99999999999999999999"}).status_code == 200
