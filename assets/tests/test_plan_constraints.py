"""The database holds a plan's parts to its income, exactly to the fen on both backends (SQLite
computes in floating point: an exact plan must not be refused there)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.models import DistributionPlan
from villagegov.models import Person, Village

fen = st.integers(min_value=0, max_value=10**13).map(lambda n: Decimal(n) / 100)


def _plan(
    village: Village, official: Person, income: Decimal, losses: Decimal, reserve: Decimal, rest: Decimal
) -> None:
    assert official.user is not None
    with transaction.atomic():
        DistributionPlan.objects.create(
            village=village,
            year=2025,
            title="2025年度分红方案",
            record_date="2025-12-31",
            income=income,
            losses_made_up=losses,
            reserve_rate=Decimal("10.00"),
            reserve=reserve,
            distributable=rest,
            total_shares=Decimal("1.00"),
            created_by=official.user,
            created_at=timezone.now(),
        )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(losses=fen, reserve=fen, rest=fen)
def test_an_exact_plan_is_taken(
    village: Village, official: Person, losses: Decimal, reserve: Decimal, rest: Decimal
) -> None:
    _plan(village, official, losses + reserve + rest, losses, reserve, rest)


@pytest.mark.parametrize("off", [Decimal("0.01"), Decimal("-0.01"), Decimal("100.00")])
def test_a_plan_whose_parts_do_not_sum_is_refused(village: Village, official: Person, off: Decimal) -> None:
    with pytest.raises(IntegrityError):
        _plan(
            village,
            official,
            Decimal("1164000.00"),
            Decimal("0"),
            Decimal("116400.00"),
            Decimal("1047600.00") + off,
        )
    assert not DistributionPlan.objects.exists()
