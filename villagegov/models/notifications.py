from django.db import models
from django.utils.translation import gettext_lazy as _

from .villages import Person, Village


class Notification(models.Model):
    """A message to one person in the app (消息), e.g. a session was announced. Also sent by SMS
    when the person has a phone; the in-app copy is the record."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="notifications", verbose_name=_("village")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="notifications", verbose_name=_("person")
    )
    message = models.CharField(_("message"), max_length=500)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification (消息)")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "read_at"])]

    def __str__(self) -> str:
        return self.message[:60]
