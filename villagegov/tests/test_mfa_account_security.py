"""The account security page, from which TOTP is set up, and allauth's MFA pages in our look."""

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from villagegov.models import Person, Village
from villagegov.testing import client_for
from villagegov.tests.accounts_testing import user_with_phone


def test_security_page_shows_phone_and_offers_totp(village: Village) -> None:
    user = user_with_phone(village, "+8613800138000")
    person = Person.objects.get(user=user)
    response = client_for(person).get(reverse("account_security"))

    assert response.status_code == 200
    page = response.content.decode()
    assert user.username in page
    assert "138 0013 8000" in page
    assert f'href="{reverse("mfa_activate_totp")}"' in page
    assert f'href="{reverse("account_change_phone")}"' in page


def test_security_page_links_to_manage_an_active_authenticator(official: Person) -> None:
    assert official.user is not None
    Authenticator.objects.create(user=official.user, type=Authenticator.Type.TOTP, data={"secret": "x"})

    page = client_for(official).get(reverse("account_security")).content.decode()

    assert f'href="{reverse("mfa_index")}"' in page
    assert f'href="{reverse("mfa_activate_totp")}"' not in page


def test_mfa_pages_use_the_site_layout(official_client: Client) -> None:
    page = official_client.get(reverse("mfa_index")).content.decode()
    assert "site.css" in page
    assert 'class="card"' in page
    assert f'href="{reverse("account_security")}"' in page


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in() -> None:
    response = Client().get(reverse("account_security"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
