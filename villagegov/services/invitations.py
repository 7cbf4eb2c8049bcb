"""Invitations: an official hands a villager on the roster a code with which they claim an account."""

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from villagegov.models import Invitation, Person, User, Village
from villagegov.selectors.invitations import invitation_refusal
from villagegov.services.audit import audit_record, audited_update, snapshot

# No 0/O, 1/I/L: a code is read aloud and typed from paper.
INVITATION_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
INVITATION_CODE_LENGTH = 8
INVITATION_VALID_FOR = timedelta(days=30)

# The code is the secret that claims an account: it never enters the audit log,
# which supervisors and township staff read too.
AUDITED_FIELDS = ["id", "person_id", "created_by_id", "created_at", "expires_at", "claimed_at", "revoked_at"]


def invitation_code_generate() -> str:
    while True:
        code = "".join(secrets.choice(INVITATION_ALPHABET) for _ in range(INVITATION_CODE_LENGTH))
        if not Invitation.objects.filter(code=code).exists():
            return code


@transaction.atomic
def invitation_issue(*, actor: User, person: Person) -> Invitation:
    """A fresh code for `person`, valid for 30 days; the person's open code, if any, is revoked.
    Locks the person, then their invitations: the services here take them in that order."""
    person = Person.objects.select_for_update(of=("self",)).select_related("village").get(pk=person.pk)
    if person.left_on is not None:
        raise ValidationError(
            _("%(name)s has left the roster and cannot be invited.") % {"name": person.name}
        )
    if person.user_id is not None:
        raise ValidationError(_("%(name)s already has an account.") % {"name": person.name})
    now = timezone.now()
    for open_invitation in Invitation.objects.select_for_update().filter(
        person=person, claimed_at__isnull=True, revoked_at__isnull=True
    ):
        _revoke(actor=actor, invitation=open_invitation, village=person.village, now=now)
    invitation = Invitation.objects.create(
        person=person,
        code=invitation_code_generate(),
        created_by=actor,
        expires_at=now + INVITATION_VALID_FOR,
    )
    audit_record(
        actor=actor,
        village=person.village,
        action="invitation.issue",
        target=invitation,
        after=snapshot(invitation, AUDITED_FIELDS),
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    # Only the invitation is locked (of="self"), so revoking never waits while holding a person.
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("person__village")
        .get(pk=invitation.pk)
    )
    if invitation.claimed_at is not None:
        raise ValidationError(_("This invitation has already been used to create an account."))
    if invitation.revoked_at is not None:
        raise ValidationError(_("This invitation has already been cancelled."))
    _revoke(actor=actor, invitation=invitation, village=invitation.person.village, now=timezone.now())
    return invitation


def _revoke(*, actor: User, invitation: Invitation, village: Village, now: datetime) -> None:
    audited_update(
        invitation,
        actor=actor,
        village=village,
        action="invitation.revoke",
        changes={"revoked_at": now},
        fields=AUDITED_FIELDS,
    )


@transaction.atomic
def invitation_claim(*, invitation: Invitation, user: User) -> Person:
    """Link `user` to the invitation's person and mark the invitation used. Call it in the
    transaction that creates the account, so that a refused claim creates no account either."""
    # Person before invitation, as invitation_issue locks them: the opposite order could deadlock.
    person = (
        Person.objects.select_for_update(of=("self",)).select_related("village").get(pk=invitation.person_id)
    )
    locked = Invitation.objects.select_for_update().filter(pk=invitation.pk, person=person).first()
    if locked is None:  # deleted or moved to someone else in the admin meanwhile
        raise ValidationError(_("This invitation code can no longer be used."))
    invitation = locked
    invitation.person = person
    refusal = invitation_refusal(invitation)
    if refusal is not None:
        raise ValidationError(refusal)
    if Person.objects.filter(village=person.village, user=user).exists():
        raise ValidationError(
            _("Your account is already linked to someone on the roster of %(village)s.")
            % {"village": person.village.name}
        )
    audited_update(
        invitation,
        actor=user,
        village=person.village,
        action="invitation.claim",
        changes={"claimed_at": timezone.now()},
        fields=AUDITED_FIELDS,
    )
    audited_update(
        person,
        actor=user,
        village=person.village,
        action="person.claim_account",
        changes={"user": user},
        fields=["user_id"],
    )
    return person
