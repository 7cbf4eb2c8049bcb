"""Reads about invitations. Codes are looked up across villages: the code itself names the village."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from villagegov.models import Invitation, Person

# The session remembers the invitation a visitor entered, from /invite/ until the account exists.
PENDING_INVITATION_SESSION_KEY = "villagegov_pending_invitation"


def invitation_refusal(invitation: Invitation) -> str | None:
    """Why this invitation cannot be claimed now, in plain words; None if it can."""
    if invitation.revoked_at is not None:
        return _("This invitation code was cancelled. Ask the village committee for a new one.")
    if invitation.claimed_at is not None:
        return _("This invitation code has already been used. Log in with your phone number instead.")
    if invitation.expires_at <= timezone.now():
        return _("This invitation code has expired. Ask the village committee for a new one.")
    person = invitation.person
    if person.left_on is not None:
        return _("This invitation code is no longer valid. Ask the village committee for help.")
    if person.user_id is not None:
        return _("An account already exists for this person. Log in with your phone number instead.")
    return None


def invitation_by_code(code: str) -> Invitation | None:
    return Invitation.objects.select_related("person__village").filter(code=code).first()


def invitation_pending(request: HttpRequest) -> Invitation | None:
    """The invitation remembered in this visitor's session, if it can still be claimed."""
    invitation_id = request.session.get(PENDING_INVITATION_SESSION_KEY)
    if invitation_id is None:
        return None
    invitation = Invitation.objects.select_related("person__village").filter(pk=invitation_id).first()
    if invitation is None or invitation_refusal(invitation) is not None:
        return None
    return invitation


def invitation_open_for(person: Person) -> Invitation | None:
    """The person's invitation that is neither used nor cancelled (it may have expired)."""
    return Invitation.objects.filter(person=person, claimed_at__isnull=True, revoked_at__isnull=True).first()
