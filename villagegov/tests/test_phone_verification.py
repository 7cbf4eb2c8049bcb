"""Mobile numbers: accepted as typed, stored as E.164, verified by an SMS code."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from villagegov import sms
from villagegov.forms.accounts import MobileNumberField, display_mobile_number, normalise_mobile_number
from villagegov.models import User, Village
from villagegov.tests.accounts_testing import (
    PASSWORD,
    english_client,
    enter_code,
    fresh_accounts,  # noqa: F401
    issue_for,
    last_sms_code,
    sign_up,
    user_with_phone,
)

pytestmark = pytest.mark.usefixtures("fresh_accounts")


@pytest.mark.parametrize(
    "typed",
    [
        "13800138000",
        " 138 0013 8000 ",
        "138-0013-8000",
        "+86 138 0013 8000",
        "+8613800138000",
        "008613800138000",
        "86 13800138000",
        "(+86) 138.0013.8000",
        "１３８００１３８０００",  # full-width digits from a Chinese input method
    ],
)
def test_mainland_mobile_numbers_are_normalised_to_e164(typed: str) -> None:
    assert normalise_mobile_number(typed) == "+8613800138000"


@pytest.mark.parametrize(
    "typed", ["", "1380013800", "138001380001", "12800138000", "23800138000", "+1 415 555 0100", "abc", "+86"]
)
def test_other_input_is_not_a_mobile_number(typed: str) -> None:
    assert normalise_mobile_number(typed) is None


def test_numbers_are_shown_in_groups() -> None:
    assert display_mobile_number("+8613800138000") == "138 0013 8000"


def test_the_field_explains_a_bad_number() -> None:
    field = MobileNumberField(required=True)
    with translation.override("en"), pytest.raises(ValidationError, match="11-digit") as refused:
        field.clean("12345")
    assert refused.value.code == "invalid_phone"


def test_signup_with_a_bad_number_shows_a_clear_error(village: Village) -> None:
    invitation = issue_for(village)
    client = english_client()
    enter_code(client, invitation.code)

    response = client.post(
        reverse("account_signup"),
        {
            "phone": "1380013",
            "username": "xiaomei",
            "password1": "Lotus-pond-2024",
            "password2": "Lotus-pond-2024",
        },
    )

    assert response.status_code == 200
    assert "Enter an 11-digit mobile phone number" in response.content.decode()
    assert not User.objects.filter(username="xiaomei").exists()


def test_the_code_is_six_digits_sent_by_sms(village: Village) -> None:
    invitation = issue_for(village)
    client = Client()
    enter_code(client, invitation.code)
    sign_up(client)

    assert len(sms.outbox) == 1
    assert sms.outbox[0].phone == "+8613800138000"
    assert len(last_sms_code()) == 6


def test_a_new_code_can_be_requested(village: Village) -> None:
    user = user_with_phone(village, "+8613800138000", verified=False)
    client = Client()
    client.post(reverse("account_login"), {"login": "13800138000", "password": "village-pass-123"})
    assert len(sms.outbox) == 1
    cache.clear()  # allauth allows one SMS per number every 30 seconds

    response = client.post(reverse("account_verify_phone"), {"action": "resend"})

    assert response.status_code == 302
    assert len(sms.outbox) == 2
    client.post(reverse("account_verify_phone"), {"code": last_sms_code()})
    user.refresh_from_db()
    assert user.phone_verified


def test_a_mistyped_number_is_changed_at_the_verification_step(village: Village) -> None:
    invitation = issue_for(village)
    client = Client()
    enter_code(client, invitation.code)
    sign_up(client, phone="13800138001")

    response = client.post(reverse("account_verify_phone"), {"action": "change", "phone": "139 0013 9000"})
    assert response.status_code == 302
    assert sms.outbox[-1].phone == "+8613900139000"

    client.post(reverse("account_verify_phone"), {"code": last_sms_code()})

    user = User.objects.get(username="xiaomei")
    assert (user.phone, user.phone_verified) == ("+8613900139000", True)
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_logged_in_user_changes_their_number_by_sms(village: Village) -> None:
    user = user_with_phone(village, "+8613800138000")
    client = Client()
    client.post(reverse("account_login"), {"login": user.username, "password": "village-pass-123"})

    response = client.post(reverse("account_change_phone"), {"phone": "139 0013 9000"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone == "+8613800138000"  # unchanged until the new number is verified

    client.post(reverse("account_verify_phone"), {"code": last_sms_code()})

    user.refresh_from_db()
    assert (user.phone, user.phone_verified) == ("+8613900139000", True)


def test_a_number_of_another_account_is_refused(village: Village) -> None:
    user = user_with_phone(village, "+8613800138000")
    user_with_phone(village, "+8613900139000")
    client = Client()
    client.post(reverse("account_login"), {"login": user.username, "password": "village-pass-123"})

    response = client.post(reverse("account_change_phone"), {"phone": "13900139000"})

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert sms.outbox == []


# Without an SMS gateway (VILLAGEGOV_SMS_BACKEND=disabled, the production default) ------------

sms_disabled = override_settings(VILLAGEGOV_SMS_BACKEND="disabled", ACCOUNT_PHONE_VERIFICATION_ENABLED=False)


@sms_disabled
def test_without_sms_signup_keeps_the_number_unverified_and_asks_no_code(village: Village) -> None:
    invitation = issue_for(village)
    client = Client()
    enter_code(client, invitation.code)

    response = client.post(
        reverse("account_signup"),
        {"phone": "138 0013 8000", "username": "xiaomei", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302 and response["Location"] != reverse("account_verify_phone")
    user = User.objects.get(username="xiaomei")
    assert (user.phone, user.phone_verified) == ("+8613800138000", False)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert sms.outbox == []


@sms_disabled
def test_without_sms_an_unverified_number_logs_in_without_a_code(village: Village) -> None:
    user = user_with_phone(village, "+8613800138000", verified=False)
    client = Client()

    response = client.post(reverse("account_login"), {"login": user.username, "password": "village-pass-123"})

    assert response.status_code == 302 and response["Location"] != reverse("account_verify_phone")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert sms.outbox == []


@sms_disabled
def test_without_sms_the_security_page_sends_villagers_to_the_committee_to_change_their_number(
    village: Village,
) -> None:
    client = english_client()
    client.force_login(user_with_phone(village, "+8613800138000"))

    page = client.get(reverse("account_security")).content.decode()

    assert reverse("account_change_phone") not in page
    assert "ask the village committee" in page


def test_with_sms_the_security_page_offers_to_change_the_number(village: Village) -> None:
    client = Client()
    client.force_login(user_with_phone(village, "+8613800138000"))

    assert reverse("account_change_phone") in client.get(reverse("account_security")).content.decode()
