"""A finding's page: the responsible person sees their own (with the answer form), holders of
VIEW_REVIEWS see every finding of the village, anyone else finds nothing; the deadline and overdue
in words and a badge; the history with evidence links; the verify form for the committee."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from supervision.models import Finding, FindingState, FindingVerification, Review, VerificationOutcome
from villagegov.models import Person, Village
from villagegov.testing import client_for, make_person

from . import findings_testing
from .findings_testing import days_from_today, make_answer, make_finding

# Fixtures shared by the finding tests.
media = findings_testing.media
review = findings_testing.review
supervisor = findings_testing.supervisor
supervisor_user = findings_testing.supervisor_user
supervisors = findings_testing.supervisors

pytestmark = pytest.mark.usefixtures("english", "media")


@pytest.fixture
def responsible(village: Village) -> Person:
    return make_person(village, name="报账员老王", with_account=True)


def url(finding: Finding) -> str:
    return reverse("finding_detail", args=[finding.review.village.admin_code, finding.pk])


def test_the_responsible_resident_sees_their_own_and_may_answer(review: Review, responsible: Person) -> None:
    finding = make_finding(review, responsible, deadline=days_from_today(3))
    page = client_for(responsible).get(url(finding))
    text = page.content.decode()
    assert page.status_code == 200 and "报账凭证缺少经手人签字" in text
    assert "3 days left" in text and "To be rectified" in text
    assert reverse("finding_answer", args=[review.village.admin_code, finding.pk]) in text
    assert reverse("finding_verify", args=[review.village.admin_code, finding.pk]) not in text


def test_another_resident_finds_nothing(review: Review, responsible: Person, resident_client: Client) -> None:
    finding = make_finding(review, responsible)
    assert resident_client.get(url(finding)).status_code == 404


def test_officials_see_it_without_the_answer_form(
    review: Review, responsible: Person, official_client: Client
) -> None:
    finding = make_finding(review, responsible)
    page = official_client.get(url(finding))
    assert page.status_code == 200 and "报账员老王" in page.content.decode()
    assert (
        reverse("finding_answer", args=[review.village.admin_code, finding.pk]) not in page.content.decode()
    )


def test_overdue_in_words_and_badge(review: Review, responsible: Person, supervisor: Person) -> None:
    finding = make_finding(review, responsible, deadline=days_from_today(-4))
    text = client_for(supervisor).get(url(finding)).content.decode()
    assert "Overdue by 4 days" in text and "badge-bad" in text and "4 days overdue" in text


def test_due_today(review: Review, responsible: Person, supervisor: Person) -> None:
    finding = make_finding(review, responsible, deadline=days_from_today(0))
    assert "due today" in client_for(supervisor).get(url(finding)).content.decode()


def test_history_and_the_verify_form(
    review: Review,
    responsible: Person,
    supervisor: Person,
    supervisor_user: Any,
    django_assert_max_num_queries: Any,
) -> None:
    finding = make_finding(review, responsible)
    make_answer(finding, text="第一次回复", with_file=True)
    FindingVerification.objects.create(
        finding=finding,
        outcome=VerificationOutcome.REOPENED,
        reason="签字仍不全",
        verified_by=supervisor_user,
        verified_at=timezone.now(),
    )
    make_answer(finding, text="第二次回复", with_file=True)
    client = client_for(supervisor)
    with django_assert_max_num_queries(25):
        page = client.get(url(finding))
    text = page.content.decode()
    assert text.index("第一次回复") < text.index("签字仍不全") < text.index("第二次回复")
    assert text.count("签字凭证.pdf") == 2 and "Reopened: not rectified" in text
    evidence = finding.responses.first().evidence.get()  # type: ignore[union-attr]
    assert reverse("evidence_file", args=[review.village.admin_code, evidence.pk]) in text
    assert reverse("finding_verify", args=[review.village.admin_code, finding.pk]) in text
    assert "Answered, awaiting verification" in text


def test_verified_shows_no_forms(review: Review, responsible: Person, supervisor: Person) -> None:
    finding = make_finding(review, responsible, state=FindingState.VERIFIED)
    text = client_for(supervisor).get(url(finding)).content.decode()
    assert "Rectified and verified" in text and '<form class="form"' not in text


def test_guards(review: Review, responsible: Person, outsider_client: Client, other_village: Village) -> None:
    finding = make_finding(review, responsible)
    assert outsider_client.get(url(finding)).status_code == 404
    foreign = reverse("finding_detail", args=[other_village.admin_code, finding.pk])
    assert outsider_client.get(foreign).status_code == 404
    anonymous = Client().get(url(finding))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    too_big = url(finding).replace(f"/{finding.pk}/", f"/{10**20}/")
    assert client_for(responsible).get(too_big).status_code == 404


def test_review_page_panel_lists_the_review_s_findings(
    village: Village, review: Review, responsible: Person, django_assert_max_num_queries: Any
) -> None:
    from django.template.loader import render_to_string

    make_finding(review, responsible, deadline=days_from_today(-1), description="面板里的问题")
    make_finding(review, make_person(village), description="另一个问题")
    context = {"review": review, "current_village": village, "allowed_actions": {"run_reviews"}}
    with django_assert_max_num_queries(1):
        html = render_to_string("supervision/_review_findings.html", context)
    assert "面板里的问题" in html and "Overdue by 1 day" in html and "另一个问题" in html
    assert reverse("finding_create", args=[village.admin_code, review.pk]) in html
