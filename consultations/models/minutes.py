"""What a session leaves behind: minutes (会议记录), resolutions (决议), and the record of a major
decision's six steps (四议两公开)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consultations.matters import Matter
from consultations.models.polls import Poll
from consultations.models.sessions import Session
from villagegov.models import Person, Village


class Minutes(models.Model):
    """The minutes of a session: built from what happened, with the clerk's notes, signed off by
    the chair. Once signed they do not change."""

    session = models.OneToOneField(
        Session, on_delete=models.PROTECT, related_name="minutes", verbose_name=_("session")
    )
    notes = models.TextField(_("clerk's notes"), max_length=20000, blank=True)
    updated_at = models.DateTimeField(_("last edited"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    signed_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    signed_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed off by"),
    )

    class Meta:
        verbose_name = _("minutes (会议记录)")
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(signed_at__isnull=True, signed_by__isnull=True)
                | models.Q(signed_at__isnull=False, signed_by__isnull=False),
                name="minutes_signed_with_signer",
            ),
        ]

    def __str__(self) -> str:
        return str(self.session)


class Resolution(models.Model):
    """A resolution (决议) of a session, from the result of one of its polls, published to the
    village's public board."""

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="resolutions", verbose_name=_("session")
    )
    poll = models.OneToOneField(
        Poll, on_delete=models.PROTECT, related_name="resolution", verbose_name=_("vote")
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=10000)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("resolution (决议)")
        verbose_name_plural = _("resolutions")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class DecisionStepKind(models.IntegerChoices):
    PROPOSAL = 1, _("proposal by the party branch (村党组织提议)")
    CONSULTATION = 2, _("joint discussion of the two committees (村“两委”会议商议)")
    REVIEW = 3, _("review by the party members' meeting (党员大会审议)")
    DECISION = 4, _("decision of the villagers' assembly or representatives (村民会议或村民代表会议决议)")
    RESOLUTION_PUBLISHED = 5, _("the resolution is published (决议公开)")
    RESULT_PUBLISHED = 6, _("the result of carrying it out is published (实施结果公开)")


class DecisionProcess(models.Model):
    """A major matter decided through the six steps of 四议两公开, in order."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="decision_processes", verbose_name=_("village")
    )
    title = models.CharField(_("matter"), max_length=200)
    matter = models.CharField(_("kind of matter"), max_length=40, choices=Matter.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("major decision (四议两公开)")
        verbose_name_plural = _("major decisions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class DecisionStep(models.Model):
    """One step of a major decision: who, when, and the document. The decision step (4) names the
    poll whose result it is; a step cannot be recorded before the one before it."""

    process = models.ForeignKey(
        DecisionProcess, on_delete=models.PROTECT, related_name="steps", verbose_name=_("major decision")
    )
    step = models.PositiveSmallIntegerField(_("step"), choices=DecisionStepKind.choices)
    held_on = models.DateField(_("date"))
    participants = models.CharField(_("who"), max_length=300)
    document = models.TextField(_("document"), max_length=5000)
    poll = models.ForeignKey(
        Poll, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("vote")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("step (步骤)")
        verbose_name_plural = _("steps")
        ordering = ["process", "step"]
        constraints = [
            models.UniqueConstraint(fields=["process", "step"], name="decision_step_once"),
            models.CheckConstraint(
                condition=models.Q(step__gte=1, step__lte=6), name="decision_step_between_one_and_six"
            ),
            models.CheckConstraint(
                condition=~models.Q(step=4) | models.Q(poll__isnull=False),
                name="decision_step_names_its_vote",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.process}: {self.get_step_display()}"
