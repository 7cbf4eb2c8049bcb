"""A convening request's page: its matter, progress with the law's explanation, signers, and the
sign button for those who may sign."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from consultations.models import ConveningRequest
from consultations.services.convening import convening_request_create
from villagegov.models import Body, Person, Village
from villagegov.testing import client_for, council_of, make_person

pytestmark = pytest.mark.usefixtures("english")


def start(person: Person) -> ConveningRequest:
    assert person.user is not None
    return convening_request_create(
        actor=person.user,
        council=council_of(person.village, Body.VILLAGERS_ASSEMBLY),
        matter="修村道\n第二行",
    )


def url(request: ConveningRequest) -> str:
    return reverse("convening_request_detail", args=[request.council.village.admin_code, request.pk])


SIGN_BUTTON = "Sign this request"


def test_the_page_shows_the_matter_progress_and_signers(
    village: Village, resident: Person, resident_client: Client, django_assert_max_num_queries: object
) -> None:
    for _ in range(28):
        make_person(village)
    initiator = make_person(village, name="发起人", with_account=True)
    request = start(initiator)
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        response = resident_client.get(url(request))
    page = response.content.decode()
    assert response.status_code == 200
    assert "修村道<br>第二行" in page and "发起人" in page
    # 1 of 30 adults; 1/10 needs 3. The figures are written next to the bar, with the law.
    assert '<progress value="1" max="3">' in page and "1 / 3" in page
    assert "Art. 21" in page and "short of" in page
    assert SIGN_BUTTON in page
    assert reverse("convening_request_sign", args=[village.admin_code, request.pk]) in page


def test_no_sign_button_for_the_signed_nor_for_those_who_do_not_count(village: Village) -> None:
    for _ in range(28):
        make_person(village)
    initiator = make_person(village, with_account=True)
    request = start(initiator)
    assert SIGN_BUTTON not in client_for(initiator).get(url(request)).content.decode()
    child = make_person(village, with_account=True, birth_date=date(2020, 1, 1))
    assert SIGN_BUTTON not in client_for(child).get(url(request)).content.decode()


def test_a_reached_request_shows_the_badge(
    village: Village, official: Person, official_client: Client
) -> None:
    request = start(official)  # the only adult: 1 of 1 meets 1/10
    page = official_client.get(url(request)).content.decode()
    assert "threshold reached" in page and "meets" in page


def test_another_village_foreign_id_and_anonymous(
    village: Village, other_village: Village, resident_client: Client, outsider_client: Client
) -> None:
    request = start(make_person(village, with_account=True))
    response = outsider_client.get(url(request))
    assert response.status_code == 404 and "修村道" not in response.content.decode()
    theirs = start(make_person(other_village, with_account=True))
    assert (
        resident_client.get(
            reverse("convening_request_detail", args=[village.admin_code, theirs.pk])
        ).status_code
        == 404
    )
    assert (
        resident_client.get(
            reverse("convening_request_detail", args=[village.admin_code, 10**15])
        ).status_code
        == 404
    )
    anonymous = Client().get(url(request))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
