"""Starting a convening request (联名提议): the service and the page."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from consultations.models import ConveningRequest, ConveningSignature
from consultations.services.convening import convening_request_create
from villagegov.models import AuditRecord, Body, Notification, Person, Role, Village
from villagegov.testing import client_for, council_of, make_person

pytestmark = pytest.mark.usefixtures("english")


def create(person: Person, body: Body, matter: str = "修村道") -> ConveningRequest:
    assert person.user is not None
    return convening_request_create(
        actor=person.user, council=council_of(person.village, body), matter=matter
    )


def test_the_initiator_signs_at_once_and_it_is_audited(village: Village, resident: Person) -> None:
    for _ in range(20):
        make_person(village)  # enough adults that one signature is short of 1/10
    request = create(resident, Body.VILLAGERS_ASSEMBLY, "  修村道  ")
    assert (request.initiator, request.matter, request.threshold_reached_at) == (resident, "修村道", None)
    assert list(ConveningSignature.objects.filter(request=request).values_list("person", flat=True)) == [
        resident.pk
    ]
    actions = set(AuditRecord.objects.values_list("action", flat=True))
    assert {"convening_request.create", "convening_signature.create"} <= actions


def test_a_request_reaching_the_threshold_with_its_first_signature_is_marked(
    village: Village, official: Person
) -> None:
    # The official alone is the village's only adult: 1 of 1 meets 1/10.
    request = create(official, Body.VILLAGERS_ASSEMBLY)
    assert request.threshold_reached_at is not None
    assert Notification.objects.filter(person=official).count() == 1


def test_a_body_without_a_convening_threshold_is_refused_by_name(village: Village, resident: Person) -> None:
    with pytest.raises(ValidationError, match="village committee"):
        create(resident, Body.VILLAGE_COMMITTEE)
    assert not ConveningRequest.objects.exists()


@pytest.mark.parametrize(("matter", "words"), [("   ", "Say what"), ("路" * 2001, "too long")])
def test_the_matter_is_required_and_bounded(
    village: Village, resident: Person, matter: str, words: str
) -> None:
    with pytest.raises(ValidationError, match=words):
        create(resident, Body.VILLAGERS_ASSEMBLY, matter)
    assert not ConveningRequest.objects.exists()


def test_someone_whose_signature_would_not_count_cannot_start_one(village: Village, resident: Person) -> None:
    # The representatives' meeting counts only representatives' signatures.
    make_person(village, roles=(Role.REPRESENTATIVE,))
    with pytest.raises(ValidationError, match="Only villager representatives"):
        create(resident, Body.REPRESENTATIVES_MEETING)
    assert not ConveningRequest.objects.exists() and not AuditRecord.objects.exists()


def test_someone_off_the_roster_cannot_start_one(village: Village, outsider: Person) -> None:
    assert outsider.user is not None
    with pytest.raises(ValidationError, match="roster"):
        convening_request_create(
            actor=outsider.user, council=council_of(village, Body.VILLAGERS_ASSEMBLY), matter="修村道"
        )
    assert not ConveningRequest.objects.exists()


def url(village: Village) -> str:
    return reverse("convening_request_create", args=[village.admin_code])


def test_the_page_starts_a_request(village: Village, resident: Person, resident_client: Client) -> None:
    assembly = council_of(village, Body.VILLAGERS_ASSEMBLY)
    page = resident_client.get(url(village))
    assert page.status_code == 200 and f'value="{assembly.pk}"' in page.content.decode()
    response = resident_client.post(url(village), {"council": assembly.pk, "matter": "修村道"})
    request = ConveningRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("convening_request_detail", args=[village.admin_code, request.pk])
    assert request.initiator == resident


def test_the_council_choice_offers_only_requestable_councils(
    village: Village, official: Person, official_client: Client
) -> None:
    council_of(village, Body.VILLAGERS_ASSEMBLY)
    committee = council_of(village, Body.VILLAGE_COMMITTEE)
    page = official_client.get(url(village)).content.decode()
    assert f'value="{committee.pk}"' not in page
    response = official_client.post(url(village), {"council": committee.pk, "matter": "修村道"})
    assert response.status_code == 400 and not ConveningRequest.objects.exists()


@pytest.mark.parametrize(
    "data", [{"matter": "修村道"}, {"council": "abc", "matter": "x"}, {"council": "", "matter": ""}]
)
def test_bad_input_is_shown_and_changes_nothing(
    village: Village, resident_client: Client, data: dict[str, str]
) -> None:
    council_of(village, Body.VILLAGERS_ASSEMBLY)
    response = resident_client.post(url(village), data)
    assert response.status_code == 400 and b"errorlist" in response.content
    assert not ConveningRequest.objects.exists() and not AuditRecord.objects.exists()


def test_a_refusal_of_the_service_is_shown_on_the_form(village: Village, resident_client: Client) -> None:
    meeting = council_of(village, Body.REPRESENTATIVES_MEETING)
    response = resident_client.post(url(village), {"council": meeting.pk, "matter": "修村道"})
    assert response.status_code == 400 and "Only villager representatives" in response.content.decode()
    assert not ConveningRequest.objects.exists()


def test_a_council_of_another_village_is_refused(
    village: Village, other_village: Village, resident_client: Client
) -> None:
    council_of(village, Body.VILLAGERS_ASSEMBLY)
    theirs = council_of(other_village, Body.VILLAGERS_ASSEMBLY)
    response = resident_client.post(url(village), {"council": theirs.pk, "matter": "修村道"})
    assert response.status_code == 400 and not ConveningRequest.objects.exists()


def test_another_village_and_anonymous(village: Village, outsider_client: Client) -> None:
    assert outsider_client.get(url(village)).status_code == 404
    assert outsider_client.post(url(village), {"matter": "x"}).status_code == 404
    anonymous = Client().get(url(village))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    assert client_for(make_person(village, with_account=True)).get(url(village)).status_code == 200
