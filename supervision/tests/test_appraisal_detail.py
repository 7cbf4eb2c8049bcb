"""The appraisal's page: every resident may read the members appraised with their results; the
committee's members in office get a form per member still to rate; the rule is stated."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from supervision.models import Appraisal, AppraisalRating
from supervision.tests.appraisal_testing import committee_member, make_appraisal, make_result
from supervision.tests.disclosure_testing import supervisor, user_of
from villagegov.models import Person, Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def chair(village: Village) -> Person:
    return supervisor(village)


@pytest.fixture
def appraisal(village: Village, chair: Person) -> Appraisal:
    return make_appraisal(village, by=user_of(chair))


def _url(appraisal: Appraisal, code: str | None = None) -> str:
    return reverse("appraisal_detail", args=[code or appraisal.village.admin_code, appraisal.pk])


def test_a_resident_reads_the_results_without_forms(
    village: Village, appraisal: Appraisal, chair: Person, resident_client: Client
) -> None:
    rated = committee_member(village, name="张委员")
    committee_member(village, name="王委员")
    make_result(appraisal, rated, AppraisalRating.BASICALLY_COMPETENT, by=user_of(chair))
    response = resident_client.get(_url(appraisal))
    page = response.content.decode()
    assert response.status_code == 200
    assert "张委员" in page and "王委员" in page and "basically competent" in page
    assert "app&#x27;s default" in page or "app's default" in page
    assert all(form is None for _row, form in response.context["rows"])


def test_a_supervisor_gets_a_form_for_each_member_still_to_rate(
    village: Village, appraisal: Appraisal, chair: Person
) -> None:
    rated = committee_member(village, name="张委员")
    waiting = committee_member(village, name="王委员")
    make_result(appraisal, rated, AppraisalRating.COMPETENT, by=user_of(chair))
    response = client_for(chair).get(_url(appraisal))
    forms = {row.person_id: form for row, form in response.context["rows"]}
    assert forms[rated.pk] is None and forms[waiting.pk] is not None
    assert reverse("appraisal_result_record", args=[village.admin_code, appraisal.pk, waiting.pk]) in (
        response.content.decode()
    )


def test_bounded_queries(
    village: Village, appraisal: Appraisal, chair: Person, django_assert_max_num_queries: Any
) -> None:
    for index in range(6):
        member = committee_member(village, name=f"委员{index}")
        make_result(appraisal, member, AppraisalRating.COMPETENT, by=user_of(chair))
    client = client_for(chair)
    with django_assert_max_num_queries(20):
        assert client.get(_url(appraisal)).status_code == 200


def test_other_villages_appraisal_and_anonymous(
    appraisal: Appraisal, other_village: Village, chair: Person, outsider_client: Client
) -> None:
    foreign = make_appraisal(other_village, by=user_of(chair))
    assert client_for(chair).get(_url(foreign, appraisal.village.admin_code)).status_code == 404
    assert outsider_client.get(_url(appraisal)).status_code == 404
    anonymous = Client().get(_url(appraisal))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
