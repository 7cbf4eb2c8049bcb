"""Written proxies: only at the members' assembly, within a household; they count toward the
quorum while the grantor is absent and put the grantor on the roll, voted by the holder."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from consultations.models import Answer, Ballot, PollOption, PollVoter, WrittenProxy
from consultations.selectors.attendance import session_quorum
from consultations.services.polls import ballot_cast, poll_create, poll_open
from consultations.services.proxies import proxy_record
from consultations.tests.polls_testing import (
    check_in,
    current_motion,
    members_assembly_meeting,
    seated_meeting,
    user_of,
)
from villagegov.models import Household, Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


def same_household(village: Village, *people) -> Household:
    household = Household.objects.create(village=village, number=f"H{people[0].pk}", head=people[0])
    for person in people:
        person.household = household
        person.save(update_fields=["household"])
    return household


def test_a_proxy_counts_toward_the_quorum_and_lets_the_holder_vote(village: Village) -> None:
    meeting = members_assembly_meeting(village, members=6)
    grantor, holder = meeting.members[5], meeting.members[4]
    same_household(village, grantor, holder)
    check_in(meeting.session, *meeting.members[:3])
    assert not session_quorum(meeting.session).met  # 3 of 6
    check_in(meeting.session, holder)
    proxy_record(
        actor=meeting.chair_user, session=meeting.session, grantor=grantor, holder=holder, document="卷宗1"
    )
    assert session_quorum(meeting.session).met  # 4 present + 1 proxy = 5 of 6
    poll = poll_open(
        actor=meeting.chair_user,
        poll=poll_create(actor=meeting.chair_user, item=current_motion(meeting), question="分配方案"),
    )
    assert poll.entitled_count == 5
    assert PollVoter.objects.get(poll=poll, person=grantor).proxy_holder == holder
    yes = PollOption.objects.get(poll=poll, answer=Answer.YES).pk
    ballot_cast(actor=user_of(holder), poll=poll, choices=[yes])
    ballot_cast(actor=user_of(holder), poll=poll, choices=[yes], for_person=grantor)
    ballot = Ballot.objects.get(poll=poll, voter=grantor)
    assert ballot.cast_by == holder


def test_only_at_a_members_assembly(village: Village) -> None:
    meeting = seated_meeting(village)
    grantor, holder = meeting.members[1], meeting.members[2]
    same_household(village, grantor, holder)
    with pytest.raises(ValidationError, match=r"only at a members' assembly.*Art\. 27"):
        proxy_record(
            actor=meeting.chair_user, session=meeting.session, grantor=grantor, holder=holder, document="x"
        )


def test_only_within_a_household(village: Village) -> None:
    meeting = members_assembly_meeting(village)
    with pytest.raises(ValidationError, match="same household"):
        proxy_record(
            actor=meeting.chair_user,
            session=meeting.session,
            grantor=meeting.members[1],
            holder=meeting.members[2],
            document="x",
        )


def test_once_per_grantor_and_not_for_someone_present(village: Village) -> None:
    meeting = members_assembly_meeting(village)
    grantor, holder, other = meeting.members[1], meeting.members[2], meeting.members[3]
    same_household(village, grantor, holder, other)
    proxy_record(
        actor=meeting.chair_user, session=meeting.session, grantor=grantor, holder=holder, document="x"
    )
    with pytest.raises(ValidationError, match="already given"):
        proxy_record(
            actor=meeting.chair_user, session=meeting.session, grantor=grantor, holder=other, document="x"
        )
    check_in(meeting.session, other)
    with pytest.raises(ValidationError, match="present"):
        proxy_record(
            actor=meeting.chair_user, session=meeting.session, grantor=other, holder=holder, document="x"
        )
    assert WrittenProxy.objects.count() == 1


def url(meeting) -> str:
    return reverse("proxy_list", args=[meeting.village.admin_code, meeting.session.pk])


def test_the_page(village: Village, resident_client: Client, outsider_client: Client) -> None:
    meeting = members_assembly_meeting(village)
    grantor, holder = meeting.members[1], meeting.members[2]
    same_household(village, grantor, holder)
    client = client_for(meeting.chair)
    assert client.get(url(meeting)).status_code == 200
    bad = client.post(url(meeting), {"grantor": grantor.pk, "holder": grantor.pk, "document": "x"})
    assert bad.status_code == 400 and b"own proxy" in bad.content
    assert client.post(url(meeting), {"grantor": "nonsense"}).status_code == 400
    assert resident_client.post(url(meeting), {"grantor": grantor.pk}).status_code == 403
    assert outsider_client.get(url(meeting)).status_code == 404
    assert not WrittenProxy.objects.exists()
    ok = client.post(url(meeting), {"grantor": grantor.pk, "holder": holder.pk, "document": "村委会档案"})
    assert ok.status_code == 302 and WrittenProxy.objects.count() == 1


def test_the_page_of_another_body_says_why_not(village: Village) -> None:
    meeting = seated_meeting(village)
    client = client_for(meeting.chair)
    assert b"Art. 27" in client.get(url(meeting)).content
    refused = client.post(url(meeting), {"grantor": meeting.members[1].pk, "holder": meeting.members[2].pk})
    assert refused.status_code == 400 and not WrittenProxy.objects.exists()


def test_a_proxy_whose_holder_is_absent_neither_counts_nor_votes(village: Village) -> None:
    meeting = members_assembly_meeting(village, members=6)
    grantor, holder = meeting.members[5], meeting.members[4]
    same_household(village, grantor, holder)
    proxy_record(
        actor=meeting.chair_user, session=meeting.session, grantor=grantor, holder=holder, document="卷宗1"
    )
    check_in(meeting.session, *meeting.members[:4])  # the holder stays away
    # 4 present of 6 members: two-thirds needs 4, met without the proxy; the proxy adds nothing.
    attendees = {f.threshold.counted: f.count for f in session_quorum(meeting.session).figures}
    assert attendees["attendees"] == 4
    poll = poll_open(
        actor=meeting.chair_user,
        poll=poll_create(actor=meeting.chair_user, item=current_motion(meeting), question="分配方案"),
    )
    assert poll.entitled_count == 4 and poll.totals["attendees"] == 4
    assert not PollVoter.objects.filter(poll=poll, person__in=[grantor, holder]).exists()
    yes = PollOption.objects.get(poll=poll, answer=Answer.YES).pk
    with pytest.raises(ValidationError, match="written proxy"):
        ballot_cast(actor=user_of(holder), poll=poll, choices=[yes], for_person=grantor)
    assert not Ballot.objects.filter(poll=poll).exists()


def test_the_proxy_counts_once_its_holder_checks_in(village: Village) -> None:
    meeting = members_assembly_meeting(village, members=6)
    grantor, holder = meeting.members[5], meeting.members[4]
    same_household(village, grantor, holder)
    proxy_record(
        actor=meeting.chair_user, session=meeting.session, grantor=grantor, holder=holder, document="卷宗1"
    )
    check_in(meeting.session, *meeting.members[:3])
    assert not session_quorum(meeting.session).met  # 3 of 6; the absent holder's proxy adds nothing
    check_in(meeting.session, holder)
    counted = {f.threshold.counted: f.count for f in session_quorum(meeting.session).figures}
    assert counted["attendees"] == 5  # 4 present + the proxy its present holder carries


def test_a_proxy_ballot_needs_its_holder_on_the_roll(village: Village) -> None:
    """Should the roll ever list a grantor without the holder (a roll frozen by an older version),
    the holder, not on the roll themselves, cannot cast the grantor's ballot."""
    meeting = members_assembly_meeting(village, members=6)
    grantor, holder = meeting.members[5], meeting.members[4]
    check_in(meeting.session, *meeting.members[:4])
    poll = poll_open(
        actor=meeting.chair_user,
        poll=poll_create(actor=meeting.chair_user, item=current_motion(meeting), question="分配方案"),
    )
    PollVoter.objects.create(poll=poll, person=grantor, proxy_holder=holder)
    yes = PollOption.objects.get(poll=poll, answer=Answer.YES).pk
    with pytest.raises(ValidationError, match="not present when this vote opened"):
        ballot_cast(actor=user_of(holder), poll=poll, choices=[yes], for_person=grantor)
    assert not PollVoter.objects.filter(poll=poll, has_voted=True).exists()
    assert not Ballot.objects.filter(poll=poll).exists()
