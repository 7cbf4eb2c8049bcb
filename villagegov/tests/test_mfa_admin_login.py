"""The Django admin logs in through allauth: a password alone never opens it for an account with
an authenticator app, and with VILLAGEGOV_REQUIRE_MFA on, staff must have one."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client, override_settings
from django.urls import reverse

from villagegov.models import User
from villagegov.tests.accounts_testing import fresh_accounts  # noqa: F401

pytestmark = pytest.mark.usefixtures("fresh_accounts")

PASSWORD = "admin-pass-2024"


def current_totp(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def staff(db: None) -> User:
    return User.objects.create_superuser(username="root", password=PASSWORD)


@pytest.fixture
def totp_secret(staff: User) -> str:
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    return secret


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_admin_login_does_not_take_a_password_alone(staff: User, totp_secret: str) -> None:
    client = Client()

    response = client.post(
        reverse("admin:login"), {"username": staff.username, "password": PASSWORD, "next": "/admin/"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not logged_in(client)
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))


@override_settings(MFA_TOTP_TOLERANCE=1)
def test_the_admin_is_reached_after_password_and_authenticator_code(staff: User, totp_secret: str) -> None:
    client = Client()
    admin_login = client.get(reverse("admin:index"))["Location"]
    login = client.get(admin_login)["Location"]
    assert login.startswith(reverse("account_login")) and "next=" in login

    response = client.post(login, {"login": staff.username, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert not logged_in(client)
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and not logged_in(client)

    response = client.post(reverse("mfa_authenticate"), {"code": current_totp(totp_secret)})

    assert response.status_code == 302
    assert logged_in(client)
    assert client.get(response["Location"], follow=True).request["PATH_INFO"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_without_authenticator_log_in_with_the_password(staff: User) -> None:
    client = Client()
    response = client.post(reverse("account_login"), {"login": staff.username, "password": PASSWORD})

    assert response.status_code == 302 and logged_in(client)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_logged_in_villager_is_refused_at_the_admin_login(resident_client: Client) -> None:
    assert resident_client.get(reverse("admin:login")).status_code == 403


@override_settings(VILLAGEGOV_REQUIRE_MFA=True)
def test_staff_must_set_up_an_authenticator_when_mfa_is_required(staff: User) -> None:
    client = Client()
    client.force_login(staff)

    for url in (reverse("admin:index"), reverse("admin:villagegov_person_changelist"), reverse("home")):
        assert client.get(url)["Location"] == reverse("mfa_activate_totp"), url
    assert client.get(reverse("account_security")).status_code == 200


@override_settings(VILLAGEGOV_REQUIRE_MFA=True)
def test_staff_with_an_authenticator_get_through(staff: User, totp_secret: str) -> None:
    client = Client()
    client.force_login(staff)

    assert client.get(reverse("admin:index")).status_code == 200
