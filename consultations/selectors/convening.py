"""Reads about convening requests (联名提议): who may sign, whose signatures count, and how far
a request is from its body's threshold."""

from datetime import date

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import ConveningRequest, ConveningSignature
from villagegov import thresholds
from villagegov.models import (
    Basis,
    Body,
    BodyRule,
    Council,
    Counted,
    Person,
    Purpose,
    Role,
    Threshold,
    Village,
)
from villagegov.selectors.councils import council_members, council_totals
from villagegov.selectors.roster import adults, people_with_role


def convening_thresholds(council: Council) -> list[Threshold]:
    """The council's body's convening thresholds under the village's rule set (alternatives)."""
    body_rule = council.body_rule
    if body_rule is None:
        return []
    return list(body_rule.thresholds.filter(purpose=Purpose.CONVENE_REQUEST).order_by("pk"))


def counted_people(council: Council, basis: str, *, on: date) -> QuerySet[Person]:
    """The people whose signatures count toward a threshold measured against `basis`."""
    village = council.village
    if basis == Basis.ADULT_VILLAGERS:
        return adults(village, on=on)
    if basis == Basis.REPRESENTATIVES:
        return people_with_role(village, Role.REPRESENTATIVE, on=on)
    if basis == Basis.ALL_MEMBERS:
        return council_members(council, on=on)
    # A basis no signature can be measured against: nobody counts, so nothing is met by accident.
    return Person.objects.none()


def requestable_councils(village: Village) -> QuerySet[Council]:
    """The village's councils whose body can be convened by a joint request."""
    bodies = BodyRule.objects.filter(
        rule_set_id=village.rule_set_id, thresholds__purpose=Purpose.CONVENE_REQUEST
    ).values("body")
    return Council.objects.filter(village=village, body__in=bodies).select_related("group").order_by("name")


def not_requestable(council: Council) -> str:
    return _("The %(body)s cannot be convened by a joint request (联名提议).") % {
        "body": Body(council.body).label
    }


def signing_refusal(
    request: ConveningRequest, person: Person | None, *, on: date | None = None
) -> str | None:
    """Why `person` may not sign `request` today, or None if they may."""
    day = on or timezone.localdate()
    council = request.council
    if person is None or person.village_id != council.village_id:
        return _("Only people on this village's roster can sign a convening request.")
    limits = convening_thresholds(council)
    if not limits:
        return not_requestable(council)
    if not any(counted_people(council, t.basis, on=day).filter(pk=person.pk).exists() for t in limits):
        bases = _(" or ").join(str(Basis(t.basis).label) for t in limits)
        return _("Only %(bases)s can sign a request to convene the %(body)s.") % {
            "bases": bases,
            "body": Body(council.body).label,
        }
    if request.pk and ConveningSignature.objects.filter(request=request, person=person).exists():
        return _("%(name)s has already signed this request.") % {"name": person.name}
    return None


def convening_progress(request: ConveningRequest, *, on: date | None = None) -> thresholds.Outcome:
    """Each threshold counted with the signatures of its own basis, met when any is met.

    A body without convening thresholds is never met this way (unlike `thresholds.evaluate`,
    for which no threshold means no condition)."""
    day = on or timezone.localdate()
    council = request.council
    limits = convening_thresholds(council)
    if not limits:
        return thresholds.Outcome(purpose=Purpose.CONVENE_REQUEST, met=False, figures=())
    totals = council_totals(council, on=day)
    signers = ConveningSignature.objects.filter(request=request).values("person_id")
    figures: list[thresholds.Figure] = []
    for threshold in limits:
        signatures = counted_people(council, threshold.basis, on=day).filter(pk__in=signers).count()
        outcome = thresholds.evaluate(
            [threshold],
            purpose=Purpose.CONVENE_REQUEST,
            counts={Counted.SIGNATURES.value: signatures},
            totals=totals,
        )
        figures.extend(outcome.figures)
    return thresholds.Outcome(
        purpose=Purpose.CONVENE_REQUEST, met=any(f.met for f in figures), figures=tuple(figures)
    )


def village_convening_requests(village: Village) -> QuerySet[ConveningRequest]:
    """The village's requests, newest first, with `signature_count`."""
    return (
        ConveningRequest.objects.filter(council__village=village)
        .select_related("council", "initiator")
        .annotate(signature_count=Count("signatures"))
        .order_by("-created_at", "-id")
    )


def convening_signatures(request: ConveningRequest) -> QuerySet[ConveningSignature]:
    return (
        ConveningSignature.objects.filter(request=request)
        .select_related("person")
        .order_by("signed_at", "id")
    )
