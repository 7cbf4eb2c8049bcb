"""Putting a published plan to the members (distribution_propose): a motion on the collective's
distribution, in a session of this village's 成员大会 (or its delegated 成员代表大会), not closed,
meeting at least 10 days after the plan was published."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from assets.models import DistributionPlan
from assets.selectors.distributions import eligible_sessions
from assets.services.distributions import distribution_propose
from assets.tests.distributions_testing import approve, deciding_session, make_plan, publish, user_of
from consultations.matters import Matter
from consultations.models import MotionItem, SessionState
from consultations.tests.minutes_testing import delegate
from villagegov.models import AuditRecord, Body, Person, User, Village

pytestmark = pytest.mark.usefixtures("english")


def test_puts_the_plan_as_a_motion_naming_its_figures(village: Village, actor: User) -> None:
    plan = publish(make_plan(village, actor, income="1000.00"), days_ago=10)
    session = deciding_session(village)
    assert eligible_sessions(plan) == [session]
    distribution_propose(actor=actor, plan=plan, session=session)
    plan.refresh_from_db()
    motion = MotionItem.objects.get()
    assert plan.motion == motion and motion.session == session
    assert motion.matter == Matter.COLLECTIVE_DISTRIBUTION
    assert plan.digest in motion.text and "¥900.00" in motion.text
    assert AuditRecord.objects.filter(action="distribution.propose").count() == 1


def test_refused_before_ten_days_naming_the_first_day_allowed(village: Village, actor: User) -> None:
    plan = publish(make_plan(village, actor), days_ago=9)
    session = deciding_session(village)
    assert eligible_sessions(plan) == []
    with pytest.raises(ValidationError, match=r"choose a session on .* or later"):
        distribution_propose(actor=actor, plan=plan, session=session)
    later = deciding_session(village, days_from_now=1)
    assert eligible_sessions(plan) == [later]
    distribution_propose(actor=actor, plan=plan, session=later)


def test_refused_for_a_draft_a_withdrawn_plan_or_one_already_put(village: Village, actor: User) -> None:
    plan = make_plan(village, actor)
    session = deciding_session(village, days_from_now=20)
    with pytest.raises(ValidationError, match="Publish the plan first"):
        distribution_propose(actor=actor, plan=plan, session=session)
    publish(plan)
    distribution_propose(actor=actor, plan=plan, session=session)
    with pytest.raises(ValidationError, match="already put to the session"):
        distribution_propose(actor=actor, plan=plan, session=deciding_session(village, days_from_now=21))
    DistributionPlan.objects.filter(pk=plan.pk).update(withdrawn_at=plan.published_at)
    with pytest.raises(ValidationError, match="withdrawn"):
        distribution_propose(actor=actor, plan=plan, session=session)
    assert MotionItem.objects.count() == 1


def test_a_plan_rejected_at_a_closed_session_may_be_put_again(village: Village, actor: User) -> None:
    plan = publish(make_plan(village, actor))
    approve(plan, deciding_session(village, state=SessionState.CLOSED), passed=False)
    distribution_propose(actor=actor, plan=plan, session=deciding_session(village))
    assert MotionItem.objects.count() == 2


def test_refused_a_closed_session_another_village_or_a_body_that_does_not_decide(
    village: Village, other_village: Village, actor: User
) -> None:
    plan = publish(make_plan(village, actor))
    with pytest.raises(ValidationError, match="closed"):
        distribution_propose(
            actor=actor, plan=plan, session=deciding_session(village, state=SessionState.CLOSED)
        )
    with pytest.raises(ValidationError, match="session of this village"):
        distribution_propose(actor=actor, plan=plan, session=deciding_session(other_village))
    with pytest.raises(ValidationError, match="cannot decide on"):
        distribution_propose(
            actor=actor, plan=plan, session=deciding_session(village, body=Body.REPRESENTATIVES_MEETING)
        )
    representatives = deciding_session(village, body=Body.MEMBERS_REPRESENTATIVES)
    with pytest.raises(ValidationError, match="only when it was delegated"):
        distribution_propose(actor=actor, plan=plan, session=representatives)
    assert not MotionItem.objects.exists()
    delegate(village, Matter.COLLECTIVE_DISTRIBUTION, Body.MEMBERS_REPRESENTATIVES, actor)
    distribution_propose(actor=actor, plan=plan, session=representatives)
    assert MotionItem.objects.get().session == representatives


def test_refused_to_a_resident(village: Village, actor: User, resident: Person) -> None:
    plan = publish(make_plan(village, actor))
    with pytest.raises(ValidationError, match="manage distributions"):
        distribution_propose(actor=user_of(resident), plan=plan, session=deciding_session(village))
    assert not MotionItem.objects.exists()


# --- The page ------------------------------------------------------------------------------------


def _url(plan: DistributionPlan) -> str:
    return reverse("distribution_propose", args=[plan.village.admin_code, plan.pk])


def test_page_offers_the_eligible_sessions_and_proposes(
    village: Village, actor: User, official_client: Client
) -> None:
    plan = publish(make_plan(village, actor))
    session = deciding_session(village)
    too_soon = publish(make_plan(village, actor, income=None, shares=None), days_ago=1)
    detail = official_client.get(reverse("distribution_detail", args=[village.admin_code, plan.pk]))
    assert f'value="{session.pk}"' in detail.content.decode()
    detail = official_client.get(reverse("distribution_detail", args=[village.admin_code, too_soon.pk]))
    assert f'value="{session.pk}"' not in detail.content.decode()
    response = official_client.post(_url(plan), {"session": session.pk})
    assert response.status_code == 302
    assert DistributionPlan.objects.get(pk=plan.pk).motion is not None


@pytest.mark.parametrize("value", ["", "nonsense", "99999999", "SOON"])
def test_page_refuses_bad_input_with_400(
    village: Village, actor: User, official_client: Client, value: str
) -> None:
    plan = publish(make_plan(village, actor), days_ago=3)
    soon = deciding_session(village)
    response = official_client.post(_url(plan), {"session": str(soon.pk) if value == "SOON" else value})
    assert response.status_code == 400
    assert DistributionPlan.objects.get(pk=plan.pk).motion is None


def test_page_permissions(
    village: Village, actor: User, official_client: Client, resident_client: Client, outsider_client: Client
) -> None:
    plan = publish(make_plan(village, actor))
    session = deciding_session(village)
    assert official_client.get(_url(plan)).status_code == 405
    assert resident_client.post(_url(plan), {"session": session.pk}).status_code == 403
    assert outsider_client.post(_url(plan), {"session": session.pk}).status_code == 404
    assert Client().post(_url(plan), {"session": session.pk}).status_code == 302
    assert not MotionItem.objects.exists()
