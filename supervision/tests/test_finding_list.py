"""The list of findings: filter by state including overdue, one's own (?mine=1), paginated, in
bounded queries; for holders of VIEW_REVIEWS only."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from supervision.models import FindingState, Review
from supervision.tests.reviews_testing import make_review
from supervision.views.findings import PAGE_SIZE
from villagegov.models import Person, Village
from villagegov.testing import client_for, make_person

from . import findings_testing
from .findings_testing import days_from_today, make_finding

# Fixtures shared by the finding tests.
review = findings_testing.review
supervisor = findings_testing.supervisor
supervisor_user = findings_testing.supervisor_user
supervisors = findings_testing.supervisors

pytestmark = pytest.mark.usefixtures("english")


def url(village: Village, **query: str) -> str:
    base = reverse("finding_list", args=[village.admin_code])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def findings(review: Review, village: Village) -> dict[str, Any]:
    person = make_person(village)
    return {
        "late": make_finding(review, person, deadline=days_from_today(-2), description="逾期的问题"),
        "open": make_finding(review, person, deadline=days_from_today(5), description="未整改的问题"),
        "answered": make_finding(
            review,
            person,
            deadline=days_from_today(-9),
            state=FindingState.ANSWERED,
            description="已回复的问题",
        ),
        "verified": make_finding(review, person, state=FindingState.VERIFIED, description="已核实的问题"),
    }


@pytest.mark.parametrize(
    ("state", "shown"),
    [
        ("", {"逾期的问题", "未整改的问题", "已回复的问题", "已核实的问题"}),
        ("open", {"逾期的问题", "未整改的问题"}),
        ("overdue", {"逾期的问题"}),
        ("answered", {"已回复的问题"}),
        ("verified", {"已核实的问题"}),
        ("nonsense", {"逾期的问题", "未整改的问题", "已回复的问题", "已核实的问题"}),
    ],
)
def test_filter_by_state(
    village: Village, supervisor: Person, findings: dict[str, Any], state: str, shown: set[str]
) -> None:
    response = client_for(supervisor).get(url(village, state=state))
    text = response.content.decode()
    assert response.status_code == 200
    every = {"逾期的问题", "未整改的问题", "已回复的问题", "已核实的问题"}
    assert {d for d in every if d in text} == shown


def test_mine_shows_only_ones_own(
    village: Village, review: Review, findings: dict[str, Any], official: Person
) -> None:
    make_finding(review, official, description="主任自己的问题")
    text = client_for(official).get(url(village, mine="1", state="open")).content.decode()
    assert "主任自己的问题" in text and "逾期的问题" not in text and "My findings to rectify" in text


def test_paginated_in_bounded_queries(
    village: Village, review: Review, supervisor: Person, django_assert_max_num_queries: Any
) -> None:
    for number in range(PAGE_SIZE + 5):
        make_finding(
            make_review(village, by=supervisor) if number % 5 == 0 else review,
            make_person(village),
            description=f"问题{number:03d}",
        )
    client = client_for(supervisor)
    with django_assert_max_num_queries(15):
        first = client.get(url(village))
    assert first.content.decode().count("finding-card") == PAGE_SIZE
    second = client.get(url(village, page="2"))
    assert second.content.decode().count("finding-card") == 5
    assert client.get(url(village, page="99999999999999999999")).status_code == 200
    assert client.get(url(village, page="x")).status_code == 200


def test_other_villages_findings_are_not_listed(
    village: Village, other_village: Village, supervisor: Person, findings: dict[str, Any]
) -> None:
    foreign_review = make_review(other_village, title="外村审核")
    make_finding(foreign_review, make_person(other_village), description="外村的问题")
    assert "外村的问题" not in client_for(supervisor).get(url(village)).content.decode()


def test_guards(
    village: Village, resident_client: Client, outsider_client: Client, official_client: Client
) -> None:
    assert official_client.get(url(village)).status_code == 200
    assert resident_client.get(url(village)).status_code == 403
    assert outsider_client.get(url(village)).status_code == 404
    anonymous = Client().get(url(village))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
