"""Who asks to speak on an agenda item, and the written discussion of it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consultations.models.agenda import AgendaItem
from villagegov.models import Person


class SpeakerState(models.TextChoices):
    WAITING = "waiting", _("waiting")
    SPEAKING = "speaking", _("speaking")
    DONE = "done", _("has spoken")
    REMOVED = "removed", _("taken off the list")


class SpeakerRequest(models.Model):
    """A request to speak on an item (申请发言), in the chair's queue. Rows are never deleted."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="speakers", verbose_name=_("agenda item")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="speaker_requests", verbose_name=_("speaker")
    )
    requested_at = models.DateTimeField(_("asked"))
    state = models.CharField(
        _("state"), max_length=10, choices=SpeakerState.choices, default=SpeakerState.WAITING
    )
    started_at = models.DateTimeField(_("began"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("request to speak (发言申请)")
        verbose_name_plural = _("requests to speak")
        ordering = ["item", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "person"],
                condition=models.Q(state__in=["waiting", "speaking"]),
                name="speaker_one_open_request_per_item",
            ),
            models.UniqueConstraint(
                fields=["item"], condition=models.Q(state="speaking"), name="speaker_one_at_a_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.person}"


class Comment(models.Model):
    """A post in an item's discussion (讨论). Moderation hides it with a reason; nothing is deleted."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="comments", verbose_name=_("agenda item")
    )
    author = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="comments", verbose_name=_("author")
    )
    body = models.TextField(_("text"), max_length=2000)
    posted_at = models.DateTimeField(_("posted"))
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("comment (发言记录)")
        verbose_name_plural = _("comments")
        ordering = ["item", "posted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hidden_at__isnull=True, hidden_by__isnull=True, hidden_reason="")
                | (models.Q(hidden_at__isnull=False, hidden_by__isnull=False) & ~models.Q(hidden_reason="")),
                name="comment_hidden_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.body[:60]
