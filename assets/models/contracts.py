"""Contracts (承包/租赁合同) over collective assets: the rent schedule and the rent received."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assets.models.register import Asset
from consultations.models import Resolution
from villagegov.models import Village


class ContractKind(models.TextChoices):
    LEASE = "lease", _("lease (租赁)")
    CONTRACTING = "contracting", _("contracting (承包经营)")


class Contract(models.Model):
    """A lease or contracting contract. A new one over collective property needs the resolution that
    approved it (Organic Law Art. 24; DOMAIN.md)."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    asset = models.ForeignKey(
        Asset, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("asset")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=ContractKind.choices, default=ContractKind.LEASE
    )
    number = models.CharField(_("contract number"), max_length=50)
    counterparty = models.CharField(_("lessee or contractor"), max_length=200)
    counterparty_phone = models.CharField(_("phone"), max_length=30, blank=True)
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"))
    resolution = models.ForeignKey(
        Resolution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by the resolution"),
    )
    terminated_on = models.DateField(_("terminated early"), null=True, blank=True)
    termination_reason = models.CharField(_("reason for terminating"), max_length=300, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("contract (承包/租赁合同)")
        verbose_name_plural = _("contracts")
        ordering = ["-starts_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["village", "number"], name="contract_number_unique_in_village"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="contract_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(terminated_on__isnull=True, termination_reason="")
                | (models.Q(terminated_on__gte=models.F("starts_on")) & ~models.Q(termination_reason="")),
                name="contract_termination_has_day_and_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.counterparty}"


class RentInstalment(models.Model):
    """One instalment of the rent schedule (租金计划): what is due, and when."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="instalments", verbose_name=_("contract")
    )
    due_on = models.DateField(_("due"))
    amount = models.DecimalField(_("amount (¥)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("rent instalment (应收租金)")
        verbose_name_plural = _("rent instalments")
        ordering = ["contract", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "due_on"], name="instalment_once_per_day"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="instalment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.due_on}: {self.amount}"


class PaymentMethod(models.TextChoices):
    BANK = "bank", _("bank transfer (银行转账)")
    CASH = "cash", _("cash (现金)")
    OTHER = "other", _("other (其他)")


class RentReceipt(models.Model):
    """Rent received; applied to the schedule's instalments in the order they fall due."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("contract")
    )
    received_on = models.DateField(_("received"))
    amount = models.DecimalField(_("amount (¥)"), max_digits=14, decimal_places=2)
    method = models.CharField(_("how it was paid"), max_length=10, choices=PaymentMethod.choices)
    reference = models.CharField(_("receipt or bank reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("rent receipt (租金收取)")
        verbose_name_plural = _("rent receipts")
        ordering = ["contract", "received_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="receipt_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.received_on}: {self.amount}"
