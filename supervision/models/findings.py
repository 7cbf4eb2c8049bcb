"""Findings of a review and their rectification (整改): who must do what by when, their answer,
and the committee's verification."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from supervision.models.reviews import Review
from villagegov.models import Person


class FindingState(models.TextChoices):
    OPEN = "open", _("to be rectified")
    ANSWERED = "answered", _("answered, awaiting verification")
    VERIFIED = "verified", _("rectified and verified")


class Finding(models.Model):
    """A finding (问题) with the person responsible, the action required and the deadline. Overdue
    is not stored: it is an open finding past its deadline."""

    review = models.ForeignKey(
        Review, on_delete=models.PROTECT, related_name="findings", verbose_name=_("review")
    )
    description = models.TextField(_("finding"), max_length=5000)
    required_action = models.TextField(_("action required"), max_length=5000)
    responsible = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="findings", verbose_name=_("responsible person")
    )
    deadline = models.DateField(_("deadline"))
    state = models.CharField(
        _("state"), max_length=10, choices=FindingState.choices, default=FindingState.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded"))
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("finding (整改事项)")
        verbose_name_plural = _("findings")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["state", "deadline"], name="finding_state_deadline")]

    def __str__(self) -> str:
        return self.description[:60]


class FindingResponse(models.Model):
    """The responsible person's answer: what was done, with evidence attached."""

    finding = models.ForeignKey(
        Finding, on_delete=models.PROTECT, related_name="responses", verbose_name=_("finding")
    )
    text = models.TextField(_("what was done"), max_length=5000)
    responded_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("answered by")
    )
    responded_at = models.DateTimeField(_("answered"))

    class Meta:
        verbose_name = _("rectification answer (整改回复)")
        verbose_name_plural = _("rectification answers")
        ordering = ["finding", "responded_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class VerificationOutcome(models.TextChoices):
    VERIFIED = "verified", _("verified: rectified")
    REOPENED = "reopened", _("reopened: not rectified")


class FindingVerification(models.Model):
    """The committee's verdict on an answer: verified, or reopened with the reason."""

    finding = models.ForeignKey(
        Finding, on_delete=models.PROTECT, related_name="verifications", verbose_name=_("finding")
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=VerificationOutcome.choices)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    verified_at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("verification (整改核实)")
        verbose_name_plural = _("verifications")
        ordering = ["finding", "verified_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(outcome="reopened", reason=""), name="verification_reopened_with_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.finding}: {self.get_outcome_display()}"
