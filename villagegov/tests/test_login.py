"""Logging in with a mobile number (typed any usual way) or a username, in Chinese, rate-limited."""

import pytest
from django.test import Client
from django.urls import reverse

from villagegov import sms
from villagegov.models import Village
from villagegov.testing import make_person
from villagegov.tests.accounts_testing import (
    fresh_accounts,  # noqa: F401
    last_sms_code,
    user_with_phone,
)

pytestmark = pytest.mark.usefixtures("fresh_accounts")

PASSWORD = "village-pass-123"  # villagegov.testing's password


def log_in(client: Client, login: str, password: str = PASSWORD) -> str:
    response = client.post(reverse("account_login"), {"login": login, "password": password})
    return response["Location"] if response.status_code == 302 else ""


def test_login_page_is_in_chinese_and_points_to_invitations() -> None:
    response = Client().get(reverse("account_login"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "登录" in page
    assert f'href="{reverse("invitation_claim")}"' in page
    assert 'for="id_login"' in page and 'for="id_password"' in page
    assert 'class="form"' in page  # our look, not allauth's bare layout
    assert "site.css" in page


@pytest.mark.parametrize(
    "typed",
    ["13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "+8613800138000", "8613800138000"],
)
def test_login_by_phone_number_as_typed(village: Village, typed: str) -> None:
    user = user_with_phone(village, "+8613800138000")
    client = Client()

    assert log_in(client, typed) == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_by_username(village: Village) -> None:
    user = user_with_phone(village, "+8613800138000")
    client = Client()

    assert log_in(client, user.username) == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_account_without_phone_logs_in_by_username(village: Village) -> None:
    person = make_person(village, with_account=True)
    assert person.user is not None
    client = Client()

    assert log_in(client, person.user.username) == reverse("home")
    assert sms.outbox == []


@pytest.mark.parametrize("login", ["13800138000", "13900139000", "nobody", "1234"])
def test_wrong_credentials_are_refused(village: Village, login: str) -> None:
    user_with_phone(village, "+8613800138000")
    client = Client()

    response = client.post(reverse("account_login"), {"login": login, "password": "wrong-password"})

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failed_logins_are_refused_even_with_the_right_password(village: Village) -> None:
    user = user_with_phone(village, "+8613800138000")
    client = Client(headers={"accept-language": "en"})
    for _ in range(5):
        assert log_in(client, user.username, "wrong-password") == ""

    response = client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_unverified_phone_is_verified_by_sms_at_login(village: Village) -> None:
    user = user_with_phone(village, "+8613800138000", verified=False)
    client = Client()

    assert log_in(client, "13800138000") == reverse("account_verify_phone")
    assert "_auth_user_id" not in client.session
    assert sms.outbox[-1].phone == "+8613800138000"

    wrong_code = "111111" if last_sms_code() == "000000" else "000000"
    wrong = client.post(reverse("account_verify_phone"), {"code": wrong_code})
    assert wrong.status_code == 200
    assert 'class="errorlist' in wrong.content.decode()

    response = client.post(reverse("account_verify_phone"), {"code": last_sms_code()})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone_verified
    assert client.session["_auth_user_id"] == str(user.pk)
