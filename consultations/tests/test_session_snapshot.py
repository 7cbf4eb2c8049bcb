"""The live snapshot: the part every viewer shares is computed once per session, sequence number
and language, and reused by the next viewers; the counts and the viewer's own state are read for
each viewer; a numbered change or the end of the keeping time shows the news."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from consultations.models import Answer, CheckInMethod, PollOption, Session, SessionState
from consultations.selectors import live
from consultations.selectors.live import session_snapshot
from consultations.services.attendance import attendance_check_in
from consultations.services.polls import ballot_cast
from consultations.tests.attendance_testing import assembly, make_session
from consultations.tests.polls_testing import open_motion_poll, seated_meeting, user_of
from villagegov.models import Person, Role, Village
from villagegov.testing import make_person

pytestmark = pytest.mark.usefixtures("english")


def snapshot_and_queries(session: Session, person: Person) -> tuple[dict[str, Any], int]:
    with CaptureQueriesContext(connection) as queries:
        snapshot = session_snapshot(session, person)
    return snapshot, len(queries)


def test_the_next_viewer_reuses_the_shared_part_and_gets_their_own_state(village: Village) -> None:
    meeting = seated_meeting(village, members=5)
    poll = open_motion_poll(meeting, present=4)
    yes = PollOption.objects.get(poll=poll, answer=Answer.YES).pk
    voter, other, absent = meeting.members[1], meeting.members[2], meeting.members[4]
    ballot_cast(actor=user_of(voter), poll=poll, choices=[yes], client_id="v1")

    first, first_queries = snapshot_and_queries(meeting.session, voter)
    second, second_queries = snapshot_and_queries(meeting.session, other)
    third, _ = snapshot_and_queries(meeting.session, absent)

    # The sequence number, the counts, the viewer's roll row (and the transaction's savepoint).
    assert second_queries <= 5 < first_queries
    assert first["seq"] == second["seq"] and first["agenda"] == second["agenda"]
    assert first["quorum"] == second["quorum"] and first["quorum"]["attendees"] == 4
    mine = {
        name: (s["open_poll"]["entitled_to_vote"], s["open_poll"]["has_voted"])
        for name, s in (("voter", first), ("other", second), ("absent", third))
    }
    assert mine == {"voter": (True, True), "other": (True, False), "absent": (False, False)}

    # A ballot has no sequence number: the counts are read afresh for every viewer.
    ballot_cast(actor=user_of(other), poll=poll, choices=[yes], client_id="o1")
    again, _ = snapshot_and_queries(meeting.session, other)
    assert again["seq"] == first["seq"]
    assert (again["open_poll"]["voted"], again["open_poll"]["entitled"]) == (2, 4)
    assert again["open_poll"]["has_voted"] is True


def test_a_numbered_change_is_in_the_next_snapshot(village: Village) -> None:
    meeting = seated_meeting(village, members=4)
    before = session_snapshot(meeting.session, meeting.members[1])
    attendance_check_in(
        actor=meeting.chair_user,
        session=meeting.session,
        person=meeting.members[2],
        method=CheckInMethod.CLERK,
    )
    after = session_snapshot(meeting.session, meeting.members[1])
    assert after["seq"] > before["seq"]
    assert (before["quorum"]["attendees"], after["quorum"]["attendees"]) == (0, 1)


def test_each_language_has_its_own_shared_part(village: Village) -> None:
    meeting = seated_meeting(village, members=4)
    with translation.override("zh-hans"):
        chinese = session_snapshot(meeting.session, meeting.members[1])
    with translation.override("en"):
        english = session_snapshot(meeting.session, meeting.members[1])
    assert chinese["seq"] == english["seq"]
    assert chinese["language"] == "zh-hans" and english["language"] == "en"
    assert chinese["quorum"]["explanation"] != english["quorum"]["explanation"]


def test_a_change_without_a_number_shows_once_the_keeping_time_is_over(
    village: Village, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The roster behind the quorum's totals changes without a session event: it may lag, but
    for no longer than SHARED_SNAPSHOT_SECONDS."""
    chair = make_person(village, roles=(Role.COMMITTEE_MEMBER,), with_account=True)
    session = make_session(assembly(village), state=SessionState.OPEN, chair=chair)
    now = [1000.0]
    monkeypatch.setattr(live.time, "monotonic", lambda: now[0])
    before = session_snapshot(session, chair)
    make_person(village)  # a new adult villager: the assembly's totals change, no event
    now[0] += live.SHARED_SNAPSHOT_SECONDS / 2
    kept = session_snapshot(session, chair)
    now[0] += live.SHARED_SNAPSHOT_SECONDS
    fresh = session_snapshot(session, chair)
    assert kept["quorum"] == before["quorum"]
    assert kept["seq"] == fresh["seq"]
    assert fresh["quorum"]["explanation"] != before["quorum"]["explanation"]
