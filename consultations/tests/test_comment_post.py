"""Posting in an item's discussion: members of the council, while the session is announced or
open; 1 to 2000 characters; escaped."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from consultations.models import Comment, SessionState
from consultations.services.discussion import comment_post
from consultations.tests.agenda_testing import Meeting, add_item, item_url, make_meeting, user_of
from villagegov.models import Person, Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def meeting(village: Village, official: Person) -> Meeting:
    return make_meeting(village, official, state=SessionState.ANNOUNCED)


def test_a_member_posts_stripped_text(meeting: Meeting) -> None:
    member = meeting.members[0]
    comment = comment_post(
        actor=user_of(member), item=add_item(meeting.session), person=member, body="  我同意  "
    )
    assert comment.body == "我同意" and comment.author == member
    meeting.session.refresh_from_db()
    assert meeting.session.live_seq == 1


@pytest.mark.parametrize(("body", "message"), [("   ", "Write something"), ("字" * 2001, "2000")])
def test_refuses_empty_or_too_long(meeting: Meeting, body: str, message: str) -> None:
    member = meeting.members[0]
    with pytest.raises(ValidationError, match=message):
        comment_post(actor=user_of(member), item=add_item(meeting.session), person=member, body=body)
    assert not Comment.objects.exists()


def test_refuses_non_members_and_closed_sessions(
    meeting: Meeting, resident: Person, village: Village, official: Person
) -> None:
    item = add_item(meeting.session)
    with pytest.raises(ValidationError, match="Only members"):
        comment_post(actor=user_of(resident), item=item, person=resident, body="我也说")
    with pytest.raises(ValidationError, match="own name"):
        comment_post(actor=user_of(resident), item=item, person=meeting.members[0], body="冒名")
    closed = make_meeting(village, official, state=SessionState.CLOSED)
    with pytest.raises(ValidationError, match="until the session closes"):
        comment_post(
            actor=user_of(closed.members[0]),
            item=add_item(closed.session),
            person=closed.members[0],
            body="迟到",
        )
    assert not Comment.objects.exists()


def test_page_posts_escaped(meeting: Meeting) -> None:
    item = add_item(meeting.session)
    client = client_for(meeting.members[0])
    assert (
        client.post(item_url("comment_post", item), {"body": "<script>alert(1)</script>"}).status_code == 302
    )
    html = client.get(item_url("agenda_item_detail", item)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html


@pytest.mark.parametrize("data", [{}, {"body": ""}, {"body": "字" * 2001}])
def test_invalid_post_is_400(meeting: Meeting, data: dict) -> None:
    item = add_item(meeting.session)
    assert client_for(meeting.members[0]).post(item_url("comment_post", item), data).status_code == 400
    assert not Comment.objects.exists()


def test_non_member_400_outsider_404_anonymous_login(
    meeting: Meeting, resident_client: Client, outsider_client: Client, client: Client
) -> None:
    item = add_item(meeting.session)
    assert resident_client.post(item_url("comment_post", item), {"body": "你好"}).status_code == 400
    assert outsider_client.post(item_url("comment_post", item), {"body": "你好"}).status_code == 404
    assert client.post(item_url("comment_post", item), {"body": "你好"}).status_code == 302
    assert not Comment.objects.exists()
