from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .villages import Village


class AuditRecord(models.Model):
    """One write that matters. Append-only; each record hashes its predecessor's hash."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(_("when"))
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_records",
        verbose_name=_("village"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_records",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=60)
    target_type = models.CharField(_("object type"), max_length=100)
    target_id = models.CharField(_("object id"), max_length=64)
    target_repr = models.CharField(_("object"), max_length=200)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit record (操作记录)")
        verbose_name_plural = _("audit log")
        ordering = ["seq"]
        indexes = [models.Index(fields=["village", "-seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_repr}"


class AuditChainHead(models.Model):
    """The chain's last link, locked while a record is appended so that appends serialise.

    It also lets the verifier notice records removed from the end of the chain.
    """

    singleton = models.BooleanField(primary_key=True, default=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")
        constraints = [
            models.CheckConstraint(condition=models.Q(singleton=True), name="audit_head_singleton")
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class AuditVerification(models.Model):
    """One run of the chain verifier (`verify_audit_log`). Pages show the latest run rather
    than rehashing the whole chain on every request."""

    verified_at = models.DateTimeField(_("time of verification"))
    checked = models.PositiveBigIntegerField(_("records checked"))
    ok = models.BooleanField(_("chain intact"))
    broken_seq = models.PositiveBigIntegerField(_("first broken record"), null=True, blank=True)
    broken_rows = models.JSONField(
        _("changed rows"),
        default=list,
        blank=True,
        help_text=_(
            "Sealed rows (a closed vote, a posted voucher, a payment, a signature) that no longer "
            "match the audit log."
        ),
    )
    reason = models.CharField(_("reason"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("audit verification (校验记录)")
        verbose_name_plural = _("audit verifications")
        ordering = ["-verified_at", "-id"]
        get_latest_by = "verified_at"

    def __str__(self) -> str:
        broken = (
            ", ".join(f"{row['type']} #{row['id']}" for row in self.broken_rows[:3]) or f"#{self.broken_seq}"
        )
        return f"{self.verified_at:%Y-%m-%d %H:%M} {'ok' if self.ok else f'broken at {broken}'}"
