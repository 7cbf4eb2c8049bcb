"""With VILLAGEGOV_REQUIRE_MFA on, officials set up TOTP before anything else; residents never have to."""

import time
from datetime import date

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.test import Client, override_settings
from django.urls import reverse

from villagegov.models import CouncilSeat, Person, Role, RoleAssignment, Village
from villagegov.testing import client_for, make_person
from villagegov.tests.accounts_testing import fresh_accounts  # noqa: F401

pytestmark = pytest.mark.usefixtures("fresh_accounts")

ROLES_REQUIRING_MFA = [Role.COMMITTEE_MEMBER, Role.ACCOUNTANT, Role.CLERK, Role.SUPERVISOR]
PASSWORD = "village-pass-123"


def village_pages(village: Village) -> list[str]:
    return [
        reverse("home"),
        reverse("village_dashboard", args=[village.admin_code]),
        reverse("invitation_claim"),
    ]


def sent_to_set_up_mfa(client: Client, village: Village) -> bool:
    """Whether every village page sends the user to TOTP activation (and none lets them through)."""
    redirects = [
        client.get(url).get("Location") == reverse("mfa_activate_totp") for url in village_pages(village)
    ]
    assert len(set(redirects)) == 1, redirects
    return redirects[0]


def current_totp(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in(person: Person) -> Client:
    assert person.user is not None
    client = Client()
    response = client.post(reverse("account_login"), {"login": person.user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@override_settings(VILLAGEGOV_REQUIRE_MFA=True)
@pytest.mark.parametrize("role", ROLES_REQUIRING_MFA)
def test_officials_without_totp_are_sent_to_set_it_up(village: Village, role: Role) -> None:
    client = client_for(make_person(village, roles=(role,), with_account=True))

    assert sent_to_set_up_mfa(client, village)


@override_settings(VILLAGEGOV_REQUIRE_MFA=True)
def test_account_pages_stay_reachable(official_client: Client) -> None:
    for url in (reverse("account_security"), reverse("mfa_index"), reverse("account_change_password")):
        assert official_client.get(url).status_code == 200, url

    response = official_client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in official_client.session


@override_settings(VILLAGEGOV_REQUIRE_MFA=True)
@pytest.mark.parametrize("role", [None, Role.REPRESENTATIVE, Role.TOWNSHIP_STAFF])
def test_residents_and_other_roles_are_not_asked(village: Village, role: Role | None) -> None:
    client = client_for(make_person(village, roles=(role,) if role else (), with_account=True))
    assert not sent_to_set_up_mfa(client, village)


@override_settings(VILLAGEGOV_REQUIRE_MFA=True)
def test_a_former_official_is_not_asked(village: Village) -> None:
    person = make_person(village, roles=(Role.COMMITTEE_MEMBER,), with_account=True)
    # A committee member holds the role through a seat on the village committee.
    CouncilSeat.objects.filter(person=person).update(ends_on=date(2021, 1, 1))
    assert not RoleAssignment.objects.filter(person=person, ends_on__isnull=True).exists()
    assert not sent_to_set_up_mfa(client_for(person), village)


@override_settings(VILLAGEGOV_REQUIRE_MFA=False)
def test_nobody_is_asked_when_the_switch_is_off(official_client: Client, village: Village) -> None:
    assert not sent_to_set_up_mfa(official_client, village)


@override_settings(VILLAGEGOV_REQUIRE_MFA=True, MFA_TOTP_TOLERANCE=1)
def test_after_activating_totp_the_official_gets_through(official: Person, village: Village) -> None:
    client = log_in(official)
    assert sent_to_set_up_mfa(client, village)

    # allauth asks for the password again before a second factor is added.
    reauthenticate = client.get(reverse("mfa_activate_totp"))["Location"]
    assert reauthenticate.startswith(reverse("account_reauthenticate"))
    assert client.post(reauthenticate, {"password": PASSWORD})["Location"] == reverse("mfa_activate_totp")
    activation = client.get(reverse("mfa_activate_totp"))
    assert activation.status_code == 200
    assert 'for="id_code"' in activation.content.decode()
    secret = client.session[SECRET_SESSION_KEY]
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "12345"})
    assert wrong.status_code == 200 and 'class="errorlist' in wrong.content.decode()

    response = client.post(reverse("mfa_activate_totp"), {"code": current_totp(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=official.user, type=Authenticator.Type.TOTP).exists()
    assert not sent_to_set_up_mfa(client, village)
    assert client.get(reverse("invitation_claim")).status_code == 200

    # From now on the login asks for the authenticator code.
    client.post(reverse("account_logout"))
    assert official.user is not None
    response = client.post(reverse("account_login"), {"login": official.user.username, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": current_totp(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(official.user.pk)
