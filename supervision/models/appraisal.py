"""The yearly democratic appraisal (民主评议) of the village committee's members, chaired by the
supervision committee (Organic Law Art. 33): two consecutive ratings of "incompetent" end a member's
office. Also the village's own disclosure rhythm for its finances."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consultations.models import Session
from villagegov.models import CouncilSeat, Person, Village


class AppraisalRating(models.TextChoices):
    COMPETENT = "competent", _("competent (称职)")
    BASICALLY_COMPETENT = "basically_competent", _("basically competent (基本称职)")
    INCOMPETENT = "incompetent", _("incompetent (不称职)")


class Appraisal(models.Model):
    """One year's appraisal, held at a session of the 村民会议 or 村民代表会议."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="appraisals", verbose_name=_("village")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="+", verbose_name=_("held at the session")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("democratic appraisal (民主评议)")
        verbose_name_plural = _("democratic appraisals")
        ordering = ["village", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="appraisal_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.year}"


class AppraisalResult(models.Model):
    """How the meeting rated one member: the count of each rating and the outcome."""

    appraisal = models.ForeignKey(
        Appraisal, on_delete=models.PROTECT, related_name="results", verbose_name=_("appraisal")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    seat = models.ForeignKey(
        CouncilSeat, on_delete=models.PROTECT, related_name="+", verbose_name=_("seat appraised")
    )
    competent = models.PositiveIntegerField(_("rated competent"))
    basically_competent = models.PositiveIntegerField(_("rated basically competent"))
    incompetent = models.PositiveIntegerField(_("rated incompetent"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=AppraisalRating.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("appraisal result")
        verbose_name_plural = _("appraisal results")
        ordering = ["appraisal", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "person"], name="appraisal_result_once_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.appraisal}: {self.person} ({self.get_outcome_display()})"


class DisclosurePolicy(models.Model):
    """How often this village discloses its finances: monthly where transactions are many,
    otherwise quarterly (Art. 30). Without a row the installation's default applies."""

    village = models.OneToOneField(
        Village, on_delete=models.PROTECT, related_name="disclosure_policy", verbose_name=_("village")
    )
    finances_monthly = models.BooleanField(_("finances disclosed monthly"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    updated_at = models.DateTimeField(_("changed"))

    class Meta:
        verbose_name = _("disclosure policy")
        verbose_name_plural = _("disclosure policies")

    def __str__(self) -> str:
        return str(self.village)
