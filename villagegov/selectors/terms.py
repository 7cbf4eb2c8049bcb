"""Terms of office, whatever holds them (role assignments, council seats): rows with a first day
`starts_on` and a last day `ends_on`, where an open end runs forever."""

from datetime import date
from typing import TypeVar

from django.db.models import Model, Q, QuerySet

TermT = TypeVar("TermT", bound=Model)


def in_force_on(day: date, *, via: str = "") -> Q:
    """Terms covering `day`; `via` reaches the term through a relation (for example "council_seats__")."""
    return Q(**{f"{via}starts_on__lte": day}) & (
        Q(**{f"{via}ends_on__isnull": True}) | Q(**{f"{via}ends_on__gte": day})
    )


def overlapping(terms: QuerySet[TermT], starts_on: date, ends_on: date | None) -> QuerySet[TermT]:
    """The terms sharing at least one day with [starts_on, ends_on]."""
    terms = terms.exclude(ends_on__lt=starts_on)
    return terms if ends_on is None else terms.filter(starts_on__lte=ends_on)
