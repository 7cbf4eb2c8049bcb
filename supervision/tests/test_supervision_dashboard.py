"""The supervision dashboard: counts of open, answered, verified and overdue findings with a bar
chart carrying numbers, overdue findings first, recent reviews, questions past due unanswered,
and the link to one's own findings; bounded queries; VIEW_REVIEWS only."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from supervision.models import FindingState, Question, Review
from supervision.selectors.findings import finding_counts
from supervision.tests.reviews_testing import make_review
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


def url(village: Village) -> str:
    return reverse("supervision_dashboard", args=[village.admin_code])


def ask(
    village: Village, to: Person, by: Person, *, due_in: int, answered: bool = False, text: str
) -> Question:
    assert by.user is not None
    now = timezone.now()
    return Question.objects.create(
        village=village,
        addressed_to_person=to,
        text=text,
        due_on=days_from_today(due_in),
        asked_by=by.user,
        asked_at=now,
        answer="已答复" if answered else "",
        answered_by=by.user if answered else None,
        answered_at=now if answered else None,
    )


def test_counts_chart_overdue_reviews_and_questions(
    village: Village, review: Review, supervisor: Person, official: Person
) -> None:
    person = make_person(village)
    make_finding(review, person, deadline=days_from_today(-3), description="逾期三天的问题")
    make_finding(review, person, deadline=days_from_today(4))
    make_finding(review, person, state=FindingState.ANSWERED, deadline=days_from_today(-5))
    make_finding(review, person, state=FindingState.VERIFIED)
    make_finding(review, official, description="主任的问题")
    ask(village, official, supervisor, due_in=-2, text="逾期未答的质询")
    ask(village, official, supervisor, due_in=-2, answered=True, text="已经答复的质询")
    ask(village, official, supervisor, due_in=5, text="未到期的质询")

    counts = finding_counts(village)
    assert (counts.open, counts.answered, counts.verified, counts.overdue) == (3, 1, 1, 1)
    page = client_for(supervisor).get(url(village))
    text = page.content.decode()
    assert page.status_code == 200
    assert "逾期三天的问题" in text and "Overdue by 3 days" in text
    assert text.index("Overdue rectifications") < text.index("Recent reviews")
    assert "审核2024年凭证" in text and reverse("review_list", args=[village.admin_code]) in text
    assert "逾期未答的质询" in text and "已经答复的质询" not in text and "未到期的质询" not in text
    assert reverse("question_list", args=[village.admin_code]) in text
    assert "finding-bar-overdue" in text and '<span class="chart-value">3</span>' in text
    official_page = client_for(official).get(url(village)).content.decode()
    assert "My findings to rectify (1)" in official_page


def test_empty_village(village: Village, supervisor: Person) -> None:
    text = client_for(supervisor).get(url(village)).content.decode()
    assert "No findings recorded yet." in text and "Nothing is overdue." in text


def test_bounded_queries(village: Village, supervisor: Person, django_assert_max_num_queries: Any) -> None:
    official = make_person(village)
    for number in range(15):
        review = make_review(village, by=supervisor, title=f"审核{number}")
        make_finding(review, make_person(village), deadline=days_from_today(-1 - number))
        ask(village, official, supervisor, due_in=-1, text=f"质询{number}")
    client = client_for(supervisor)
    with django_assert_max_num_queries(15):
        assert client.get(url(village)).status_code == 200


def test_other_villages_findings_do_not_count(
    village: Village, other_village: Village, supervisor: Person
) -> None:
    make_finding(make_review(other_village), make_person(other_village), deadline=days_from_today(-1))
    assert finding_counts(village).overdue == 0


def test_guards(
    village: Village, resident_client: Client, outsider_client: Client, official_client: Client
) -> None:
    assert official_client.get(url(village)).status_code == 200
    assert resident_client.get(url(village)).status_code == 403
    assert outsider_client.get(url(village)).status_code == 404
    anonymous = Client().get(url(village))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
