"""The quorum of a session from its attendance, and the attendance panel of the session page."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from consultations.models import CheckInMethod, Session, SessionState
from consultations.selectors.attendance import attendance_list, session_quorum
from consultations.services.attendance import attendance_check_in
from consultations.tests.attendance_testing import assembly, make_session, representatives_meeting, seat
from villagegov.models import Body, Household, Person, Village, VillagerGroup
from villagegov.permissions import Action
from villagegov.testing import council_of, make_person

pytestmark = pytest.mark.usefixtures("english")

OFFICIAL_ACTIONS = {Action.VIEW_VILLAGE.value, Action.MANAGE_SESSIONS.value, Action.RECORD_ATTENDANCE.value}


def check_in(session: Session, person: Person, *, by: Person) -> None:
    assert by.user is not None
    attendance_check_in(actor=by.user, session=session, person=person, method=CheckInMethod.CLERK)


def households(village: Village, count: int, *, adults_each: int = 2) -> list[list[Person]]:
    group = VillagerGroup.objects.create(village=village, number=1, name="一组")
    members = []
    for number in range(1, count + 1):
        household = Household.objects.create(village=village, group=group, number=f"H{number}")
        members.append([make_person(village, household=household) for _ in range(adults_each)])
    return members


def test_assembly_counts_each_household_once(village: Village, official: Person) -> None:
    """Two members of one household and one of another are two households of three: the households'
    two-thirds meets the quorum though the attendees' majority does not."""
    homes = households(village, 3)
    gone = Household.objects.create(village=village, number="H9")
    make_person(village, household=gone, left_on=date(2024, 1, 1))
    session = make_session(assembly(village))
    for person in (homes[0][0], homes[0][1], homes[1][0], official):  # official: no household
        check_in(session, person, by=official)
    outcome = session_quorum(session)
    figures = {
        figure.threshold.counted: (figure.count, figure.total, figure.met) for figure in outcome.figures
    }
    # Adults: six in households, the official and the session's chair.
    assert figures["attendees"] == (4, 8, False)
    assert figures["households_represented"] == (2, 3, True)
    assert outcome.met
    assert "Art. 22" in outcome.explain()


def test_representatives_meeting_needs_two_thirds_of_members(village: Village, official: Person) -> None:
    council = representatives_meeting(village)
    members = [seat(council, make_person(village)) for _ in range(3)]
    session = make_session(council)
    check_in(session, members[0], by=official)
    assert not session_quorum(session).met
    check_in(session, members[1], by=official)
    outcome = session_quorum(session)
    assert outcome.met
    assert [(f.count, f.total, f.needed) for f in outcome.figures] == [(2, 3, 2)]


def test_queries_do_not_grow_with_attendance(
    village: Village, official: Person, django_assert_max_num_queries: object
) -> None:
    homes = households(village, 6)
    session = make_session(assembly(village))
    for home in homes:
        for person in home:
            check_in(session, person, by=official)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        session_quorum(session)
    with django_assert_max_num_queries(1):  # type: ignore[operator]
        present = list(attendance_list(session))
        assert len(present) == 12
        assert {str(a.person.household and a.person.household.group) for a in present} == {"一组"}


def panel(session: Session, viewer: Person | None, actions: set[str]) -> str:
    request = RequestFactory().get("/")
    request.user = viewer.user if viewer is not None and viewer.user else AnonymousUser()
    return render_to_string(
        "consultations/_attendance_panel.html",
        {"session": session, "village": session.council.village, "allowed_actions": actions},
        request=request,
    )


def check_in_path(session: Session) -> str:
    return reverse(
        "session_check_in", args=[session.council.village.admin_code, session.pk, session.join_code]
    )


def test_panel_shows_quorum_figures_citation_and_qr_to_officials(village: Village, official: Person) -> None:
    council = representatives_meeting(village)
    members = [seat(council, make_person(village)) for _ in range(3)]
    session = make_session(council)
    check_in(session, members[0], by=official)
    html = panel(session, official, OFFICIAL_ACTIONS)
    assert "quorum not met" in html
    assert "1 person" in html and "3 people" in html and "Art. 26" in html
    assert "<svg" in html
    assert f"http://testserver{check_in_path(session)}" in html
    assert reverse("attendance_record", args=[village.admin_code, session.pk]) in html
    check_in(session, members[1], by=official)
    assert "quorum met" in panel(session, official, OFFICIAL_ACTIONS)


def test_panel_sends_a_member_to_the_hall_without_the_code(village: Village) -> None:
    """Check-in proves presence: a villager's own page must not let them check in from home."""
    council = representatives_meeting(village)
    member = seat(council, make_person(village, with_account=True))
    session = make_session(council)
    html = panel(session, member, {Action.VIEW_VILLAGE.value})
    assert session.join_code not in html and "scan the QR code at the meeting hall" in html
    assert "<svg" not in html
    assert reverse("attendance_record", args=[village.admin_code, session.pk]) not in html
    assert member.user is not None
    attendance_check_in(actor=member.user, session=session, person=member, method=CheckInMethod.SELF)
    html = panel(session, member, {Action.VIEW_VILLAGE.value})
    assert "You checked in at" in html and check_in_path(session) not in html


def test_panel_hides_the_code_from_villagers_who_cannot_use_it(village: Village, resident: Person) -> None:
    session = make_session(representatives_meeting(village))
    html = panel(session, resident, {Action.VIEW_VILLAGE.value})
    assert session.join_code not in html
    assert "Check in" not in html


def test_panel_shows_no_code_once_closed(village: Village, official: Person) -> None:
    session = make_session(representatives_meeting(village), state=SessionState.CLOSED)
    html = panel(session, official, OFFICIAL_ACTIONS)
    assert "<svg" not in html and session.join_code not in html


def test_panel_of_an_advisory_body_says_there_is_no_quorum(village: Village, official: Person) -> None:
    session = make_session(council_of(village, Body.RESIDENTS_SPEAK))
    html = panel(session, official, OFFICIAL_ACTIONS)
    assert "An advisory body" in html and "No quorum in law" in html
    assert "quorum met" not in html and "quorum not met" not in html
