"""The live socket as everyone who might try it: anonymous, each role of the session's village,
each role of another village (under this village's code and under their own), sessions of another
village and ids too large. Accepted exactly where the access matrix says; and nothing of another
village's session ever reaches a socket."""

from dataclasses import dataclass

import pytest
from channels.db import database_sync_to_async

from consultations.models import AgendaItem, Ballot, Poll, SecretBallot, Session, SessionState
from consultations.services.agenda import agenda_item_finish
from consultations.services.discussion import comment_post
from consultations.tests.attendance_testing import make_session
from consultations.tests.live_testing import (
    TIMEOUT,
    connected,
    fresh_channel_layer,
    refusal_code,
    send_message,
    socket_headers,
    socket_path,
)
from consultations.tests.polls_testing import (
    Meeting,
    current_motion,
    open_motion_poll,
    seated_meeting,
    user_of,
)
from villagegov.access_matrix import WEBSOCKET_ACCESS
from villagegov.models import Role
from villagegov.permissions import ROLES_ALLOWED
from villagegov.testing import make_village
from villagegov.tests.test_permission_walker import holder_of

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

CLOSE_ANONYMOUS, CLOSE_FORBIDDEN, CLOSE_NOT_FOUND = 4401, 4403, 4404
Headers = list[tuple[bytes, bytes]]


@dataclass
class Villages:
    here: Meeting  # an open session of this village, with a current motion
    draft: Session  # a session of this village not yet announced
    elsewhere: Meeting  # an open session of another village, with an open poll
    holders: dict[Role, Headers]  # one person per role of this village, holding it alone
    strangers: dict[Role, Headers]  # the same in the other village


@pytest.fixture
def villages() -> Villages:
    fresh_channel_layer()
    here = seated_meeting(make_village(name="东坑村"), members=2)
    current_motion(here)
    draft = make_session(here.council, state=SessionState.DRAFT, chair=here.chair)
    elsewhere = seated_meeting(make_village(name="寮步村"), members=2)
    open_motion_poll(elsewhere)
    return Villages(
        here=here,
        draft=draft,
        elsewhere=elsewhere,
        holders={role: socket_headers(holder_of(role, here.village)) for role in Role},
        strangers={role: socket_headers(holder_of(role, elsewhere.village)) for role in Role},
    )


def sessions_of(villages: Villages) -> dict[bool, Session]:
    """The session each socket rule is about: the draft, or the open one."""
    return {True: villages.draft, False: villages.here.session}


async def test_an_anonymous_visitor_is_refused_every_session(villages: Villages) -> None:
    for session in sessions_of(villages).values():
        assert await refusal_code(socket_path(session), socket_headers(None)) == CLOSE_ANONYMOUS


async def test_each_role_of_the_village_is_let_in_exactly_where_the_rules_say(villages: Villages) -> None:
    sessions = sessions_of(villages)
    for rule in WEBSOCKET_ACCESS["ws_session"]:
        path = socket_path(sessions[rule.drafts])
        for role, headers in villages.holders.items():
            if role in ROLES_ALLOWED[rule.action]:
                communicator, snapshot = await connected(path, headers)
                assert snapshot["session"]["id"] == sessions[rule.drafts].pk, role
                await communicator.disconnect()
            else:
                # A draft is not found by those who may not manage sessions; the village's
                # other sessions are open to every role, so nothing else is refused here.
                assert await refusal_code(path, headers) == CLOSE_NOT_FOUND, (role, rule.sessions)


async def test_each_role_of_another_village_is_refused(villages: Villages) -> None:
    own_code = villages.elsewhere.village.admin_code
    for session in sessions_of(villages).values():
        for role, headers in villages.strangers.items():
            assert await refusal_code(socket_path(session), headers) == CLOSE_FORBIDDEN, role
            # Under their own village's code they pass the roster check; the session is not theirs.
            under_own_code = socket_path(session, village_code=own_code)
            assert await refusal_code(under_own_code, headers) == CLOSE_NOT_FOUND, role


async def test_another_villages_session_under_this_villages_code_is_not_found(villages: Villages) -> None:
    path = socket_path(villages.elsewhere.session, village_code=villages.here.village.admin_code)
    official = await database_sync_to_async(socket_headers)(villages.here.chair)
    assert await refusal_code(path, official) == CLOSE_NOT_FOUND
    assert await refusal_code(path, villages.holders[Role.RESIDENT]) == CLOSE_NOT_FOUND


async def test_ids_too_large_for_the_database_are_not_found(villages: Villages) -> None:
    code = villages.here.village.admin_code
    official = await database_sync_to_async(socket_headers)(villages.here.chair)
    # The largest id the route takes (18 digits) is looked up and not found.
    assert await refusal_code(f"/ws/v/{code}/sessions/{10**18 - 1}/", official) == CLOSE_NOT_FOUND
    # A longer one matches no route at all: the router refuses the connection.
    with pytest.raises(ValueError, match="No route found"):
        await refusal_code(f"/ws/v/{code}/sessions/{10**20}/", official)


async def test_no_event_of_another_villages_session_reaches_a_socket(villages: Villages) -> None:
    """Everything the other village's session broadcasts (a vote's acknowledgement and progress,
    a post) reaches its own sockets and none of this village's: the first message this village's
    socket gets afterwards is this village's own next event."""
    here_member, there_member = villages.here.members[1], villages.elsewhere.members[1]
    here_socket, here_snapshot = await connected(
        socket_path(villages.here.session), await database_sync_to_async(socket_headers)(here_member)
    )
    there_socket, there_snapshot = await connected(
        socket_path(villages.elsewhere.session), await database_sync_to_async(socket_headers)(there_member)
    )
    poll = there_snapshot["open_poll"]
    vote = {"type": "vote", "poll": poll["id"], "choices": [poll["options"][0]["id"]], "client_id": "b-1"}
    await there_socket.send_json_to(vote)
    # The acknowledgement and the progress broadcast, in whichever order they come.
    answers = [await there_socket.receive_json_from(timeout=TIMEOUT) for _ in range(2)]
    assert sorted(answer["type"] for answer in answers) == ["ack", "poll.progress"], answers

    def post_there() -> None:
        item = AgendaItem.objects.get(pk=there_snapshot["current_item"])
        comment_post(actor=user_of(there_member), item=item, person=there_member, body="寮步村的发言")

    await database_sync_to_async(post_there)()
    posted = await there_socket.receive_json_from(timeout=TIMEOUT)
    assert posted["event"]["type"] == "comments.changed", posted

    def finish_here() -> None:
        item = AgendaItem.objects.get(pk=here_snapshot["current_item"])
        agenda_item_finish(actor=villages.here.chair_user, item=item)

    await database_sync_to_async(finish_here)()
    first = await here_socket.receive_json_from(timeout=TIMEOUT)
    assert first == {
        "type": "event",
        "event": {"type": "item.current", "seq": here_snapshot["seq"] + 1, "data": {"item": None}},
    }
    await here_socket.disconnect()
    await there_socket.disconnect()


async def test_a_vote_in_another_villages_poll_over_this_villages_socket_is_not_found(
    villages: Villages,
) -> None:
    member = villages.here.members[1]
    communicator, _snapshot = await connected(
        socket_path(villages.here.session), await database_sync_to_async(socket_headers)(member)
    )

    def their_poll() -> tuple[int, int, int]:
        poll = Poll.objects.get(item__session=villages.elsewhere.session)
        option = poll.options.order_by("pk").first()
        assert option is not None
        return poll.pk, option.pk, villages.elsewhere.members[1].pk

    poll_id, option_id, their_member = await database_sync_to_async(their_poll)()
    vote = {"type": "vote", "poll": poll_id, "choices": [option_id], "client_id": "a-1"}
    for message in (vote, vote | {"client_id": "a-2", "for_person": their_member}):
        answer = await send_message(communicator, message)
        assert answer["type"] == "error" and answer["code"] == "not_found", answer
    counts = await database_sync_to_async(lambda: (Ballot.objects.count(), SecretBallot.objects.count()))()
    assert counts == (0, 0)
    await communicator.disconnect()
