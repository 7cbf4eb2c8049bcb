"""The public board (公开栏): anyone sees only the published resolutions of that village."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Resolution, SessionState
from consultations.selectors.resolutions import published_resolutions
from consultations.tests.attendance_testing import make_session, representatives_meeting
from consultations.tests.minutes_testing import make_closed_poll, make_resolution
from villagegov.models import Person, User, Village
from villagegov.testing import make_person

pytestmark = pytest.mark.usefixtures("english")


def resolution_in(village: Village, *, title: str, published_by: User | None) -> Resolution:
    chair = make_person(village, with_account=True)
    session = make_session(representatives_meeting(village), state=SessionState.CLOSED, chair=chair)
    resolution = make_resolution(make_closed_poll(session), published_by=published_by)
    Resolution.objects.filter(pk=resolution.pk).update(title=title)
    resolution.refresh_from_db()
    return resolution


@pytest.fixture
def board(village: Village, other_village: Village, actor: User) -> dict[str, Resolution]:
    return {
        "published": resolution_in(village, title="公开的决议", published_by=actor),
        "draft": resolution_in(village, title="未公开的决议", published_by=None),
        "foreign": resolution_in(other_village, title="别村的决议", published_by=actor),
    }


def test_selector_lists_only_the_villages_published(village: Village, board: dict[str, Resolution]) -> None:
    assert list(published_resolutions(village)) == [board["published"]]


def test_anonymous_sees_published_only(village: Village, board: dict[str, Resolution]) -> None:
    response = Client().get(reverse("resolution_board", args=[village.admin_code]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "公开的决议" in text
    assert "未公开的决议" not in text and "别村的决议" not in text


def test_detail_shows_text_figures_and_citation(village: Village, board: dict[str, Resolution]) -> None:
    resolution = board["published"]
    response = Client().get(reverse("resolution_detail", args=[village.admin_code, resolution.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert resolution.text in text and resolution.session.title in text
    assert "Art. 26" in text and "passed" in text and ">15<" in text


def test_unpublished_and_other_villages_are_404(
    village: Village, other_village: Village, board: dict[str, Resolution], resident: Person
) -> None:
    for client in (Client(), Client()):
        assert (
            client.get(reverse("resolution_detail", args=[village.admin_code, board["draft"].pk])).status_code
            == 404
        )
        assert (
            client.get(
                reverse("resolution_detail", args=[village.admin_code, board["foreign"].pk])
            ).status_code
            == 404
        )
        foreign_code = reverse("resolution_detail", args=[other_village.admin_code, board["published"].pk])
        assert client.get(foreign_code).status_code == 404
    assert Client().get(reverse("resolution_board", args=["000000000000"])).status_code == 404


def test_board_is_newest_first_paginated_and_bounded(village: Village, actor: User) -> None:
    for n in range(25):
        resolution_in(village, title=f"决议{n:02d}", published_by=actor)
    url = reverse("resolution_board", args=[village.admin_code])
    with CaptureQueriesContext(connection) as queries:
        first = Client().get(url)
    assert len(queries) < 10
    text = first.content.decode()
    assert "决议24" in text and "决议04" not in text
    assert "决议04" in Client().get(url, {"page": "2"}).content.decode()
    assert Client().get(url, {"page": "1e309"}).status_code == 200
