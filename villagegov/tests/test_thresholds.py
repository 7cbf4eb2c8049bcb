"""The shipped rule set applied to the figures of DOMAIN.md, including its traps."""

import pytest
from django.utils import translation

from villagegov.models import Basis, Body, BodyRule, Counted, Purpose
from villagegov.rulesets import DEFAULT_RULE_SET_CODE
from villagegov.thresholds import MissingCount, evaluate, fraction_words, minimum_needed, passes, quorum_met

pytestmark = pytest.mark.django_db

ATTENDEES, HOUSEHOLDS_REPRESENTED, YES = (
    Counted.ATTENDEES.value,
    Counted.HOUSEHOLDS_REPRESENTED.value,
    Counted.YES_VOTES.value,
)


def rule(body: Body) -> BodyRule:
    return BodyRule.objects.prefetch_related("thresholds").get(
        rule_set__code=DEFAULT_RULE_SET_CODE, body=body
    )


def test_two_thirds_of_31_members_needs_21() -> None:
    assert minimum_needed(total=31, numerator=2, denominator=3, strict=False) == 21
    meeting = rule(Body.REPRESENTATIVES_MEETING)
    totals = {Basis.ALL_MEMBERS.value: 31}
    assert quorum_met(meeting, counts={ATTENDEES: 21}, totals=totals).met
    short = quorum_met(meeting, counts={ATTENDEES: 20}, totals=totals)
    assert not short.met
    assert short.figures[0].needed == 21


def test_two_thirds_of_30_needs_20() -> None:
    assert minimum_needed(total=30, numerator=2, denominator=3, strict=False) == 20


def test_majority_of_20_attendees_needs_11() -> None:
    assert minimum_needed(total=20, numerator=1, denominator=2, strict=True) == 11
    meeting = rule(Body.REPRESENTATIVES_MEETING)
    totals = {Basis.ALL_MEMBERS.value: 30, Basis.ATTENDEES.value: 20}
    assert not passes(meeting, counts={ATTENDEES: 20, YES: 10}, totals=totals).met  # half is not a majority
    assert passes(meeting, counts={ATTENDEES: 20, YES: 11}, totals=totals).met


@pytest.mark.parametrize(("total", "needed"), [(10, 6), (11, 6), (2, 2), (1, 1), (0, 1)])
def test_majority_of_even_and_odd_numbers(total: int, needed: int) -> None:
    assert minimum_needed(total=total, numerator=1, denominator=2, strict=True) == needed


def test_villagers_assembly_quorum_met_by_households_alone() -> None:
    assembly = rule(Body.VILLAGERS_ASSEMBLY)
    totals = {Basis.ADULT_VILLAGERS.value: 1000, Basis.HOUSEHOLDS.value: 300}
    outcome = quorum_met(assembly, counts={ATTENDEES: 200, HOUSEHOLDS_REPRESENTED: 200}, totals=totals)
    assert outcome.met
    assert [figure.met for figure in outcome.figures] == [False, True]
    neither = quorum_met(assembly, counts={ATTENDEES: 500, HOUSEHOLDS_REPRESENTED: 199}, totals=totals)
    assert not neither.met  # 500 of 1000 is exactly half, not more; 199 of 300 is short of two-thirds


def test_members_assembly_decides_against_all_members_not_attendees() -> None:
    """The trap: 20 in favour of 25 present is a majority of the room, but 40 are members."""
    assembly = rule(Body.MEMBERS_ASSEMBLY)
    totals = {Basis.ALL_MEMBERS.value: 40, Basis.ATTENDEES.value: 25}
    outcome = passes(assembly, counts={ATTENDEES: 25, YES: 20}, totals=totals)
    assert not outcome.met
    assert outcome.figures[0].total == 40
    assert outcome.figures[0].needed == 27
    assert passes(assembly, counts={ATTENDEES: 30, YES: 27}, totals=totals | {Basis.ATTENDEES.value: 30}).met


def test_board_decides_by_more_than_half_of_all_directors() -> None:
    board = rule(Body.BOARD)
    totals = {Basis.ALL_MEMBERS.value: 7, Basis.ATTENDEES.value: 5}
    assert not passes(board, counts={ATTENDEES: 5, YES: 3}, totals=totals).met
    assert passes(board, counts={ATTENDEES: 5, YES: 4}, totals=totals).met


def test_every_alternative_or_all_requirements() -> None:
    """Quorum and convening take any threshold; decisions and compositions need every one."""
    meeting = rule(Body.REPRESENTATIVES_MEETING)
    composition = evaluate(
        meeting.thresholds.all(),
        purpose=Purpose.COMPOSITION,
        counts={Counted.REPRESENTATIVES.value: 25, Counted.WOMEN.value: 9},
        totals={Basis.ALL_MEMBERS.value: 30},
    )
    # 25 of 30 representatives meets four-fifths (24); 9 women are short of a third (10).
    assert [figure.met for figure in composition.figures] == [True, False]
    assert not composition.met
    convene = evaluate(
        rule(Body.VILLAGERS_ASSEMBLY).thresholds.all(),
        purpose=Purpose.CONVENE_REQUEST,
        counts={Counted.SIGNATURES.value: 10},
        totals={Basis.ADULT_VILLAGERS.value: 1000, Basis.REPRESENTATIVES.value: 30},
    )
    assert convene.met  # a third of 30 representatives, though far from a tenth of the villagers


def test_advisory_body_has_nothing_to_meet() -> None:
    council = rule(Body.DELIBERATION_COUNCIL)
    assert council.advisory
    outcome = passes(council, counts={YES: 0}, totals={})
    assert outcome.met and outcome.figures == ()


def test_a_missing_total_is_refused_not_guessed() -> None:
    with pytest.raises(MissingCount):
        quorum_met(rule(Body.REPRESENTATIVES_MEETING), counts={ATTENDEES: 21}, totals={})


def test_negative_figures_are_refused() -> None:
    with pytest.raises(ValueError):
        quorum_met(
            rule(Body.REPRESENTATIVES_MEETING), counts={ATTENDEES: -1}, totals={Basis.ALL_MEMBERS.value: 3}
        )


@pytest.mark.parametrize(
    ("language", "citation"),
    [("zh-hans", "《中华人民共和国村民委员会组织法》（2018年修正）第二十六条"), ("en", "Art. 26")],
)
def test_explanation_gives_the_figures_and_the_citation(language: str, citation: str) -> None:
    meeting = rule(Body.REPRESENTATIVES_MEETING)
    with translation.override(language):
        text = quorum_met(meeting, counts={ATTENDEES: 21}, totals={Basis.ALL_MEMBERS.value: 31}).explain()
    assert "21" in text and "31" in text
    assert citation in text


@pytest.mark.parametrize(
    ("language", "strict", "fraction", "words"),
    [
        ("zh-hans", True, (1, 2), "过半数"),
        ("zh-hans", False, (2, 3), "三分之二以上"),
        ("zh-hans", False, (1, 10), "十分之一以上"),
        ("en", True, (1, 2), "more than half"),
        ("en", False, (2, 3), "at least 2/3"),
    ],
)
def test_fraction_words_say_what_the_law_says(
    language: str, strict: bool, fraction: tuple[int, int], words: str
) -> None:
    with translation.override(language):
        assert fraction_words(numerator=fraction[0], denominator=fraction[1], strict=strict) == words


def test_a_fraction_of_an_empty_basis_is_not_met() -> None:
    """0 of 0 households is not two-thirds of the households: the quorum must come from the headcount."""
    from villagegov.thresholds import ThresholdSpec, evaluate

    by_households = ThresholdSpec("quorum", "households_represented", "households", 2, 3, strict=False)
    by_heads = ThresholdSpec("quorum", "attendees", "adult_villagers", 1, 2, strict=True)
    outcome = evaluate(
        [by_households, by_heads],
        purpose="quorum",
        counts={"households_represented": 0, "attendees": 1},
        totals={"households": 0, "adult_villagers": 3},
    )
    assert not outcome.met
    assert [figure.met for figure in outcome.figures] == [False, False]
