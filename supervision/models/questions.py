"""Formal questions (质询) of the committee to an official or a body, with the answer due."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from villagegov.models import Council, Person, Village


class Question(models.Model):
    """Unanswered questions become visible to every resident once their due date has passed."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="questions", verbose_name=_("village")
    )
    addressed_to_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("to the official"),
    )
    addressed_to_council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("to the body"),
    )
    text = models.TextField(_("question"), max_length=5000)
    due_on = models.DateField(_("answer due by"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("asked by")
    )
    asked_at = models.DateTimeField(_("asked"))
    answer = models.TextField(_("answer"), max_length=5000, blank=True)
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
        verbose_name = _("question (质询)")
        verbose_name_plural = _("questions")
        ordering = ["-asked_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(addressed_to_person__isnull=False, addressed_to_council__isnull=True)
                | models.Q(addressed_to_person__isnull=True, addressed_to_council__isnull=False),
                name="question_has_one_addressee",
            ),
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True, answer="")
                | (models.Q(answered_at__isnull=False) & ~models.Q(answer="")),
                name="question_answer_with_time",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]
