"""Distributions of the collective's income (收益分配): a plan for a year computed from the books,
each member's allocation by shares exact to the fen, and the payments."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assets.models.contracts import PaymentMethod
from assets.models.members import Membership
from consultations.models import MotionItem
from villagegov.models import Village

REST = models.F("income") - models.F("losses_made_up") - models.F("reserve")
HALF_FEN = models.Value(Decimal("0.005"))


class DistributionPlan(models.Model):
    """A plan for one year. Fixed once published: a changed plan is a new plan. It is paid only when
    the motion put to the members approved exactly this plan, it was published at least 10 days
    before that meeting, and the supervision committee concluded its review (DOMAIN.md)."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    year = models.PositiveSmallIntegerField(_("financial year"))
    title = models.CharField(_("title"), max_length=200)
    record_date = models.DateField(_("share record date (股权登记日)"))
    income = models.DecimalField(_("the year's net income (本年收益, ¥)"), max_digits=16, decimal_places=2)
    losses_made_up = models.DecimalField(_("losses made up (弥补亏损, ¥)"), max_digits=16, decimal_places=2)
    reserve_rate = models.DecimalField(
        _("reserve rate (公积公益金提取比例, %)"), max_digits=5, decimal_places=2
    )
    reserve = models.DecimalField(
        _("reserve and welfare fund (公积公益金, ¥)"), max_digits=16, decimal_places=2
    )
    distributable = models.DecimalField(
        _("distributed by shares (按股分配, ¥)"), max_digits=16, decimal_places=2
    )
    total_shares = models.DecimalField(_("total shares"), max_digits=14, decimal_places=2)
    # SHA-256 of the allocation table at publication: what the motion and the board name.
    digest = models.CharField(_("fingerprint of the table"), max_length=64, blank=True)
    published_at = models.DateTimeField(_("published to members"), null=True, blank=True)
    motion = models.OneToOneField(
        MotionItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="distribution_plan",
        verbose_name=_("motion put to the members"),
    )
    payment_started_at = models.DateTimeField(_("payment started"), null=True, blank=True)
    result_published_at = models.DateTimeField(_("result published (实施结果公开)"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("drafted by")
    )
    created_at = models.DateTimeField(_("drafted"))

    class Meta:
        verbose_name = _("distribution plan (收益分配方案)")
        verbose_name_plural = _("distribution plans")
        ordering = ["-year", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    losses_made_up__gte=0, reserve__gte=0, distributable__gte=0, total_shares__gte=0
                ),
                name="plan_amounts_not_negative",
            ),
            # Exact on PostgreSQL's numeric; within half a fen, so that SQLite's floating-point
            # arithmetic does not refuse an exact plan (amounts have two places, so it is the same).
            models.CheckConstraint(
                condition=models.Q(distributable__gt=REST - HALF_FEN, distributable__lt=REST + HALF_FEN),
                name="plan_parts_sum_to_income",
            ),
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True) | ~models.Q(digest=""),
                name="plan_published_with_fingerprint",
            ),
            models.CheckConstraint(
                condition=models.Q(payment_started_at__isnull=True)
                | models.Q(published_at__isnull=False, motion__isnull=False),
                name="plan_paid_only_when_published_and_put",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("distribution_detail", args=[self.village.admin_code, self.pk])

    def review_initial(self, kind: str) -> dict[str, object]:
        """The committee's review form, filled from this plan (supervision asks subjects this)."""
        if kind != "distribution":
            return {}
        return {
            "title": gettext("Review of the distribution plan: %(title)s") % {"title": self.title},
            "plan_year": self.year,
            "amount": self.distributable,
        }


class Allocation(models.Model):
    """One member's line of the distribution table (分配明细)."""

    plan = models.ForeignKey(
        DistributionPlan, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("plan")
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("member")
    )
    shares = models.DecimalField(_("shares"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("amount (¥)"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("allocation (分配明细)")
        verbose_name_plural = _("allocations")
        ordering = ["plan", "membership__number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "membership"], name="allocation_once_per_member"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0, shares__gt=0), name="allocation_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership}: {self.amount}"


class Payment(models.Model):
    """The payment of one allocation, recorded once."""

    allocation = models.OneToOneField(
        Allocation, on_delete=models.PROTECT, related_name="payment", verbose_name=_("allocation")
    )
    amount = models.DecimalField(_("amount (¥)"), max_digits=16, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(_("how it was paid"), max_length=10, choices=PaymentMethod.choices)
    reference = models.CharField(_("receipt or bank reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("payment (分配兑现)")
        verbose_name_plural = _("payments")
        ordering = ["allocation"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="payment_not_negative")]

    def __str__(self) -> str:
        return f"{self.allocation}: {self.paid_on}"
