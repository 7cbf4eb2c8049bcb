"""Moderators hide a post with a reason; nothing is deleted: everyone sees the reason,
moderators still see the text."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from consultations.models import Comment, SessionState
from consultations.services.discussion import comment_hide, comment_post
from consultations.tests.agenda_testing import (
    Meeting,
    add_item,
    item_url,
    make_meeting,
    refused_everywhere,
    user_of,
)
from villagegov.models import Person, User, Village
from villagegov.testing import client_for
from villagegov.tests.hostile_testing import in_chinese, refusal_text

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def meeting(village: Village, official: Person) -> Meeting:
    return make_meeting(village, official, state=SessionState.OPEN)


@pytest.fixture
def comment(meeting: Meeting) -> Comment:
    member = meeting.members[0]
    return comment_post(actor=user_of(member), item=add_item(meeting.session), person=member, body="骂人的话")


def url(comment: Comment) -> str:
    return reverse(
        "comment_hide",
        args=[comment.item.session.council.village.admin_code, comment.item.session_id, comment.pk],
    )


def test_hides_with_a_reason_and_keeps_the_text(comment: Comment, actor: User) -> None:
    comment_hide(actor=actor, comment=comment, reason=" 人身攻击 ")
    comment.refresh_from_db()
    assert (comment.body, comment.hidden_reason, comment.hidden_by) == ("骂人的话", "人身攻击", actor)
    with pytest.raises(ValidationError, match="already hidden"):
        comment_hide(actor=actor, comment=comment, reason="再次")


@pytest.mark.parametrize(("reason", "message"), [("  ", "reason"), ("x" * 301, "300")])
def test_refuses_without_a_reason(comment: Comment, actor: User, reason: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        comment_hide(actor=actor, comment=comment, reason=reason)
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_refused_to_a_villager(comment: Comment, meeting: Meeting) -> None:
    with pytest.raises(ValidationError, match="moderator"):
        comment_hide(actor=user_of(meeting.members[1]), comment=comment, reason="不喜欢")


def test_everyone_sees_the_reason_moderators_the_text(
    comment: Comment, meeting: Meeting, official_client: Client
) -> None:
    assert official_client.post(url(comment), {"reason": "人身攻击"}).status_code == 302
    page = item_url("agenda_item_detail", comment.item)
    member_html = client_for(meeting.members[1]).get(page).content.decode()
    assert "Hidden by the moderator: 人身攻击" in member_html and "骂人的话" not in member_html
    moderator_html = official_client.get(page).content.decode()
    assert "Hidden by the moderator: 人身攻击" in moderator_html and "骂人的话" in moderator_html


def test_invalid_post_is_400(comment: Comment, official_client: Client) -> None:
    response = official_client.post(url(comment), {"reason": ""})
    assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_who_may_hide(
    comment: Comment, resident_client: Client, outsider_client: Client, client: Client
) -> None:
    refused_everywhere(
        url(comment),
        resident=resident_client,
        outsider=outsider_client,
        anonymous=client,
        data={"reason": "x"},
    )
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_hiding_a_hidden_post_says_why_in_chinese(
    comment: Comment, actor: User, official_client: Client
) -> None:
    comment_hide(actor=actor, comment=comment, reason="人身攻击")
    with in_chinese():
        response = official_client.post(url(comment), {"reason": "再次"})
    assert response.status_code == 400
    assert "这条发言已经隐藏。" in refusal_text(response.content.decode())
    comment.refresh_from_db()
    assert comment.hidden_reason == "人身攻击"
