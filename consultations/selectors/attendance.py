"""Reads of a session's attendance: who may check in, who is present, and the quorum."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateformat import time_format
from django.utils.translation import gettext as _

from consultations.models import Attendance, Session, SessionState, WrittenProxy
from consultations.selectors.sessions import session_day
from villagegov import thresholds
from villagegov.formats import local_date
from villagegov.models import Body, Counted, Person
from villagegov.selectors.councils import council_members, council_totals
from villagegov.selectors.roster import counted_households, on_roster_on

# Enough to find anyone by name in a hall; more would only be scrolled past.
SEARCH_LIMIT = 50


def entitled_members(session: Session) -> QuerySet[Person]:
    """Who may attend: members of the session's council on its day, on the roster that day (the
    same people its quorum counts)."""
    day = session_day(session)
    return council_members(session.council, on=day).filter(on_roster_on(day))


def check_in_open(session: Session) -> bool:
    """Check-in proves presence in the hall: it opens on the session's day, not at the announcement."""
    if session.state == SessionState.OPEN:
        return True
    return session.state == SessionState.ANNOUNCED and timezone.localdate() == session_day(session)


def check_in_time(attendance: Attendance) -> str:
    return time_format(timezone.localtime(attendance.checked_in_at), "H:i")


def check_in_refusal(*, session: Session, person: Person | None) -> str | None:
    """Why `person` cannot check in to `session` now, in plain words; None if they can."""
    if session.state == SessionState.DRAFT:
        return _("This session has not been announced yet.")
    if session.state == SessionState.CLOSED:
        return _("This session is already closed.")
    if not check_in_open(session):
        return _("Check-in opens on the day of the session (%(day)s).") % {
            "day": local_date(session_day(session))
        }
    if person is None or person.village_id != session.council.village_id:
        return _("Only people on this village's roster can check in.")
    if not entitled_members(session).filter(pk=person.pk).exists():
        return _("%(name)s is not a member of %(council)s on %(day)s.") % {
            "name": person.name,
            "council": session.council.name,
            "day": local_date(session_day(session)),
        }
    present = Attendance.objects.filter(session=session, person=person).first()
    if present is not None:
        return already_checked_in(present)
    return None


def already_checked_in(attendance: Attendance) -> str:
    return _("%(name)s already checked in at %(time)s.") % {
        "name": attendance.person.name,
        "time": check_in_time(attendance),
    }


def attendance_list(session: Session) -> QuerySet[Attendance]:
    """Everyone present, in the order they arrived, with household and group to tell namesakes apart."""
    return (
        Attendance.objects.filter(session=session)
        .select_related("person__household__group")
        .order_by("checked_in_at", "pk")
    )


def absent_members(session: Session, *, query: str = "") -> list[Person]:
    """Entitled members not yet present whose name contains `query`: at most SEARCH_LIMIT + 1,
    so the page can say there are more."""
    people = entitled_members(session).exclude(attendances__session=session)
    query = query.strip()
    if query:
        people = people.filter(name__icontains=query)
    return list(people.select_related("household__group").order_by("name", "pk")[: SEARCH_LIMIT + 1])


def session_quorum(session: Session) -> thresholds.Outcome:
    """The quorum of the session's council for those present now, with its figures.

    Any attendee represents their household (户代表); a household counts where the quorum's
    total counts it (a household with a registered villager on the roster, in the group for a
    group meeting). At a members' assembly (成员大会), an absent member who gave a written proxy
    to a member of their household counts as present (2024 law on collective economic
    organisations, Art. 27) — only while the holder is present: a proxy is exercised in the hall,
    so an absent holder's proxies neither count nor vote (`poll_open` enrols the same ones)."""
    council = session.council
    day = session_day(session)
    households = counted_households(council.village, on=day)
    if council.group_id is not None:
        households = households.filter(group_id=council.group_id)
    attendances = Attendance.objects.filter(session=session)
    attendees = attendances.count()
    if council.body == Body.MEMBERS_ASSEMBLY:
        attendees += (
            WrittenProxy.objects.filter(session=session, holder__in=attendances.values("person"))
            .exclude(grantor__in=attendances.values("person"))
            .count()
        )
    counts = {
        Counted.ATTENDEES.value: attendees,
        Counted.HOUSEHOLDS_REPRESENTED.value: attendances.filter(person__household__in=households)
        .values("person__household")
        .distinct()
        .count(),
    }
    return thresholds.quorum_met(council.body_rule, counts=counts, totals=council_totals(council, on=day))


def attendance_panel(session: Session, *, person: Person | None) -> dict[str, Any]:
    """What the session page's attendance panel shows to `person` (the viewer, if on the roster)."""
    outcome = session_quorum(session)
    present = (
        Attendance.objects.filter(session=session, person=person).first() if person is not None else None
    )
    return {
        "body_rule": session.council.body_rule,
        "quorum": outcome,
        "has_quorum_rule": bool(outcome.figures),
        "attendee_count": Attendance.objects.filter(session=session).count(),
        "check_in_open": check_in_open(session),
        "my_attendance": present,
        "can_check_in": present is None and check_in_refusal(session=session, person=person) is None,
    }
