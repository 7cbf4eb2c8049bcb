"""Closing the appraisal: a supervisor in office, once; no more results after it."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from supervision.models import Appraisal
from supervision.services.appraisal import appraisal_close
from supervision.tests.appraisal_testing import make_appraisal
from supervision.tests.disclosure_testing import supervisor, user_of
from villagegov.models import AuditRecord, Person, Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def chair(village: Village) -> Person:
    return supervisor(village)


@pytest.fixture
def appraisal(village: Village, chair: Person) -> Appraisal:
    return make_appraisal(village, by=user_of(chair))


def _url(appraisal: Appraisal, code: str | None = None) -> str:
    return reverse("appraisal_close", args=[code or appraisal.village.admin_code, appraisal.pk])


def test_closes_once(appraisal: Appraisal, chair: Person) -> None:
    closed = appraisal_close(actor=user_of(chair), appraisal=appraisal)
    assert closed.closed_at is not None
    assert AuditRecord.objects.filter(action="appraisal.close").count() == 1
    with pytest.raises(ValidationError, match="already closed"):
        appraisal_close(actor=user_of(chair), appraisal=appraisal)


def test_refused_to_a_non_supervisor(appraisal: Appraisal, official: Person) -> None:
    assert official.user is not None
    with pytest.raises(ValidationError, match="Only members of the supervision committee"):
        appraisal_close(actor=official.user, appraisal=appraisal)
    appraisal.refresh_from_db()
    assert appraisal.closed_at is None


def test_post_closes_then_400(appraisal: Appraisal, chair: Person) -> None:
    client = client_for(chair)
    assert client.get(_url(appraisal)).status_code == 405
    response = client.post(_url(appraisal))
    assert response.status_code == 302
    records = AuditRecord.objects.count()
    again = client.post(_url(appraisal))
    assert again.status_code == 400 and "already closed" in again.content.decode()
    assert AuditRecord.objects.count() == records


def test_wrong_village_role_and_anonymous(
    appraisal: Appraisal,
    other_village: Village,
    chair: Person,
    official_client: Client,
    outsider_client: Client,
) -> None:
    foreign = make_appraisal(other_village, by=user_of(chair))
    assert client_for(chair).post(_url(foreign, appraisal.village.admin_code)).status_code == 404
    assert official_client.post(_url(appraisal)).status_code == 403
    assert outsider_client.post(_url(appraisal)).status_code == 404
    assert Client().post(_url(appraisal)).status_code == 302
    appraisal.refresh_from_db()
    assert appraisal.closed_at is None
