"""A session's agenda (议程): ordered items of four kinds, one of them current at a time."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from polymorphic.models import PolymorphicModel

from consultations.matters import Matter
from consultations.models.sessions import Session
from villagegov.models import Person


class ItemState(models.TextChoices):
    PENDING = "pending", _("not yet taken up")
    CURRENT = "current", _("under way")
    DONE = "done", _("finished")


class AgendaItem(PolymorphicModel):
    """One item of a session's agenda (议题). The chair takes items up one at a time."""

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="items", verbose_name=_("session")
    )
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ItemState.choices, default=ItemState.PENDING)
    started_at = models.DateTimeField(_("taken up"), null=True, blank=True)
    ended_at = models.DateTimeField(_("finished"), null=True, blank=True)
    topic = models.ForeignKey(
        "consultations.Topic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("raised by residents as"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("agenda item (议题)")
        verbose_name_plural = _("agenda items")
        ordering = ["session", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=models.Q(state="current"),
                name="agenda_one_current_item_per_session",
            ),
            models.CheckConstraint(
                condition=models.Q(state="pending", started_at__isnull=True)
                | (~models.Q(state="pending") & models.Q(started_at__isnull=False)),
                name="agenda_item_started_unless_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DiscussionItem(AgendaItem):
    class Meta:
        verbose_name = _("discussion (议题讨论)")
        verbose_name_plural = _("discussions")


class MotionItem(AgendaItem):
    """A matter put to the vote (表决事项)."""

    text = models.TextField(_("text of the motion"), max_length=5000)
    matter = models.CharField(
        _("matter (Art. 24)"),
        max_length=40,
        choices=Matter.choices,
        blank=True,
        help_text=_("If the motion decides a matter the law reserves to certain bodies."),
    )

    class Meta:
        verbose_name = _("motion (表决事项)")
        verbose_name_plural = _("motions")


class ElectionItem(AgendaItem):
    """An election (选举) of `seats` people from the candidates."""

    office = models.CharField(_("office"), max_length=200)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)

    class Meta:
        verbose_name = _("election (选举)")
        verbose_name_plural = _("elections")
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="election_has_a_seat"),
        ]


class ElectionCandidate(models.Model):
    election = models.ForeignKey(
        ElectionItem, on_delete=models.PROTECT, related_name="candidates", verbose_name=_("election")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="candidacies", verbose_name=_("candidate")
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("candidate (候选人)")
        verbose_name_plural = _("candidates")
        ordering = ["election", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "person"], name="candidate_once_per_election"),
        ]

    def __str__(self) -> str:
        return str(self.person)


class ReportItem(AgendaItem):
    """A report to the meeting (通报), nothing to decide."""

    class Meta:
        verbose_name = _("report (通报)")
        verbose_name_plural = _("reports")
