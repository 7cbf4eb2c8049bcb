"""The matters the law reserves to certain bodies (Art. 24 and 27 of the Organic Law; the 2024 law
for the collective's income): every matter against every body, with and without a delegation."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from consultations.matters import DECIDED_BY, Matter
from consultations.models import Delegation
from consultations.selectors.agenda import matter_refusal, matters_not_decided_by
from villagegov.models import Body, Council, Person, Village, VillagerGroup
from villagegov.testing import council_of as _council_of

pytestmark = pytest.mark.usefixtures("english")

ART_24 = (
    Matter.LOST_WORK_ALLOWANCE,
    Matter.COLLECTIVE_INCOME_USE,
    Matter.PUBLIC_WELFARE_PROJECT,
    Matter.LAND_CONTRACTING_PLAN,
    Matter.COLLECTIVE_PROJECT,
    Matter.HOMESTEAD_PLAN,
    Matter.LAND_COMPENSATION,
    Matter.PROPERTY_DISPOSAL,
)
# Who decides each matter in law, and who may decide it once delegated (DOMAIN.md).
IN_LAW: dict[Matter, set[Body]] = {
    **{matter: {Body.VILLAGERS_ASSEMBLY} for matter in ART_24},
    Matter.CHARTER_OR_COMPACT: {Body.VILLAGERS_ASSEMBLY},
    Matter.COLLECTIVE_DISTRIBUTION: {Body.MEMBERS_ASSEMBLY},
}
DELEGABLE: dict[Matter, set[Body]] = {
    **{matter: {Body.REPRESENTATIVES_MEETING} for matter in ART_24},
    Matter.CHARTER_OR_COMPACT: set(),
    Matter.COLLECTIVE_DISTRIBUTION: {Body.MEMBERS_REPRESENTATIVES},
}


def council_of(village: Village, body: Body) -> Council:
    if body != Body.VILLAGER_GROUP_MEETING:
        return _council_of(village, body)
    group, _ = VillagerGroup.objects.get_or_create(village=village, number=1, defaults={"name": "第一组"})
    council, _ = Council.objects.get_or_create(
        village=village, body=body, group=group, defaults={"name": "组会"}
    )
    return council


def delegate(village: Village, matter: Matter, body: Body, actor: Person, **fields: object) -> Delegation:
    assert actor.user is not None
    values = {"granted_on": date(2024, 1, 1), "document": "村民会议决议", **fields}
    return Delegation.objects.create(
        village=village,
        matter=matter,
        body=body,
        recorded_by=actor.user,
        recorded_at=timezone.now(),
        **values,
    )


def test_every_matter_has_a_rule() -> None:
    assert set(DECIDED_BY) == set(Matter) == set(IN_LAW)


@pytest.mark.parametrize("body", list(Body), ids=lambda b: b.value)
@pytest.mark.parametrize("matter", list(Matter), ids=lambda m: m.value)
def test_without_delegation_only_the_bodies_the_law_names_decide(
    village: Village, matter: Matter, body: Body
) -> None:
    refusal = matter_refusal(council=council_of(village, body), matter=matter.value)
    if body in IN_LAW[matter]:
        assert refusal is None
    else:
        assert refusal is not None
        assert str(body.label) in refusal and str(matter.label) in refusal
        for allowed in IN_LAW[matter] | DELEGABLE[matter]:
            assert str(allowed.label) in refusal
        assert DECIDED_BY[matter].citation_en in refusal


@pytest.mark.parametrize("matter", list(Matter), ids=lambda m: m.value)
def test_a_recorded_delegation_lets_the_delegable_body_decide(
    village: Village, official: Person, matter: Matter
) -> None:
    for body in Body:
        delegate(village, matter, body, official)
    for body in Body:
        refusal = matter_refusal(council=council_of(village, body), matter=matter.value)
        assert (refusal is None) == (body in IN_LAW[matter] | DELEGABLE[matter]), body


def test_a_delegation_counts_only_from_its_day_until_it_is_revoked(
    village: Village, official: Person
) -> None:
    today = timezone.localdate()
    council = council_of(village, Body.REPRESENTATIVES_MEETING)
    matter = Matter.HOMESTEAD_PLAN
    delegate(village, matter, Body.REPRESENTATIVES_MEETING, official, granted_on=today, revoked_on=today)
    assert matter_refusal(council=council, matter=matter, on=today - timedelta(days=1)) is not None
    assert matter_refusal(council=council, matter=matter, on=today) is not None  # revoked that day
    delegate(village, matter, Body.REPRESENTATIVES_MEETING, official, granted_on=today)
    assert matter_refusal(council=council, matter=matter, on=today) is None


def test_another_villages_delegation_does_not_count(
    village: Village, other_village: Village, outsider: Person
) -> None:
    delegate(other_village, Matter.HOMESTEAD_PLAN, Body.REPRESENTATIVES_MEETING, outsider)
    council = council_of(village, Body.REPRESENTATIVES_MEETING)
    refusal = matter_refusal(council=council, matter=Matter.HOMESTEAD_PLAN)
    assert refusal is not None and "delegated" in refusal


def test_a_motion_naming_no_matter_goes_to_any_body(village: Village) -> None:
    assert all(matter_refusal(council=council_of(village, body), matter="") is None for body in Body)


def test_an_unknown_matter_is_refused(village: Village) -> None:
    council = council_of(village, Body.VILLAGERS_ASSEMBLY)
    assert matter_refusal(council=council, matter="<script>") is not None


@pytest.mark.parametrize("body", list(Body), ids=lambda b: b.value)
def test_the_form_lists_exactly_the_matters_the_body_cannot_decide_today(
    village: Village, body: Body
) -> None:
    listed = {line.matter for line in matters_not_decided_by(council_of(village, body))}
    assert listed == {matter for matter, bodies in IN_LAW.items() if body not in bodies}


def test_the_citation_follows_the_language(village: Village) -> None:
    with translation.override("zh-hans"):
        refusal = matter_refusal(council=council_of(village, Body.BOARD), matter=Matter.CHARTER_OR_COMPACT)
    assert refusal is not None and "第二十七条" in refusal
