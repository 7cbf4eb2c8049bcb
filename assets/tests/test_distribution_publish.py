"""Publishing a plan (distribution_publish): fixed by the SHA-256 of its table, on the disclosure
board (finances, the plan's year), one published plan in force per year."""

import hashlib
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from assets.models import DistributionPlan
from assets.services.distributions import canonical_text, distribution_publish, distribution_withdraw
from assets.tests.distributions_testing import YEAR, accountant, collective_head, make_plan, user_of
from supervision.models import DisclosureItem, DisclosureSection
from villagegov.models import AuditRecord, User, Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


def test_publishing_fixes_the_fingerprint_and_puts_it_on_the_board(village: Village, actor: User) -> None:
    plan = make_plan(village, actor, income="1000.00", shares=("1", "2"))
    distribution_publish(actor=actor, plan=plan)
    plan.refresh_from_db()
    expected = (
        f"year={YEAR}\nincome=1000.00\nlosses_made_up=0.00\nreserve=100.00\ndistributable=900.00\n"
        "1|1.00|300.00\n2|2.00|600.00\n"
    )
    assert plan.digest == hashlib.sha256(expected.encode()).hexdigest()
    assert plan.published_at is not None
    item = DisclosureItem.objects.get()
    assert item.section == DisclosureSection.FINANCES
    assert (item.period_start, item.period_end) == (date(YEAR, 1, 1), date(YEAR, 12, 31))
    assert plan.digest in item.body and "¥900.00" in item.body
    # The board is public; the table of names and amounts is for the village's people, who log in.
    assert "/collective/" not in item.body
    assert AuditRecord.objects.filter(action="distribution.publish").count() == 1


def test_the_canonical_text_orders_lines_by_member_number(village: Village, actor: User) -> None:
    plan = make_plan(village, actor, income="10.00", shares=("1",))
    from decimal import Decimal

    text = canonical_text(plan, [(2, Decimal("1"), Decimal("5")), (1, Decimal("1"), Decimal("4"))])
    assert text.endswith("1|1.00|4.00\n2|1.00|5.00\n")


def test_refused_twice_and_after_withdrawal(village: Village, actor: User) -> None:
    plan = make_plan(village, actor)
    distribution_publish(actor=actor, plan=plan)
    with pytest.raises(ValidationError, match="already published"):
        distribution_publish(actor=actor, plan=plan)
    other = make_plan(village, actor, income=None, shares=None)
    distribution_withdraw(actor=actor, plan=other)
    with pytest.raises(ValidationError, match="withdrawn"):
        distribution_publish(actor=actor, plan=other)
    assert DisclosureItem.objects.count() == 1


def test_one_published_plan_per_year_until_it_is_withdrawn(village: Village, actor: User) -> None:
    first = make_plan(village, actor, title="方案一")
    second = make_plan(village, actor, income=None, shares=None, title="方案二")
    distribution_publish(actor=actor, plan=first)
    with pytest.raises(ValidationError, match="“方案一” is already published"):
        distribution_publish(actor=actor, plan=second)
    assert DistributionPlan.objects.get(pk=second.pk).published_at is None
    distribution_withdraw(actor=actor, plan=first)
    distribution_publish(actor=actor, plan=second)
    assert DistributionPlan.objects.get(pk=second.pk).published_at is not None


def test_refused_clearly_to_a_manager_who_does_not_publish_on_the_board(village: Village) -> None:
    head = user_of(collective_head(village))
    plan = make_plan(village, head)
    with pytest.raises(ValidationError, match="ask one of them to publish it"):
        distribution_publish(actor=head, plan=plan)
    assert DistributionPlan.objects.get(pk=plan.pk).published_at is None
    assert not DisclosureItem.objects.exists()


def test_the_accountant_publishes(village: Village) -> None:
    user = user_of(accountant(village))
    plan = distribution_publish(actor=user, plan=make_plan(village, user))
    assert plan.published_at is not None


# --- The page ------------------------------------------------------------------------------------


def _url(plan: DistributionPlan) -> str:
    return reverse("distribution_publish", args=[plan.village.admin_code, plan.pk])


def test_page_publishes_and_redirects(village: Village, actor: User, official_client: Client) -> None:
    plan = make_plan(village, actor)
    response = official_client.post(_url(plan))
    assert response.status_code == 302
    assert response["Location"] == reverse("distribution_detail", args=[village.admin_code, plan.pk])
    assert DistributionPlan.objects.get(pk=plan.pk).published_at is not None


def test_page_shows_the_refusal_with_400(village: Village) -> None:
    head = collective_head(village)
    plan = make_plan(village, user_of(head))
    response = client_for(head).post(_url(plan), follow=False)
    assert response.status_code == 400
    assert "ask one of them to publish it" in response.content.decode()
    assert DistributionPlan.objects.get(pk=plan.pk).published_at is None


def test_page_permissions(
    village: Village, actor: User, official_client: Client, resident_client: Client, outsider_client: Client
) -> None:
    plan = make_plan(village, actor)
    assert official_client.get(_url(plan)).status_code == 405
    assert resident_client.post(_url(plan)).status_code == 403
    assert outsider_client.post(_url(plan)).status_code == 404
    assert Client().post(_url(plan)).status_code == 302
    missing = reverse("distribution_publish", args=[village.admin_code, plan.pk + 1000])
    assert official_client.post(missing).status_code == 404
    assert DistributionPlan.objects.get(pk=plan.pk).published_at is None
