"""Signing a convening request: whose signature counts toward which threshold, the threshold
being reached (and the committee told once), refusals, and the sign button's POST."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from consultations.models import ConveningRequest, ConveningSignature
from consultations.selectors.convening import convening_progress
from consultations.services import convening as services
from consultations.services.convening import convening_request_create, convening_request_sign
from villagegov.models import AuditRecord, Basis, Body, Notification, Person, Role, Village
from villagegov.testing import client_for, council_of, make_person

pytestmark = pytest.mark.usefixtures("english")


def start(person: Person, body: Body) -> ConveningRequest:
    assert person.user is not None
    return convening_request_create(
        actor=person.user, council=council_of(person.village, body), matter="修村道"
    )


def sign(person: Person, request: ConveningRequest) -> ConveningSignature:
    assert person.user is not None
    return convening_request_sign(actor=person.user, request=request)


def count_for(request: ConveningRequest, basis: Basis) -> int:
    return next(f.count for f in convening_progress(request).figures if f.threshold.basis == basis)


def adults(village: Village, n: int) -> list[Person]:
    return [make_person(village, with_account=True) for _ in range(n)]


def test_reaching_a_tenth_of_adults_marks_the_request_and_notifies_the_committee_once(
    village: Village, official: Person
) -> None:
    people = adults(village, 19)  # 20 adults with the official: 1/10 needs 2 signatures
    request = start(people[0], Body.VILLAGERS_ASSEMBLY)
    assert request.threshold_reached_at is None and not Notification.objects.exists()
    sign(people[1], request)
    request.refresh_from_db()
    assert request.threshold_reached_at is not None
    notified = Notification.objects.get()
    assert notified.person == official and "reached the threshold" in notified.message
    assert notified.link == reverse("convening_request_detail", args=[village.admin_code, request.pk])
    assert AuditRecord.objects.filter(action="convening_request.threshold_reached").count() == 1
    reached_at = request.threshold_reached_at
    sign(people[2], request)
    request.refresh_from_db()
    assert request.threshold_reached_at == reached_at
    assert Notification.objects.count() == 1


def test_a_non_representative_does_not_count_toward_the_representatives_alternative(village: Village) -> None:
    representatives = [
        make_person(village, roles=(Role.REPRESENTATIVE,), with_account=True) for _ in range(6)
    ]
    villagers = adults(village, 30)
    request = start(villagers[0], Body.VILLAGERS_ASSEMBLY)
    sign(villagers[1], request)
    assert count_for(request, Basis.REPRESENTATIVES) == 0
    assert count_for(request, Basis.ADULT_VILLAGERS) == 2
    sign(representatives[0], request)
    # A representative is an adult villager too: counted under both alternatives.
    assert count_for(request, Basis.REPRESENTATIVES) == 1
    assert count_for(request, Basis.ADULT_VILLAGERS) == 3
    request.refresh_from_db()
    assert request.threshold_reached_at is None  # 3 of 36 adults needs 4; 1 of 6 representatives needs 2
    progress = convening_progress(request)
    assert not progress.met and "Art. 21" in progress.explain()


def test_a_third_of_representatives_alone_reaches_the_threshold(village: Village) -> None:
    representatives = [
        make_person(village, roles=(Role.REPRESENTATIVE,), with_account=True) for _ in range(6)
    ]
    adults(village, 100)
    request = start(representatives[0], Body.VILLAGERS_ASSEMBLY)
    assert request.threshold_reached_at is None
    sign(representatives[1], request)
    request.refresh_from_db()
    assert request.threshold_reached_at is not None


def test_the_representatives_meeting_counts_only_representatives(village: Village, resident: Person) -> None:
    representatives = [
        make_person(village, roles=(Role.REPRESENTATIVE,), with_account=True) for _ in range(10)
    ]
    request = start(representatives[0], Body.REPRESENTATIVES_MEETING)
    with pytest.raises(ValidationError, match="Only villager representatives can sign"):
        sign(resident, request)
    sign(representatives[1], request)
    request.refresh_from_db()
    assert request.threshold_reached_at is not None  # 2 of 10 is 1/5


def test_the_members_assembly_counts_collective_members(village: Village, resident: Person) -> None:
    members = [make_person(village, roles=(Role.COLLECTIVE_MEMBER,), with_account=True) for _ in range(10)]
    request = start(members[0], Body.MEMBERS_ASSEMBLY)
    with pytest.raises(ValidationError, match="Only all members of the body can sign"):
        sign(resident, request)
    sign(members[1], request)
    request.refresh_from_db()
    assert request.threshold_reached_at is not None


def test_a_person_in_no_basis_is_refused(village: Village) -> None:
    request = start(make_person(village, with_account=True), Body.VILLAGERS_ASSEMBLY)
    stranger = make_person(village, with_account=True, registered=False)  # on the roster, not a villager
    with pytest.raises(ValidationError, match="Only villagers aged 18 or over or villager representatives"):
        sign(stranger, request)
    assert ConveningSignature.objects.filter(request=request).count() == 1


def minor(village: Village) -> Person:
    return make_person(village, with_account=True, birth_date=date(2020, 1, 1))


def test_a_minor_is_refused(village: Village) -> None:
    request = start(make_person(village, with_account=True), Body.VILLAGERS_ASSEMBLY)
    with pytest.raises(ValidationError, match="Only villagers aged 18"):
        sign(minor(village), request)


def test_someone_of_another_village_is_refused(village: Village, outsider: Person) -> None:
    request = start(make_person(village, with_account=True), Body.VILLAGERS_ASSEMBLY)
    with pytest.raises(ValidationError, match="roster"):
        sign(outsider, request)


def test_a_second_signature_is_refused(village: Village) -> None:
    adults(village, 30)
    signer = make_person(village, with_account=True)
    request = start(signer, Body.VILLAGERS_ASSEMBLY)
    with pytest.raises(ValidationError, match="already signed"):
        sign(signer, request)
    assert ConveningSignature.objects.filter(request=request).count() == 1


def test_the_unique_constraint_is_the_last_word(village: Village, monkeypatch: pytest.MonkeyPatch) -> None:
    adults(village, 30)
    signer = make_person(village, with_account=True)
    request = start(signer, Body.VILLAGERS_ASSEMBLY)
    monkeypatch.setattr(services, "signing_refusal", lambda request, person: None)
    records = AuditRecord.objects.count()
    with pytest.raises(ValidationError, match="already signed"):
        sign(signer, request)
    assert ConveningSignature.objects.filter(request=request).count() == 1
    assert AuditRecord.objects.count() == records


def sign_url(request: ConveningRequest) -> str:
    return reverse("convening_request_sign", args=[request.council.village.admin_code, request.pk])


def test_the_sign_button_signs(village: Village, resident: Person, resident_client: Client) -> None:
    adults(village, 30)
    request = start(make_person(village, with_account=True), Body.VILLAGERS_ASSEMBLY)
    response = resident_client.post(sign_url(request))
    assert response.status_code == 302
    assert response["Location"] == reverse("convening_request_detail", args=[village.admin_code, request.pk])
    assert ConveningSignature.objects.filter(request=request, person=resident).exists()
    assert resident_client.get(sign_url(request)).status_code == 405


def test_a_refused_signature_is_shown_with_status_400(village: Village) -> None:
    request = start(make_person(village, with_account=True), Body.VILLAGERS_ASSEMBLY)
    response = client_for(minor(village)).post(sign_url(request))
    assert response.status_code == 400 and "Only villagers aged 18" in response.content.decode()
    assert ConveningSignature.objects.filter(request=request).count() == 1


def test_another_village_anonymous_and_foreign_ids(
    village: Village, other_village: Village, outsider_client: Client, resident_client: Client
) -> None:
    request = start(make_person(village, with_account=True), Body.VILLAGERS_ASSEMBLY)
    assert outsider_client.post(sign_url(request)).status_code == 404
    anonymous = Client().post(sign_url(request))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    theirs = start(make_person(other_village, with_account=True), Body.VILLAGERS_ASSEMBLY)
    foreign = reverse("convening_request_sign", args=[village.admin_code, theirs.pk])
    assert resident_client.post(foreign).status_code == 404
    assert ConveningSignature.objects.count() == 2
