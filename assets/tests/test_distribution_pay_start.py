"""Starting to pay a plan (distribution_pay_start) only past its three gates: (a) the members'
resolution that approved it, (b) 10 days' notice before that meeting, (c) the supervision
committee's concluded review. Refused naming every step still missing."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from assets.models import DistributionPlan
from assets.selectors.distributions import payment_gates
from assets.services.distributions import distribution_pay_start, distribution_propose
from assets.tests.distributions_testing import (
    approve,
    conclude_review,
    deciding_session,
    make_plan,
    publish,
    ready_to_pay,
)
from consultations.matters import Matter
from consultations.models import MotionItem, SessionState
from consultations.services.agenda import agenda_item_update
from consultations.tests.minutes_testing import delegate, make_closed_poll, make_resolution
from supervision.models import ReviewState
from villagegov.models import AuditRecord, Body, User, Village

pytestmark = pytest.mark.usefixtures("english")


def _started(plan: DistributionPlan) -> bool:
    return DistributionPlan.objects.get(pk=plan.pk).payment_started_at is not None


def _gates(plan: DistributionPlan) -> dict[str, bool]:
    return {gate.key: gate.met for gate in payment_gates(DistributionPlan.objects.get(pk=plan.pk))}


def test_every_gate_met_payment_starts(village: Village, actor: User) -> None:
    plan = ready_to_pay(village, actor)
    gates = payment_gates(plan)
    assert [gate.key for gate in gates] == ["resolution", "notice", "review"]
    assert all(gate.met for gate in gates)
    assert "20 days later" in gates[1].text
    distribution_pay_start(actor=actor, plan=plan)
    assert _started(plan)
    assert AuditRecord.objects.filter(action="distribution.pay_start").count() == 1
    with pytest.raises(ValidationError, match="already started"):
        distribution_pay_start(actor=actor, plan=plan)


def test_gate_a_refused_without_a_passed_vote(village: Village, actor: User) -> None:
    plan = publish(make_plan(village, actor))
    approve(plan, passed=False)
    conclude_review(plan)
    assert _gates(plan) == {"resolution": False, "notice": True, "review": True}
    with pytest.raises(ValidationError, match="has not passed the motion") as refusal:
        distribution_pay_start(actor=actor, plan=plan)
    assert "every step" in str(refusal.value) and "notice" not in str(refusal.value)
    assert not _started(plan)


def test_gate_a_refused_while_the_resolution_is_unpublished(village: Village, actor: User) -> None:
    plan = publish(make_plan(village, actor))
    approve(plan, resolution_published=False)
    conclude_review(plan)
    with pytest.raises(ValidationError, match="resolution is not published yet"):
        distribution_pay_start(actor=actor, plan=plan)
    assert not _started(plan)


def test_gate_a_refused_when_the_body_had_no_delegation_on_the_day(village: Village, actor: User) -> None:
    plan = publish(make_plan(village, actor))
    approve(plan, deciding_session(village, body=Body.MEMBERS_REPRESENTATIVES, state=SessionState.CLOSED))
    conclude_review(plan)
    with pytest.raises(ValidationError, match="only when it was delegated"):
        distribution_pay_start(actor=actor, plan=plan)
    assert not _started(plan)
    delegate(village, Matter.COLLECTIVE_DISTRIBUTION, Body.MEMBERS_REPRESENTATIVES, actor)
    distribution_pay_start(actor=actor, plan=plan)
    assert _started(plan)


def test_gate_a_refused_when_never_put_to_a_meeting(village: Village, actor: User) -> None:
    plan = publish(make_plan(village, actor))
    conclude_review(plan)
    with pytest.raises(ValidationError, match="not been put to a meeting"):
        distribution_pay_start(actor=actor, plan=plan)
    assert not _started(plan)


def _proposed_and_carried(village: Village, actor: User, **changes: str) -> DistributionPlan:
    """A plan put to a meeting by distribution_propose; its motion then changed through the agenda
    with `changes` (title, text, matter; none: left as proposed), carried and its resolution
    published; the review concluded."""
    plan = publish(make_plan(village, actor), days_ago=20)
    session = deciding_session(village)
    distribution_propose(actor=actor, plan=plan, session=session)
    motion = MotionItem.objects.get(distribution_plan=plan)
    if changes:
        agenda_item_update(
            actor=actor,
            item=motion,
            title=changes.get("title", motion.title),
            text=changes.get("text", motion.text),
            matter=changes.get("matter", motion.matter),
        )
    make_resolution(make_closed_poll(session, item=motion, passed=True, yes=25), published_by=actor)
    conclude_review(plan)
    return DistributionPlan.objects.get(pk=plan.pk)


def test_a_carried_motion_as_proposed_meets_gate_a(village: Village, actor: User) -> None:
    plan = _proposed_and_carried(village, actor)
    distribution_pay_start(actor=actor, plan=plan)
    assert _started(plan)


def test_gate_a_refused_when_the_motion_text_was_changed_after_the_proposal(
    village: Village, actor: User
) -> None:
    plan = _proposed_and_carried(village, actor, text="同意按每股一千元分配。")
    assert _gates(plan) == {"resolution": False, "notice": True, "review": True}
    with pytest.raises(ValidationError, match="motion was changed after the plan was put to the meeting"):
        distribution_pay_start(actor=actor, plan=plan)
    assert not _started(plan)


def test_gate_a_refused_when_the_motion_matter_was_changed_after_the_proposal(
    village: Village, actor: User
) -> None:
    plan = _proposed_and_carried(village, actor, matter="")
    assert plan.digest in MotionItem.objects.get(distribution_plan=plan).text
    with pytest.raises(ValidationError, match="motion was changed after the plan was put to the meeting"):
        distribution_pay_start(actor=actor, plan=plan)
    assert not _started(plan)


def test_gate_b_refused_when_the_meeting_came_too_soon(village: Village, actor: User) -> None:
    plan = publish(make_plan(village, actor), days_ago=6)
    approve(plan)
    conclude_review(plan)
    assert _gates(plan) == {"resolution": True, "notice": False, "review": True}
    with pytest.raises(ValidationError, match=r"only 6 days later: at least 10 days are needed"):
        distribution_pay_start(actor=actor, plan=plan)
    assert not _started(plan)


def test_gate_c_refused_without_a_concluded_review(village: Village, actor: User) -> None:
    plan = publish(make_plan(village, actor))
    approve(plan)
    conclude_review(plan, state=ReviewState.OPEN)
    assert _gates(plan) == {"resolution": True, "notice": True, "review": False}
    with pytest.raises(ValidationError, match="has not concluded a review of this plan"):
        distribution_pay_start(actor=actor, plan=plan)
    assert not _started(plan)


def test_every_missing_step_is_named(village: Village, actor: User) -> None:
    plan = publish(make_plan(village, actor), days_ago=2)
    with pytest.raises(ValidationError) as refusal:
        distribution_pay_start(actor=actor, plan=plan)
    messages = refusal.value.messages
    assert len(messages) == 4  # the heading and the three steps
    assert any("not been put to a meeting" in m for m in messages)
    assert any("can be held on" in m for m in messages)
    assert any("supervision committee has not concluded" in m for m in messages)


def test_refused_for_a_draft_or_a_withdrawn_plan(village: Village, actor: User) -> None:
    plan = make_plan(village, actor)
    with pytest.raises(ValidationError, match="Publish the plan first"):
        distribution_pay_start(actor=actor, plan=plan)
    ready = ready_to_pay(village, actor, income=None, shares=None)
    DistributionPlan.objects.filter(pk=ready.pk).update(withdrawn_at=ready.published_at)
    with pytest.raises(ValidationError, match="withdrawn"):
        distribution_pay_start(actor=actor, plan=ready)


# --- The page ------------------------------------------------------------------------------------


def _url(plan: DistributionPlan) -> str:
    return reverse("distribution_pay_start", args=[plan.village.admin_code, plan.pk])


def test_page_shows_the_checklist_and_starts(village: Village, actor: User, official_client: Client) -> None:
    plan = ready_to_pay(village, actor)
    page = official_client.get(reverse("distribution_detail", args=[village.admin_code, plan.pk]))
    assert '<progress value="3" max="3">' in page.content.decode()
    response = official_client.post(_url(plan))
    assert response.status_code == 302
    assert _started(plan)


def test_page_refuses_naming_every_missing_step_with_400(
    village: Village, actor: User, official_client: Client
) -> None:
    plan = publish(make_plan(village, actor))
    approve(plan)
    response = official_client.post(_url(plan))
    assert response.status_code == 400
    content = response.content.decode()
    assert "supervision committee has not concluded" in content
    assert '<progress value="2" max="3">' in content
    assert not _started(plan)


def test_page_permissions(
    village: Village, actor: User, official_client: Client, resident_client: Client, outsider_client: Client
) -> None:
    plan = ready_to_pay(village, actor)
    assert official_client.get(_url(plan)).status_code == 405
    assert resident_client.post(_url(plan)).status_code == 403
    assert outsider_client.post(_url(plan)).status_code == 404
    assert Client().post(_url(plan)).status_code == 302
    assert not _started(plan)
