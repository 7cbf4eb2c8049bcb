"""The printable invitation: village, name, code, expiry, steps and a QR code to /invite/<code>/."""

import pytest
import segno
from django.test import Client
from django.urls import reverse

from villagegov.models import Invitation, Person, Role, Village
from villagegov.services.invitations import invitation_issue, invitation_revoke
from villagegov.testing import client_for, make_person


@pytest.fixture
def invitation(official: Person, village: Village) -> Invitation:
    assert official.user is not None
    return invitation_issue(actor=official.user, person=make_person(village, name="张小梅"))


def print_url(village: Village, invitation: Invitation) -> str:
    return reverse("invitation_print", args=[village.admin_code, invitation.pk])


def test_official_sees_the_printable_card(
    official_client: Client, village: Village, invitation: Invitation
) -> None:
    response = official_client.get(print_url(village, invitation))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="invitation-card"' in page and 'class="invitation-code"' in page
    assert village.name in page and "张小梅" in page
    assert f"{invitation.code[:4]} {invitation.code[4:]}" in page
    assert '<div class="qr"><svg' in page and 'viewBox="' in page
    assert response.context["claim_url"] == f"http://testserver/invite/{invitation.code}/"


def test_the_qr_code_encodes_the_claim_url(
    official_client: Client, village: Village, invitation: Invitation
) -> None:

    response = official_client.get(print_url(village, invitation))

    expected = segno.make(f"http://testserver/invite/{invitation.code}/", error="m")
    # Same data, same symbol: the drawn path of the expected code appears in the page.
    path = expected.svg_inline(scale=4, omitsize=True).split(' d="', 1)[1].split('"', 1)[0]
    assert path in response.content.decode()


def test_a_cancelled_invitation_shows_no_code(
    official: Person, official_client: Client, village: Village, invitation: Invitation
) -> None:
    assert official.user is not None
    invitation_revoke(actor=official.user, invitation=invitation)

    response = official_client.get(print_url(village, invitation))

    assert response.status_code == 200
    page = response.content.decode()
    assert invitation.code[:4] not in page
    assert "<svg" not in page


@pytest.mark.parametrize("role", [None, Role.ACCOUNTANT, Role.SUPERVISOR])
def test_other_roles_are_refused(village: Village, invitation: Invitation, role: Role | None) -> None:
    member = make_person(village, roles=(role,) if role else (), with_account=True)
    assert client_for(member).get(print_url(village, invitation)).status_code == 403


def test_official_of_another_village_gets_404(
    outsider_client: Client, village: Village, invitation: Invitation
) -> None:
    assert outsider_client.get(print_url(village, invitation)).status_code == 404


def test_invitation_of_another_village_gets_404(
    outsider: Person, official_client: Client, village: Village, other_village: Village
) -> None:
    assert outsider.user is not None
    foreign = invitation_issue(actor=outsider.user, person=make_person(other_village))
    response = official_client.get(reverse("invitation_print", args=[village.admin_code, foreign.pk]))
    assert response.status_code == 404


def test_anonymous_is_sent_to_log_in(village: Village, invitation: Invitation) -> None:
    response = Client().get(print_url(village, invitation))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
