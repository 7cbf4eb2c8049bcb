"""Officials cancel an invitation that has not been used."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from villagegov.models import AuditRecord, Invitation, Person, Role, Village
from villagegov.services.invitations import invitation_issue, invitation_revoke
from villagegov.testing import client_for, make_person


@pytest.fixture
def invitation(official: Person, village: Village) -> Invitation:
    assert official.user is not None
    return invitation_issue(actor=official.user, person=make_person(village))


def revoke_url(village: Village, invitation: Invitation) -> str:
    return reverse("invitation_revoke", args=[village.admin_code, invitation.pk])


def test_revoke_marks_and_audits(official: Person, invitation: Invitation) -> None:
    assert official.user is not None
    invitation_revoke(actor=official.user, invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    record = AuditRecord.objects.get(action="invitation.revoke")
    assert record.actor == official.user
    assert record.before is not None and record.before["revoked_at"] is None


@pytest.mark.parametrize("state", ["revoked", "claimed"])
def test_revoke_refuses_a_closed_invitation(official: Person, invitation: Invitation, state: str) -> None:
    assert official.user is not None
    field = "revoked_at" if state == "revoked" else "claimed_at"
    Invitation.objects.filter(pk=invitation.pk).update(**{field: timezone.now()})
    before = Invitation.objects.values().get(pk=invitation.pk)

    with pytest.raises(ValidationError):
        invitation_revoke(actor=official.user, invitation=invitation)

    assert Invitation.objects.values().get(pk=invitation.pk) == before


def test_official_revokes(official_client: Client, village: Village, invitation: Invitation) -> None:
    response = official_client.post(revoke_url(village, invitation))

    assert response.status_code == 302
    assert response["Location"] == reverse("person_detail", args=[village.admin_code, invitation.person_id])
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_revoking_twice_shows_an_error(
    official_client: Client, village: Village, invitation: Invitation
) -> None:
    official_client.post(revoke_url(village, invitation))
    revoked_at = Invitation.objects.get(pk=invitation.pk).revoked_at

    response = official_client.post(revoke_url(village, invitation), headers={"accept-language": "en"})

    assert response.status_code == 400
    assert "already been cancelled" in response.content.decode()
    assert Invitation.objects.get(pk=invitation.pk).revoked_at == revoked_at


def test_get_is_not_allowed(official_client: Client, village: Village, invitation: Invitation) -> None:
    assert official_client.get(revoke_url(village, invitation)).status_code == 405


@pytest.mark.parametrize("role", [None, Role.ACCOUNTANT])
def test_other_roles_are_refused(village: Village, invitation: Invitation, role: Role | None) -> None:
    member = make_person(village, roles=(role,) if role else (), with_account=True)
    assert client_for(member).post(revoke_url(village, invitation)).status_code == 403
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


def test_official_of_another_village_gets_404(
    outsider_client: Client, village: Village, invitation: Invitation
) -> None:
    assert outsider_client.post(revoke_url(village, invitation)).status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


def test_invitation_of_another_village_gets_404(
    outsider: Person, official_client: Client, village: Village, other_village: Village
) -> None:
    assert outsider.user is not None
    foreign = invitation_issue(actor=outsider.user, person=make_person(other_village))
    assert official_client.post(revoke_url(village, foreign)).status_code == 404
    assert Invitation.objects.get(pk=foreign.pk).revoked_at is None


def test_anonymous_is_sent_to_log_in(village: Village, invitation: Invitation) -> None:
    response = Client().post(revoke_url(village, invitation))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None
