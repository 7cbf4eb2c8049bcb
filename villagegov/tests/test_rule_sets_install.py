"""Installing the shipped rule sets: the data of the law, refreshed in place by each migration."""

from datetime import date

import pytest

from villagegov.models import (
    Basis,
    Body,
    BodyRule,
    Council,
    CouncilSeat,
    Counted,
    Purpose,
    Role,
    RuleSet,
    Threshold,
    Village,
)
from villagegov.rulesets import DEFAULT_RULE_SET_CODE, install_rule_sets
from villagegov.selectors.councils import council_totals
from villagegov.testing import make_person
from villagegov.thresholds import evaluate


def install() -> None:
    install_rule_sets(RuleSet, BodyRule, Threshold)


def shipped(body: Body) -> BodyRule:
    return BodyRule.objects.get(rule_set__code=DEFAULT_RULE_SET_CODE, body=body)


def convene_request(body: Body) -> Threshold:
    return shipped(body).thresholds.get(purpose=Purpose.CONVENE_REQUEST)


@pytest.mark.django_db
def test_representatives_meeting_is_convened_by_a_fifth_of_the_representatives() -> None:
    """Organic Law Art. 26: 有五分之一以上的村民代表提议 — of the representatives, not of all members."""
    threshold = convene_request(Body.REPRESENTATIVES_MEETING)
    assert (threshold.counted, threshold.basis) == (Counted.SIGNATURES, Basis.REPRESENTATIVES)
    assert (threshold.numerator, threshold.denominator, threshold.strict) == (1, 5, False)
    assert "第二十六条" in threshold.citation_zh


@pytest.mark.django_db
def test_a_stale_shipped_threshold_is_corrected_in_place() -> None:
    """As in a database installed before the fix: the same row, measured against all members."""
    stale = convene_request(Body.REPRESENTATIVES_MEETING)
    Threshold.objects.filter(pk=stale.pk).update(basis=Basis.ALL_MEMBERS, citation_en="old")
    install()
    fixed = convene_request(Body.REPRESENTATIVES_MEETING)
    assert fixed.pk == stale.pk
    assert fixed.basis == Basis.REPRESENTATIVES and fixed.citation_en == stale.citation_en


@pytest.mark.django_db
def test_reinstalling_keeps_other_rows_and_restores_missing_ones() -> None:
    board = shipped(Body.BOARD)
    added = board.thresholds.create(
        purpose=Purpose.CONVENE_REQUEST,
        counted=Counted.SIGNATURES,
        basis=Basis.ALL_MEMBERS,
        numerator=1,
        denominator=3,
        citation_zh="本社章程",
        citation_en="the organisation's statutes",
    )
    assembly = shipped(Body.VILLAGERS_ASSEMBLY)
    # The assembly ships two convening requests with the same count, told apart by their basis.
    requests = {t.basis: t.pk for t in assembly.thresholds.filter(purpose=Purpose.CONVENE_REQUEST)}
    assert set(requests) == {Basis.ADULT_VILLAGERS, Basis.REPRESENTATIVES}
    assembly.thresholds.filter(pk=requests[Basis.REPRESENTATIVES]).delete()
    count = Threshold.objects.count()

    install()
    install()

    assert Threshold.objects.filter(pk=added.pk).exists()
    restored = {t.basis: t.pk for t in assembly.thresholds.filter(purpose=Purpose.CONVENE_REQUEST)}
    assert set(restored) == {Basis.ADULT_VILLAGERS, Basis.REPRESENTATIVES}
    assert restored[Basis.ADULT_VILLAGERS] == requests[Basis.ADULT_VILLAGERS]
    assert Threshold.objects.count() == count + 1


def test_the_representatives_total_is_there_for_a_convening_request(village: Village) -> None:
    meeting = Council.objects.create(village=village, body=Body.REPRESENTATIVES_MEETING, name="村民代表会议")
    for index in range(15):
        person = make_person(village, roles=(Role.REPRESENTATIVE,) if index < 5 else ())
        CouncilSeat.objects.create(council=meeting, person=person, starts_on=date(2024, 1, 1))
    totals = council_totals(meeting, on=date(2025, 1, 1))
    assert (totals[Basis.REPRESENTATIVES], totals[Basis.ALL_MEMBERS]) == (5, 15)
    thresholds = shipped(Body.REPRESENTATIVES_MEETING).thresholds.all()
    # One of the 5 representatives is a fifth of them, though not a fifth of the 15 members.
    outcome = evaluate(
        thresholds, purpose=Purpose.CONVENE_REQUEST, counts={Counted.SIGNATURES: 1}, totals=totals
    )
    assert outcome.met
    assert outcome.figures[0].total == 5
