"""The list of the village's reviews: filtered by kind and state, paginated, in a bounded number
of queries whatever the kinds; only to those who may read reviews."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision.models import ReviewState
from supervision.selectors.reviews import REVIEW_KINDS
from supervision.tests.reviews_testing import committee, make_review
from villagegov.models import Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


def url(village: Village, query: str = "") -> str:
    return reverse("review_list", args=[village.admin_code]) + query


@pytest.mark.django_db
def test_lists_the_villages_reviews_with_their_kind(
    village: Village, other_village: Village, official_client: Client
) -> None:
    make_review(village, kind="project", title="村道工程审核")
    make_review(other_village, title="外村审核")
    response = official_client.get(url(village))
    assert response.status_code == 200
    text = response.content.decode()
    assert "村道工程审核" in text and "Construction project" in text
    assert "外村审核" not in text


@pytest.mark.django_db
def test_filters_by_kind_and_state(village: Village, official_client: Client) -> None:
    make_review(village, kind="voucher", title="凭证甲")
    make_review(village, kind="voucher", title="凭证乙", state=ReviewState.CONCLUDED)
    make_review(village, kind="policy", title="补贴丙")
    text = official_client.get(url(village, "?kind=voucher&state=concluded")).content.decode()
    assert "凭证乙" in text and "凭证甲" not in text and "补贴丙" not in text
    text = official_client.get(url(village, "?kind=policy")).content.decode()
    assert "补贴丙" in text and "凭证甲" not in text
    # Unknown filters are ignored, never an error.
    response = official_client.get(url(village, "?kind=zzz&state=zzz&page=99999999999999999999"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_queries_do_not_grow_with_reviews_of_every_kind(village: Village, official_client: Client) -> None:
    for kind in REVIEW_KINDS:
        make_review(village, kind=kind)
    with CaptureQueriesContext(connection) as few:
        official_client.get(url(village))
    for kind in REVIEW_KINDS:
        make_review(village, kind=kind)
        make_review(village, kind=kind)
    with CaptureQueriesContext(connection) as many:
        official_client.get(url(village))
    assert len(many) == len(few)


@pytest.mark.django_db
def test_paginated(village: Village, official_client: Client) -> None:
    for number in range(25):
        make_review(village, title=f"审核{number:02d}")
    first = official_client.get(url(village)).content.decode()
    second = official_client.get(url(village, "?page=2")).content.decode()
    assert "审核24" in first and "审核00" not in first
    assert "审核00" in second


@pytest.mark.django_db
def test_supervisors_are_offered_to_open_a_review(village: Village, official_client: Client) -> None:
    create = reverse("review_create", args=[village.admin_code])
    assert create not in official_client.get(url(village)).content.decode()
    assert create in client_for(committee(village, 3)[0]).get(url(village)).content.decode()


@pytest.mark.django_db
def test_access(village: Village, resident_client: Client, outsider_client: Client) -> None:
    make_review(village, title="保密审核")
    response = resident_client.get(url(village))
    assert response.status_code == 403 and "保密审核" not in response.content.decode()
    assert outsider_client.get(url(village)).status_code == 404
    anonymous = Client().get(url(village))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
