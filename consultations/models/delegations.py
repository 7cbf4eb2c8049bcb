"""Delegations (授权): the villagers' assembly lets the representatives' meeting decide an Art. 24
matter, or the members' assembly lets its representatives decide the collective's distribution."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consultations.matters import Matter
from villagegov.models import Body, Village


class Delegation(models.Model):
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="delegations", verbose_name=_("village")
    )
    matter = models.CharField(_("matter"), max_length=40, choices=Matter.choices)
    body = models.CharField(_("delegated to"), max_length=40, choices=Body.choices)
    granted_on = models.DateField(_("granted on"))
    document = models.CharField(
        _("granted by"), max_length=300, help_text=_("The resolution or charter article that grants it.")
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("delegation (授权)")
        verbose_name_plural = _("delegations")
        ordering = ["village", "matter", "-granted_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "matter", "body"],
                condition=models.Q(revoked_on__isnull=True),
                name="delegation_one_in_force_per_matter_and_body",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_on__isnull=True)
                | models.Q(revoked_on__gte=models.F("granted_on")),
                name="delegation_revoked_after_granted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_matter_display()} → {self.get_body_display()}"
