"""Matters residents raise for the village (议题征集, the 群众说事 of the source document)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from villagegov.models import Council, Person, Village


class TopicState(models.TextChoices):
    RAISED = "raised", _("awaiting an answer")
    ON_AGENDA = "on_agenda", _("taken onto an agenda")
    HANDLED = "handled", _("handled directly")
    DECLINED = "declined", _("declined")


class Topic(models.Model):
    """A matter a resident raised. The committee answers it publicly; enough support puts it on
    the council's next agenda as a draft item."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="topics", verbose_name=_("village")
    )
    council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        related_name="topics",
        verbose_name=_("for the council"),
        help_text=_("The body whose agenda the matter should reach."),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("the matter"), max_length=3000)
    raised_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="topics_raised", verbose_name=_("raised by")
    )
    raised_at = models.DateTimeField(_("raised"))
    state = models.CharField(_("state"), max_length=10, choices=TopicState.choices, default=TopicState.RAISED)
    answer = models.TextField(_("answer"), max_length=3000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("topic raised by residents (议题征集)")
        verbose_name_plural = _("topics raised by residents")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state="raised") | models.Q(answered_at__isnull=False),
                name="topic_answered_unless_raised",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="declined", answer=""), name="topic_declined_with_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TopicPhoto(models.Model):
    """A photo attached to a topic: type and size checked, stored with its checksum."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="photos", verbose_name=_("topic"))
    image = models.FileField(_("photo"), upload_to="topics/%Y/%m/")
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"))

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["topic", "id"]

    def __str__(self) -> str:
        return self.image.name


class TopicSupport(models.Model):
    """A resident's support (附议) for a topic."""

    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="supports", verbose_name=_("topic")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("supporter")
    )
    supported_at = models.DateTimeField(_("supported"))

    class Meta:
        verbose_name = _("support (附议)")
        verbose_name_plural = _("supports")
        ordering = ["topic", "supported_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "person"], name="topic_support_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.person}"
