"""The books (账簿): the chart of accounts (会计科目, the 2023 rules' first-level codes and the
village's own sub-accounts) and vouchers (记账凭证) with their lines. A posted voucher is never
changed or deleted: a correction is a reversing voucher."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from villagegov.models import Village


class AccountKind(models.TextChoices):
    ASSET = "asset", _("assets (资产类)")
    LIABILITY = "liability", _("liabilities (负债类)")
    EQUITY = "equity", _("owners' equity (所有者权益类)")
    COST = "cost", _("costs (成本类)")
    INCOME = "income", _("income (损益类：收入)")
    EXPENSE = "expense", _("expenses (损益类：支出)")


class Side(models.TextChoices):
    DEBIT = "debit", _("debit (借)")
    CREDIT = "credit", _("credit (贷)")


class Account(models.Model):
    """An account of the village's chart. First-level accounts come from the 2023 rules; a
    sub-account (明细科目) names its parent and extends its code."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    code = models.CharField(_("code (科目编码)"), max_length=12)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent account"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AccountKind.choices)
    normal_side = models.CharField(_("normal balance"), max_length=10, choices=Side.choices)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("account (会计科目)")
        verbose_name_plural = _("accounts")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["village", "code"], name="account_code_unique_in_village"),
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{3,12}$"), name="account_code_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class VoucherKind(models.TextChoices):
    ORDINARY = "ordinary", _("voucher (记账凭证)")
    OPENING = "opening", _("opening balances (期初余额)")
    REVERSAL = "reversal", _("reversing voucher (冲销凭证)")


class VoucherState(models.TextChoices):
    DRAFT = "draft", _("draft (草稿)")
    SUBMITTED = "submitted", _("awaiting the committee's review (待审核)")
    POSTED = "posted", _("posted (已记账)")


class Voucher(models.Model):
    """A voucher: balanced lines on the chart, numbered without gaps in each year when posted."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=VoucherKind.choices, default=VoucherKind.ORDINARY
    )
    date = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number (凭证号)"), null=True, blank=True)
    summary = models.CharField(_("summary (摘要)"), max_length=200)
    attachments = models.PositiveSmallIntegerField(_("attached documents (附单据张数)"), default=0)
    state = models.CharField(
        _("state"), max_length=10, choices=VoucherState.choices, default=VoucherState.DRAFT
    )
    # The sum of the lines' debits and of their credits, equal by constraint; on PostgreSQL a
    # deferred trigger checks them against the lines at commit.
    debit_total = models.DecimalField(_("debits (¥)"), max_digits=16, decimal_places=2)
    credit_total = models.DecimalField(_("credits (¥)"), max_digits=16, decimal_places=2)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses the voucher"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded"))
    submitted_at = models.DateTimeField(_("sent for review"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posted by"),
    )
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)

    class Meta:
        verbose_name = _("voucher (记账凭证)")
        verbose_name_plural = _("vouchers")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["village", "state", "date"], name="voucher_village_state_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year", "number"],
                condition=models.Q(number__isnull=False),
                name="voucher_number_unique_in_year",
            ),
            models.UniqueConstraint(
                fields=["village"], condition=models.Q(kind="opening"), name="voucher_one_opening_per_village"
            ),
            models.CheckConstraint(
                condition=models.Q(debit_total=models.F("credit_total")), name="voucher_balances"
            ),
            models.CheckConstraint(condition=models.Q(debit_total__gt=0), name="voucher_not_empty"),
            models.CheckConstraint(
                condition=models.Q(state="posted", posted_at__isnull=False, number__isnull=False)
                | (~models.Q(state="posted") & models.Q(posted_at__isnull=True, number__isnull=True)),
                name="voucher_posted_has_number_and_time",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="reversal", reverses__isnull=False)
                | (~models.Q(kind="reversal") & models.Q(reverses__isnull=True)),
                name="voucher_reversal_names_its_voucher",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.number or '…'} {self.summary}"

    def get_absolute_url(self) -> str:
        return reverse("voucher_detail", args=[self.village.admin_code, self.pk])

    def review_initial(self, kind: str) -> dict[str, object]:
        """The committee's review form, filled from this voucher (supervision asks subjects this)."""
        if kind != "voucher":
            return {}
        return {
            "title": gettext("Review of the voucher: %(summary)s") % {"summary": self.summary},
            "voucher_number": f"{self.year}-{self.number}" if self.number else f"#{self.pk}",
            "voucher_date": self.date,
            "amount": self.debit_total,
        }


class VoucherLine(models.Model):
    voucher = models.ForeignKey(
        Voucher, on_delete=models.PROTECT, related_name="lines", verbose_name=_("voucher")
    )
    position = models.PositiveSmallIntegerField(_("line"))
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="lines", verbose_name=_("account")
    )
    summary = models.CharField(_("summary (摘要)"), max_length=200, blank=True)
    debit = models.DecimalField(_("debit (借方, ¥)"), max_digits=16, decimal_places=2, default=0)
    credit = models.DecimalField(_("credit (贷方, ¥)"), max_digits=16, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("voucher line (分录)")
        verbose_name_plural = _("voucher lines")
        ordering = ["voucher", "position"]
        indexes = [models.Index(fields=["account", "voucher"], name="voucher_line_account")]
        constraints = [
            models.UniqueConstraint(fields=["voucher", "position"], name="voucher_line_position_unique"),
            models.CheckConstraint(
                condition=models.Q(debit__gt=0, credit=0) | models.Q(debit=0, credit__gt=0),
                name="voucher_line_one_side",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voucher} {self.account}: {self.debit}/{self.credit}"
