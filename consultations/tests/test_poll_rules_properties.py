"""The result a poll gives is the one the law gives: integer rules, the body's denominator
(attendees; ALL members for the 成员大会 and the 理事会), elections valid / elected / second
round / tie at the last seat, advisory bodies deciding nothing."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consultations.models import Answer, Poll, PollOption
from consultations.selectors.polls import result_of
from consultations.tests.polls_testing import bare_poll
from villagegov.models import Body, Council, Village, VillagerGroup
from villagegov.testing import council_of

pytestmark = pytest.mark.usefixtures("english")

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# body → (basis of the decision, numerator, denominator, strict)
DECISION_RULES = {
    Body.VILLAGERS_ASSEMBLY: ("attendees", 1, 2, True),
    Body.REPRESENTATIVES_MEETING: ("attendees", 1, 2, True),
    Body.VILLAGER_GROUP_MEETING: ("attendees", 1, 2, True),
    Body.MEMBERS_ASSEMBLY: ("all_members", 2, 3, False),
    Body.MEMBERS_REPRESENTATIVES: ("all_members", 2, 3, False),
    Body.BOARD: ("all_members", 1, 2, True),
}


def council_for(village: Village, body: Body) -> Council:
    if body != Body.VILLAGER_GROUP_MEETING:
        return council_of(village, body)
    group, _ = VillagerGroup.objects.get_or_create(
        village=village, number=1, defaults={"name": "第一村民小组"}
    )
    council, _ = Council.objects.get_or_create(
        village=village, body=body, group=group, defaults={"name": "小组会议"}
    )
    return council


def motion_result(poll: Poll, *, yes: int, no: int, abstain: int, attendees: int, all_members: int):
    options = {o.answer: str(o.pk) for o in PollOption.objects.filter(poll=poll)}
    poll.entitled_count = attendees
    poll.totals = {"attendees": attendees, "all_members": all_members, "adult_villagers": all_members}
    return result_of(
        poll,
        session=poll.item.session,
        counts={options[Answer.YES]: yes, options[Answer.NO]: no, options[Answer.ABSTAIN]: abstain},
        votes_cast=yes + no + abstain,
    )


@pytest.mark.parametrize("body", list(DECISION_RULES), ids=str)
@FAST
@given(data=st.data())
def test_a_motion_passes_iff_the_integer_rule_of_its_body_is_met(
    village: Village, body: Body, data: st.DataObject
) -> None:
    poll = bare_poll(council_for(village, body))
    all_members = data.draw(st.integers(min_value=0, max_value=400))
    attendees = data.draw(st.integers(min_value=0, max_value=all_members))
    yes = data.draw(st.integers(min_value=0, max_value=attendees))
    no = data.draw(st.integers(min_value=0, max_value=attendees - yes))
    abstain = data.draw(st.integers(min_value=0, max_value=attendees - yes - no))
    result = motion_result(
        poll, yes=yes, no=no, abstain=abstain, attendees=attendees, all_members=all_members
    )
    basis, numerator, denominator, strict = DECISION_RULES[body]
    total = attendees if basis == "attendees" else all_members
    # Abstentions and absent votes weigh like "against": only the yes votes against the body's
    # denominator (attendees or all members) decide, never yes against yes + no.
    expected = yes * denominator > total * numerator if strict else yes * denominator >= total * numerator
    assert result.passed is (expected and total > 0)
    assert result.votes_cast == yes + no + abstain


def test_two_thirds_of_31_members_needs_21(village: Village) -> None:
    poll = bare_poll(council_of(village, Body.MEMBERS_ASSEMBLY))
    assert motion_result(poll, yes=21, no=0, abstain=0, attendees=25, all_members=31).passed is True
    failed = motion_result(poll, yes=20, no=0, abstain=0, attendees=20, all_members=31)
    assert failed.passed is False
    assert "needs 21" in failed.explanation_en


def test_a_majority_of_20_attendees_needs_11(village: Village) -> None:
    poll = bare_poll(council_of(village, Body.REPRESENTATIVES_MEETING))
    passed = motion_result(poll, yes=11, no=9, abstain=0, attendees=20, all_members=30)
    assert passed.passed is True and "needs 11" in passed.explanation_en
    assert "Art. 26" in passed.explanation_en and "第二十六条" in passed.explanation_zh
    assert motion_result(poll, yes=10, no=5, abstain=5, attendees=20, all_members=30).passed is False


def test_the_members_assembly_counts_against_all_members_not_attendees(village: Village) -> None:
    poll = bare_poll(council_of(village, Body.MEMBERS_ASSEMBLY))
    # Everyone present voted yes, but the present are not two-thirds of ALL members.
    assert motion_result(poll, yes=20, no=0, abstain=0, attendees=20, all_members=31).passed is False


def test_the_board_needs_more_than_half_of_all_directors(village: Village) -> None:
    poll = bare_poll(council_of(village, Body.BOARD))
    assert motion_result(poll, yes=3, no=0, abstain=0, attendees=4, all_members=7).passed is False
    assert motion_result(poll, yes=4, no=0, abstain=0, attendees=4, all_members=7).passed is True


@pytest.mark.parametrize(
    "body", [Body.DELIBERATION_COUNCIL, Body.WOMENS_DELIBERATION, Body.VILLAGE_COMMITTEE]
)
def test_a_body_without_a_decision_rule_decides_nothing(village: Village, body: Body) -> None:
    poll = bare_poll(council_of(village, body))
    result = motion_result(poll, yes=10, no=0, abstain=0, attendees=10, all_members=10)
    assert result.passed is None
    assert "advisory" in result.explanation_en or "no majority" in result.explanation_en


def election(poll: Poll, votes: list[int], *, cast: int, registered: int):
    options = list(PollOption.objects.filter(poll=poll).order_by("position"))
    poll.entitled_count = cast
    poll.totals = {"registered_voters": registered, "attendees": cast, "all_members": registered}
    return result_of(
        poll,
        session=poll.item.session,
        counts={str(o.pk): v for o, v in zip(options, votes, strict=True)},
        votes_cast=cast,
    )


def test_an_election_is_valid_only_if_more_than_half_the_registered_voters_vote(village: Village) -> None:
    poll = bare_poll(council_of(village, Body.VILLAGERS_ASSEMBLY), candidates=2)
    invalid = election(poll, [50, 0], cast=50, registered=100)
    assert invalid.passed is False and "not valid" in invalid.explanation_en
    assert election(poll, [51, 0], cast=51, registered=100).passed is True


@FAST
@given(data=st.data())
def test_a_candidate_is_elected_with_more_than_half_of_the_votes_cast(
    village: Village, data: st.DataObject
) -> None:
    poll = bare_poll(council_of(village, Body.VILLAGERS_ASSEMBLY), candidates=2)
    cast = data.draw(st.integers(min_value=1, max_value=300))
    registered = data.draw(st.integers(min_value=cast, max_value=700))
    first = data.draw(st.integers(min_value=0, max_value=cast))
    second = data.draw(st.integers(min_value=0, max_value=cast - first))  # the rest: blank or spoilt
    result = election(poll, [first, second], cast=cast, registered=registered)
    valid = cast * 2 > registered
    elected = valid and ((first * 2 > cast) or (second * 2 > cast))
    assert result.passed is elected
    assert result.election_valid is valid
    assert (result.elected_option_ids != frozenset()) is elected


def test_in_a_second_round_a_third_of_the_votes_cast_elects(village: Village) -> None:
    council = council_of(village, Body.VILLAGERS_ASSEMBLY)
    first_round = bare_poll(council, candidates=3)
    assert election(first_round, [34, 33, 33], cast=100, registered=150).passed is False
    second_round = bare_poll(council, candidates=3, round_number=2)
    result = election(second_round, [34, 33, 33], cast=100, registered=150)
    assert result.passed is True
    assert "Round 2" in result.explanation_en


def test_a_tie_at_the_last_seat_elects_neither_and_asks_for_another_round(village: Village) -> None:
    poll = bare_poll(council_of(village, Body.VILLAGERS_ASSEMBLY), candidates=3, seats=2)
    result = election(poll, [90, 60, 60], cast=100, registered=150)
    assert result.passed is False
    assert "tied for the last seat" in result.explanation_en
    assert "1 seat is left unfilled" in result.explanation_en


def test_at_most_the_seats_are_filled_highest_first(village: Village) -> None:
    poll = bare_poll(council_of(village, Body.VILLAGERS_ASSEMBLY), candidates=3, seats=2)
    result = election(poll, [90, 70, 60], cast=100, registered=150)
    assert result.passed is True
    names = [o.label for o in PollOption.objects.filter(poll=poll).order_by("position")]
    assert f"{names[0]} (elected)" in result.explanation_en
    assert f"{names[1]} (elected)" in result.explanation_en
    assert f"{names[2]} (not elected)" in result.explanation_en
