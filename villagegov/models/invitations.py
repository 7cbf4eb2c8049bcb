from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .villages import Person


class Invitation(models.Model):
    """A code an official hands to a villager on the roster so they can claim an account."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("person")
    )
    code = models.CharField(_("invitation code"), max_length=16, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="invitations_issued",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation (邀请码)")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(claimed_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_person",
            ),
        ]

    def __str__(self) -> str:
        # Never the code: this text lands in the audit log, which more people read.
        return f"{self.person} #{self.pk}"
