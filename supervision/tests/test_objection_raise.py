"""Raising an objection (异议) to a published item: within the window, once, with a text; the
officials who publish are told."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from supervision.models import DisclosureObjection
from supervision.services.disclosure import objection_raise
from supervision.tests.disclosure_testing import make_item, make_objection, user_of
from villagegov.models import AuditRecord, Notification, Person, Role, Village
from villagegov.testing import make_person

pytestmark = pytest.mark.usefixtures("english")


def test_a_resident_objects_and_the_officials_are_told(
    village: Village, official: Person, resident: Person
) -> None:
    accountant = make_person(village, roles=(Role.ACCOUNTANT,))
    item = make_item(village, by=user_of(official))
    objection = objection_raise(actor=user_of(resident), item=item, text=" 预算偏高 ")
    assert objection.text == "预算偏高" and objection.person == resident
    told = set(Notification.objects.values_list("person_id", flat=True))
    assert told == {official.pk, accountant.pk}
    assert AuditRecord.objects.filter(action="objection.raise").count() == 1


def test_the_last_day_of_the_window_is_still_open(
    village: Village, official: Person, resident: Person, settings
) -> None:
    settings.VILLAGEGOV_OBJECTION_DAYS = 15
    item = make_item(village, by=user_of(official), published_at=timezone.now() - timedelta(days=15))
    assert objection_raise(actor=user_of(resident), item=item, text="异议")


def test_refused_after_the_window(village: Village, official: Person, resident: Person, settings) -> None:
    settings.VILLAGEGOV_OBJECTION_DAYS = 15
    item = make_item(village, by=user_of(official), published_at=timezone.now() - timedelta(days=16))
    with pytest.raises(ValidationError, match="were taken until"):
        objection_raise(actor=user_of(resident), item=item, text="异议")
    assert not DisclosureObjection.objects.exists()


def test_refused_a_second_time(village: Village, official: Person, resident: Person) -> None:
    item = make_item(village, by=user_of(official))
    make_objection(item, resident)
    with pytest.raises(ValidationError, match="already raised"):
        objection_raise(actor=user_of(resident), item=item, text="再次异议")
    assert DisclosureObjection.objects.count() == 1


def test_refused_without_a_text(village: Village, official: Person, resident: Person) -> None:
    item = make_item(village, by=user_of(official))
    with pytest.raises(ValidationError, match="what you object to"):
        objection_raise(actor=user_of(resident), item=item, text="  ")
    assert not DisclosureObjection.objects.exists()


def test_refused_to_someone_of_another_village(village: Village, official: Person, outsider: Person) -> None:
    item = make_item(village, by=user_of(official))
    with pytest.raises(ValidationError):
        objection_raise(actor=user_of(outsider), item=item, text="异议")
    assert not DisclosureObjection.objects.exists()


def test_refused_to_township_staff(village: Village, official: Person) -> None:
    staff = make_person(village, roles=(Role.TOWNSHIP_STAFF,), registered=False, with_account=True)
    item = make_item(village, by=user_of(official))
    with pytest.raises(ValidationError, match="cannot raise objections"):
        objection_raise(actor=user_of(staff), item=item, text="异议")


# --- The page ------------------------------------------------------------------------------------


def _url(village: Village, pk: int) -> str:
    return reverse("objection_raise", args=[village.admin_code, pk])


def test_page_raises_and_redirects(village: Village, official: Person, resident_client: Client) -> None:
    item = make_item(village, by=user_of(official))
    page = resident_client.get(reverse("disclosure_detail", args=[village.admin_code, item.pk]))
    assert _url(village, item.pk) in page.content.decode()
    response = resident_client.post(_url(village, item.pk), {"objection": "预算偏高"})
    assert response.status_code == 302
    assert response["Location"] == reverse("disclosure_detail", args=[village.admin_code, item.pk])
    assert DisclosureObjection.objects.count() == 1
    assert resident_client.get(_url(village, item.pk)).status_code == 405


def test_page_refuses_empty_and_late_with_400(
    village: Village, official: Person, resident_client: Client
) -> None:
    item = make_item(village, by=user_of(official))
    assert resident_client.post(_url(village, item.pk), {"objection": ""}).status_code == 400
    late = make_item(village, by=user_of(official), published_at=timezone.now() - timedelta(days=400))
    response = resident_client.post(_url(village, late.pk), {"objection": "异议"})
    assert response.status_code == 400
    assert "were taken until" in response.content.decode()
    assert not DisclosureObjection.objects.exists()


def test_page_for_strangers(
    village: Village, official: Person, outsider_client: Client, other_village: Village, outsider: Person
) -> None:
    item = make_item(village, by=user_of(official))
    assert outsider_client.post(_url(village, item.pk), {"objection": "异议"}).status_code == 404
    # Under their own village's code, this village's item is not found either.
    assert outsider_client.post(_url(other_village, item.pk), {"objection": "异议"}).status_code == 404
    anonymous = Client().post(_url(village, item.pk), {"objection": "异议"})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    assert not DisclosureObjection.objects.exists()
