"""allauth's rate limits, set explicitly in settings: wrong passwords from one address are
refused past the limit, in Chinese; too many login attempts get a page that says what to do."""

from allauth.account import app_settings as account_settings
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from villagegov.models import Village
from villagegov.testing import make_person

PASSWORD = "village-pass-123"  # make_person's
OURS = {"invitation_code_failed"}


def per_address(action: str) -> int:
    """How many times the action is allowed per address and period."""
    rates = settings.ACCOUNT_RATE_LIMITS[action].split(",")
    return int(next(rate for rate in rates if rate.endswith("/ip")).split("/")[0])


def test_every_limit_names_an_action_allauth_knows() -> None:
    with override_settings(ACCOUNT_RATE_LIMITS={}):
        known = set(account_settings.RATE_LIMITS)
    assert set(settings.ACCOUNT_RATE_LIMITS) - OURS <= known
    # Everything allauth limits is limited explicitly here, but e-mail and login codes, both off.
    assert known - set(settings.ACCOUNT_RATE_LIMITS) == {"manage_email", "request_login_code"}


def test_wrong_passwords_from_one_address_are_refused_past_the_limit(village: Village) -> None:
    allowed = per_address("login_failed")
    people = [make_person(village, name=f"村民{number}", with_account=True) for number in range(allowed + 1)]
    client = Client()  # asks for no language: the site's own, Chinese
    for person in people[:allowed]:
        assert person.user is not None
        response = client.post(reverse("account_login"), {"login": person.user.username, "password": "wrong"})
        assert response.status_code == 200
        assert "登录失败次数过多" not in response.content.decode()

    last = people[allowed].user
    assert last is not None
    response = client.post(reverse("account_login"), {"login": last.username, "password": PASSWORD})

    assert response.status_code == 200
    assert "登录失败次数过多，请稍后重试。" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not held up by this one's guesses.
    other = Client(REMOTE_ADDR="192.0.2.7")
    response = other.post(reverse("account_login"), {"login": last.username, "password": PASSWORD})
    assert response.status_code == 302 and other.session["_auth_user_id"] == str(last.pk)


def test_too_many_login_attempts_get_a_page_saying_to_wait(village: Village) -> None:
    person = make_person(village, with_account=True)
    assert person.user is not None
    client = Client(headers={"accept-language": "en"})
    for _ in range(per_address("login")):
        client.post(reverse("account_login"), {"login": person.user.username, "password": PASSWORD})
        client.post(reverse("account_logout"))

    response = client.post(reverse("account_login"), {"login": person.user.username, "password": PASSWORD})

    assert response.status_code == 429
    assert "Please wait a few minutes, then try again." in response.content.decode()
    assert "_auth_user_id" not in client.session
