"""Security-relevant account changes go into the audit log: phone number, password, second
factor; never the password, its hash, an SMS code or an authenticator's key."""

import json
import time
from typing import Any

import pytest
from allauth.account.signals import password_reset, password_set
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from villagegov.models import AuditRecord, Person, User, Village
from villagegov.services.audit import audit_chain_verify
from villagegov.tests.accounts_testing import (
    enter_code,
    fresh_accounts,  # noqa: F401
    issue_for,
    last_sms_code,
    sign_up,
    user_with_phone,
)

pytestmark = pytest.mark.usefixtures("fresh_accounts")

PASSWORD = "village-pass-123"  # villagegov.testing's password
NEW_PASSWORD = "Osmanthus-2025"


def account_records(user: User) -> list[AuditRecord]:
    return list(
        AuditRecord.objects.filter(action__startswith="account.", target_id=str(user.pk)).order_by("seq")
    )


def in_the_log(text: str) -> bool:
    return any(
        text in json.dumps([record.before, record.after, record.target_repr])
        for record in AuditRecord.objects.all()
    )


def logged_in_client(user: User) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


# Phone ----------------------------------------------------------------------------------------


def test_signing_up_records_the_number_then_its_verification(village: Village) -> None:
    invitation = issue_for(village)
    client = Client()
    enter_code(client, invitation.code)
    sign_up(client)
    code = last_sms_code()

    client.post(reverse("account_verify_phone"), {"code": code})

    user = User.objects.get(username="xiaomei")
    change, verify = account_records(user)
    assert (change.action, change.actor, change.village) == ("account.phone_change", user, None)
    assert change.before == {"phone": None, "phone_verified": False}
    assert change.after == {"phone": "+8613800138000", "phone_verified": False}
    assert (verify.action, verify.actor) == ("account.phone_verify", user)
    assert verify.after == {"phone": "+8613800138000", "phone_verified": True}
    assert not in_the_log(code)


def test_changing_the_number_is_recorded_once_verified(village: Village) -> None:
    user = user_with_phone(village, "+8613800138000")
    client = logged_in_client(user)
    client.post(reverse("account_change_phone"), {"phone": "139 0013 9000"})
    assert account_records(user) == []  # nothing changes until the new number is verified
    code = last_sms_code()

    client.post(reverse("account_verify_phone"), {"code": code})

    [record] = account_records(user)
    assert (record.action, record.actor) == ("account.phone_change", user)
    assert record.before == {"phone": "+8613800138000", "phone_verified": True}
    assert record.after == {"phone": "+8613900139000", "phone_verified": True}
    assert not in_the_log(code)
    assert audit_chain_verify().ok


def test_a_wrong_code_records_nothing(village: Village) -> None:
    user = user_with_phone(village, "+8613800138000")
    client = logged_in_client(user)
    client.post(reverse("account_change_phone"), {"phone": "139 0013 9000"})
    wrong = "000000" if last_sms_code() != "000000" else "111111"

    client.post(reverse("account_verify_phone"), {"code": wrong})

    assert account_records(user) == []
    user.refresh_from_db()
    assert user.phone == "+8613800138000"


# Password -------------------------------------------------------------------------------------


def test_changing_the_password_is_recorded_without_it(resident: Person) -> None:
    assert resident.user is not None
    client = logged_in_client(resident.user)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    resident.user.refresh_from_db()
    assert resident.user.check_password(NEW_PASSWORD)
    [record] = account_records(resident.user)
    assert (record.action, record.actor, record.village) == ("account.password_change", resident.user, None)
    assert record.after == {"usable_password": True}
    assert not in_the_log(NEW_PASSWORD) and not in_the_log(resident.user.password)


def test_a_refused_password_change_records_nothing(resident: Person) -> None:
    assert resident.user is not None
    client = logged_in_client(resident.user)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong-one-123", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert account_records(resident.user) == []


@pytest.mark.parametrize(
    ("signal", "action"), [(password_reset, "account.password_reset"), (password_set, "account.password_set")]
)
def test_password_resets_and_first_passwords_are_recorded(
    resident: Person, signal: object, action: str
) -> None:
    assert resident.user is not None and hasattr(signal, "send")
    signal.send(sender=User, request=RequestFactory().get("/"), user=resident.user)

    [record] = account_records(resident.user)
    assert (record.action, record.actor) == (action, resident.user)


def test_a_password_set_in_the_admin_is_recorded_with_the_administrator(resident: Person) -> None:
    assert resident.user is not None
    admin_user = User.objects.create_superuser(username="root", password="root-pass-123")
    client = Client()
    client.force_login(admin_user)
    url = reverse("admin:auth_user_password_change", args=[resident.user.pk])

    mismatch = client.post(url, {"password1": NEW_PASSWORD, "password2": "Other-pass-2025"})
    assert mismatch.status_code == 200
    assert account_records(resident.user) == []

    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    resident.user.refresh_from_db()
    assert resident.user.check_password(NEW_PASSWORD)
    [record] = account_records(resident.user)
    assert (record.action, record.actor) == ("account.password_change", admin_user)
    assert not in_the_log(NEW_PASSWORD) and not in_the_log(resident.user.password)


def test_the_admin_password_page_with_a_bad_id_is_not_found(db: None) -> None:
    client = Client()
    client.force_login(User.objects.create_superuser(username="root", password="root-pass-123"))

    assert client.get("/admin/villagegov/user/not-a-number/password/").status_code == 404
    assert client.post(reverse("admin:auth_user_password_change", args=[999999]), {}).status_code == 404


# Second factor --------------------------------------------------------------------------------


def current_totp(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@override_settings(MFA_TOTP_TOLERANCE=1)
def test_activating_and_deactivating_totp_is_recorded_without_the_key(
    official: Person, django_capture_on_commit_callbacks: Any
) -> None:
    assert official.user is not None
    client = logged_in_client(official.user)
    client.get(reverse("mfa_activate_totp"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]

    # allauth announces the new authenticator once its transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": current_totp(secret)})
    assert response.status_code == 302

    records = account_records(official.user)
    assert [(r.action, r.after) for r in records] == [
        ("account.mfa_add", {"type": "totp"}),
        ("account.mfa_add", {"type": "recovery_codes"}),
    ]
    assert {r.actor for r in records} == {official.user}

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=official.user).exists()
    removed = account_records(official.user)[2:]
    assert [(r.action, r.before) for r in removed] == [
        ("account.mfa_remove", {"type": "totp"}),
        ("account.mfa_remove", {"type": "recovery_codes"}),
    ]
    assert not in_the_log(secret)
    assert audit_chain_verify().ok
