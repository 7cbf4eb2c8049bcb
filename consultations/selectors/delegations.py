"""Reads of a village's delegations (授权)."""

from django.db.models import QuerySet

from consultations.models import Delegation
from villagegov.models import Village


def village_delegations(village: Village) -> QuerySet[Delegation]:
    """In force first, then the revoked ones, newest grant first."""
    return (
        Delegation.objects.filter(village=village)
        .select_related("recorded_by")
        .order_by("revoked_on", "-granted_on", "-id")
    )
