"""The village's appraisals by year with their counts of outcomes, linked from the supervision
dashboard and the committee's page."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from supervision.models import AppraisalRating
from supervision.tests.appraisal_testing import committee_member, make_appraisal, make_result
from supervision.tests.disclosure_testing import supervisor, user_of
from villagegov.models import Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


def _url(village: Village) -> str:
    return reverse("appraisal_list", args=[village.admin_code])


def test_by_year_with_counts(village: Village, other_village: Village, resident_client: Client) -> None:
    chair = user_of(supervisor(village))
    year = timezone.localdate().year
    this_year = make_appraisal(village, by=chair, year=year)
    last_year = make_appraisal(village, by=chair, year=year - 1)
    make_appraisal(other_village, by=chair)
    for outcome in (AppraisalRating.COMPETENT, AppraisalRating.COMPETENT, AppraisalRating.INCOMPETENT):
        make_result(this_year, committee_member(village), outcome, by=chair)
    response = resident_client.get(_url(village))
    assert response.status_code == 200
    appraisals = response.context["appraisals"]
    assert [a.pk for a in appraisals] == [this_year.pk, last_year.pk]
    assert (
        appraisals[0].competent_count,
        appraisals[0].basically_count,
        appraisals[0].incompetent_count,
    ) == (
        2,
        0,
        1,
    )
    assert "2 competent" in response.content.decode()
    assert reverse("appraisal_create", args=[village.admin_code]) not in response.content.decode()


def test_a_supervisor_is_offered_to_open_one(village: Village) -> None:
    response = client_for(supervisor(village)).get(_url(village))
    assert reverse("appraisal_create", args=[village.admin_code]) in response.content.decode()


def test_linked_from_the_dashboard_and_the_committee(village: Village) -> None:
    client = client_for(supervisor(village))
    for page in ("supervision_dashboard", "committee_detail"):
        assert _url(village) in client.get(reverse(page, args=[village.admin_code])).content.decode()


def test_outsider_and_anonymous(village: Village, outsider_client: Client) -> None:
    assert outsider_client.get(_url(village)).status_code == 404
    assert Client().get(_url(village)).status_code == 302
