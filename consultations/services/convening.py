"""Convening requests (联名提议): starting one, signing it, and telling the village committee
when enough people have signed that it must convene the body."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from consultations.models import ConveningRequest, ConveningSignature
from consultations.selectors.convening import (
    convening_progress,
    convening_thresholds,
    not_requestable,
    signing_refusal,
)
from villagegov.models import Body, Council, Role, User
from villagegov.permissions import person_in
from villagegov.selectors.roster import people_with_role
from villagegov.services.audit import audit_record, snapshot
from villagegov.services.notifications import notification_send

MATTER_MAX_LENGTH = 2000


def _clean_matter(matter: str) -> str:
    matter = matter.strip()
    if not matter:
        raise ValidationError(_("Say what the body should meet about."))
    if len(matter) > MATTER_MAX_LENGTH:
        raise ValidationError(
            _("The matter is too long (at most %(max)d characters).") % {"max": MATTER_MAX_LENGTH}
        )
    return matter


def _notify_committee(request: ConveningRequest) -> None:
    village = request.council.village
    message = _(
        "The joint request to convene the %(body)s (“%(matter)s”) has reached the threshold; "
        "the village committee must convene it."
    ) % {"body": Body(request.council.body).label, "matter": Truncator(request.matter).chars(60)}
    notification_send(
        village=village,
        people=people_with_role(village, Role.COMMITTEE_MEMBER),
        message=message,
        link=reverse("convening_request_detail", args=[village.admin_code, request.pk]),
    )


def _add_signature(*, actor: User, request: ConveningRequest) -> ConveningSignature:
    """Sign `request` (locked by the caller) as the actor's own person, and mark the threshold
    reached — notifying the committee once — when this signature reaches it."""
    village = request.council.village
    person = person_in(actor, village)
    refusal = signing_refusal(request, person)
    if refusal is not None:
        raise ValidationError(refusal)
    assert person is not None  # signing_refusal refuses anyone off the roster
    try:
        # The unique constraint is the last word should the lock ever be bypassed.
        with transaction.atomic():
            signature = ConveningSignature.objects.create(
                request=request, person=person, signed_at=timezone.now()
            )
    except IntegrityError:
        raise ValidationError(
            _("%(name)s has already signed this request.") % {"name": person.name}
        ) from None
    audit_record(
        actor=actor,
        village=village,
        action="convening_signature.create",
        target=signature,
        after=snapshot(signature),
    )
    if request.threshold_reached_at is None and convening_progress(request).met:
        before = snapshot(request)
        request.threshold_reached_at = timezone.now()
        request.save(update_fields=["threshold_reached_at"])
        audit_record(
            actor=actor,
            village=village,
            action="convening_request.threshold_reached",
            target=request,
            before=before,
            after=snapshot(request),
        )
        _notify_committee(request)
    return signature


@transaction.atomic
def convening_request_create(*, actor: User, council: Council, matter: str) -> ConveningRequest:
    """Start a request that `council` be convened about `matter`; its initiator, the actor's own
    person in the village, signs it at once (and so must be someone whose signature counts)."""
    village = council.village
    matter = _clean_matter(matter)
    if not convening_thresholds(council):
        raise ValidationError(not_requestable(council))
    initiator = person_in(actor, village)
    if initiator is None:
        raise ValidationError(_("Only people on this village's roster can start a convening request."))
    unsaved = ConveningRequest(council=council, matter=matter, initiator=initiator)
    refusal = signing_refusal(unsaved, initiator)
    if refusal is not None:
        raise ValidationError(refusal)
    request = ConveningRequest.objects.create(council=council, matter=matter, initiator=initiator)
    audit_record(
        actor=actor,
        village=village,
        action="convening_request.create",
        target=request,
        after=snapshot(request),
    )
    _add_signature(actor=actor, request=request)
    return request


@transaction.atomic
def convening_request_sign(*, actor: User, request: ConveningRequest) -> ConveningSignature:
    """Sign `request` as the actor's own person in its village. Refused to anyone whose signature
    counts toward none of the body's thresholds, and a second time."""
    # Locked so that concurrent signatures queue up and only one of them marks the threshold.
    locked = (
        ConveningRequest.objects.select_for_update(of=("self",))
        .select_related("council__village")
        .get(pk=request.pk)
    )
    return _add_signature(actor=actor, request=locked)
