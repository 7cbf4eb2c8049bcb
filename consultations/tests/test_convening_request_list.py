"""The list of a village's convening requests."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.models import ConveningRequest, ConveningSignature
from villagegov.models import Body, Person, Village
from villagegov.testing import council_of, make_person

pytestmark = pytest.mark.usefixtures("english")


def make_request(
    village: Village, matter: str, *, signers: int = 1, reached: bool = False
) -> ConveningRequest:
    people = [make_person(village) for _ in range(signers)]
    request = ConveningRequest.objects.create(
        council=council_of(village, Body.VILLAGERS_ASSEMBLY),
        matter=matter,
        initiator=people[0],
        threshold_reached_at=timezone.now() if reached else None,
    )
    for person in people:
        ConveningSignature.objects.create(request=request, person=person, signed_at=timezone.now())
    return request


def url(village: Village) -> str:
    return reverse("convening_request_list", args=[village.admin_code])


def test_the_list_shows_each_request_with_its_count_and_badge(
    village: Village, other_village: Village, resident_client: Client
) -> None:
    make_request(village, "修村道", signers=3)
    make_request(village, "建祠堂", signers=5, reached=True)
    make_request(other_village, "别村的事")
    response = resident_client.get(url(village))
    page = response.content.decode()
    assert response.status_code == 200
    assert "修村道" in page and "建祠堂" in page and "别村的事" not in page
    assert page.count("threshold reached") == 1
    assert "<td>3</td>" in page and "<td>5</td>" in page


def test_the_query_count_does_not_grow_with_the_requests(
    village: Village, resident_client: Client, django_assert_max_num_queries: object
) -> None:
    for n in range(8):
        make_request(village, f"事项{n}", signers=2)
    with django_assert_max_num_queries(15):  # type: ignore[operator]
        assert resident_client.get(url(village)).status_code == 200


def test_the_list_links_to_starting_a_request_and_the_sessions_link_to_it(
    village: Village, resident_client: Client
) -> None:
    council_of(village, Body.VILLAGERS_ASSEMBLY)
    page = resident_client.get(url(village)).content.decode()
    assert reverse("convening_request_create", args=[village.admin_code]) in page
    sessions = resident_client.get(reverse("session_list", args=[village.admin_code])).content.decode()
    assert url(village) in sessions


def test_empty_list(village: Village, resident_client: Client) -> None:
    page = resident_client.get(url(village)).content.decode()
    assert "No convening requests yet." in page
    assert reverse("convening_request_create", args=[village.admin_code]) not in page  # no council to request


def test_another_village_and_anonymous(village: Village, outsider_client: Client, official: Person) -> None:
    make_request(village, "修村道")
    response = outsider_client.get(url(village))
    assert response.status_code == 404 and "修村道" not in response.content.decode()
    anonymous = Client().get(url(village))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
