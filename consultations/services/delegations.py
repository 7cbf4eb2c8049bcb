"""Recording the delegations (授权) by which an assembly lets its representatives decide a matter."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.matters import DECIDED_BY, Matter
from consultations.models import Delegation
from villagegov.formats import local_date
from villagegov.models import Body, User, Village
from villagegov.permissions import Action, can
from villagegov.services.audit import audit_record, snapshot
from villagegov.services.text import clean_text

DOCUMENT_MAX_LENGTH = 300


def _refuse_unless_manager(actor: User, village: Village) -> None:
    if not can(actor, Action.MANAGE_COUNCILS, village):
        raise ValidationError(_("Only the village's officials record delegations."))


@transaction.atomic
def delegation_record(
    *, actor: User, village: Village, matter: str, body: str, granted_on: date, document: str
) -> Delegation:
    """Record that the assembly delegated `matter` to `body` on `granted_on` by `document`. Only a
    delegation the law allows (Art. 24 matters to the 村民代表会议, the distribution to the
    成员代表大会), never in the future, one in force per matter and body."""
    _refuse_unless_manager(actor, village)
    try:
        rule = DECIDED_BY[Matter(matter)]
    except ValueError:
        raise ValidationError(_("This is not a matter the app knows.")) from None
    if body not in rule.delegable_to:
        raise ValidationError(
            _("The law does not let %(matter)s be delegated to that body (%(citation)s).")
            % {"matter": Matter(matter).label, "citation": rule.citation}
        )
    if granted_on > timezone.localdate():
        raise ValidationError(_("A delegation cannot be granted in the future."))
    document = clean_text(
        document,
        max_length=DOCUMENT_MAX_LENGTH,
        empty=_("Name the resolution or charter article that grants the delegation."),
        too_long=_("This text is too long (at most %(max)d characters)."),
    )
    # Locked so that two officials recording the same delegation queue up here.
    in_force = (
        Delegation.objects.select_for_update()
        .filter(village=village, matter=matter, body=body, revoked_on=None)
        .first()
    )
    if in_force is not None:
        raise ValidationError(
            _("This delegation is already in force since %(day)s.") % {"day": local_date(in_force.granted_on)}
        )
    delegation = Delegation.objects.create(
        village=village,
        matter=matter,
        body=Body(body),
        granted_on=granted_on,
        document=document,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        village=village,
        action="delegation.record",
        target=delegation,
        after=snapshot(delegation),
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, actor: User, delegation: Delegation, revoked_on: date) -> Delegation:
    """End a delegation from `revoked_on` (the assembly took the matter back)."""
    delegation = Delegation.objects.select_for_update().select_related("village").get(pk=delegation.pk)
    _refuse_unless_manager(actor, delegation.village)
    if delegation.revoked_on is not None:
        raise ValidationError(
            _("This delegation was already revoked on %(day)s.") % {"day": local_date(delegation.revoked_on)}
        )
    if revoked_on > timezone.localdate():
        raise ValidationError(_("A delegation cannot be revoked in the future."))
    if revoked_on < delegation.granted_on:
        raise ValidationError(
            _("A delegation cannot end before it was granted (%(day)s).")
            % {"day": local_date(delegation.granted_on)}
        )
    before = snapshot(delegation)
    delegation.revoked_on = revoked_on
    delegation.save(update_fields=["revoked_on"])
    audit_record(
        actor=actor,
        village=delegation.village,
        action="delegation.revoke",
        target=delegation,
        before=before,
        after=snapshot(delegation),
    )
    return delegation
