"""The village's collective economic organisation (股份经济联合社/合作社), its members (成员/股东)
and the history of their shares (股份/份额)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consultations.models import Resolution
from villagegov.models import Person, RoleAssignment, Village


class Collective(models.Model):
    """A village's collective economic organisation and the settings of its charter (章程)."""

    village = models.OneToOneField(
        Village, on_delete=models.PROTECT, related_name="collective", verbose_name=_("village")
    )
    name = models.CharField(_("name"), max_length=200)
    # The share of the year's income set aside for the 公积公益金, in per cent, as the charter says.
    reserve_rate = models.DecimalField(
        _("reserve and welfare fund rate (公积公益金提取比例, %)"), max_digits=5, decimal_places=2, default=10
    )
    # On by default (DOMAIN.md): a voucher enters the books only after the committee's review.
    vouchers_need_review = models.BooleanField(
        _("vouchers are posted only after the supervision committee's review"), default=True
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("collective economic organisation (集体经济组织)")
        verbose_name_plural = _("collective economic organisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reserve_rate__gte=0, reserve_rate__lte=100),
                name="collective_reserve_rate_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class JoinReason(models.TextChoices):
    FOUNDING = "founding", _("founding member (原始成员)")
    BIRTH = "birth", _("birth (出生)")
    MARRIAGE = "marriage", _("marriage into the village (婚入)")
    ADOPTION = "adoption", _("adoption (收养)")
    RETURN = "return", _("return of registration (户口回迁)")
    OTHER = "other", _("other (其他)")


class LeaveReason(models.TextChoices):
    DEATH = "death", _("death (死亡)")
    MARRIAGE = "marriage", _("marriage out of the village (婚出)")
    CIVIL_SERVICE = "civil_service", _("civil-service appointment (录用为公务员)")
    SETTLED_ELSEWHERE = "settled_elsewhere", _("became a member elsewhere (取得其他集体成员身份)")
    RENOUNCED = "renounced", _("gave up membership in writing (书面自愿放弃)")
    OTHER = "other", _("other (其他)")


class Membership(models.Model):
    """One person's membership (成员资格) of the collective, from joining to leaving. The member's
    COLLECTIVE_MEMBER role term (the roll of the 成员大会) starts and ends with it."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    number = models.PositiveIntegerField(_("member number (成员编号)"))
    role_term = models.OneToOneField(
        RoleAssignment, on_delete=models.PROTECT, related_name="membership", verbose_name=_("role term")
    )
    shares = models.DecimalField(_("shares (股份)"), max_digits=10, decimal_places=2)
    joined_on = models.DateField(_("joined"))
    join_reason = models.CharField(_("reason for joining"), max_length=20, choices=JoinReason.choices)
    left_on = models.DateField(_("left"), null=True, blank=True)
    leave_reason = models.CharField(
        _("reason for leaving"), max_length=20, choices=LeaveReason.choices, blank=True
    )
    confirmed_by = models.ForeignKey(
        Resolution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by the resolution"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("membership (成员资格)")
        verbose_name_plural = _("memberships")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["village", "number"], name="membership_number_unique"),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(left_on__isnull=True),
                name="membership_one_open_per_person",
            ),
            models.CheckConstraint(condition=models.Q(shares__gte=0), name="membership_shares_not_negative"),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True, leave_reason="")
                | (models.Q(left_on__gte=models.F("joined_on")) & ~models.Q(leave_reason="")),
                name="membership_leaving_has_day_and_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.person}"


class ShareChange(models.Model):
    """One line of the share register's history (股权变动): never edited, the register is their sum."""

    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="share_changes", verbose_name=_("membership")
    )
    effective_on = models.DateField(_("effective"))
    shares_before = models.DecimalField(_("shares before"), max_digits=10, decimal_places=2)
    shares_after = models.DecimalField(_("shares after"), max_digits=10, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300)
    resolution = models.ForeignKey(
        Resolution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolution"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("share change (股权变动)")
        verbose_name_plural = _("share changes")
        ordering = ["membership", "effective_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shares_before__gte=0, shares_after__gte=0),
                name="share_change_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership}: {self.shares_before} → {self.shares_after}"
