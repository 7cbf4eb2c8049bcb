from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from .rules import Body, BodyRule
from .villages import Person, Role, Village, VillagerGroup

# Bodies whose membership follows from the roster rather than from appointed seats.
ROSTER_BODIES = frozenset({Body.VILLAGERS_ASSEMBLY, Body.VILLAGER_GROUP_MEETING, Body.MEMBERS_ASSEMBLY})

# A seat in force on these bodies is the person's role in the village; the seat is the only record of it.
ROLE_OF_SEAT: dict[Body, Role] = {
    Body.VILLAGE_COMMITTEE: Role.COMMITTEE_MEMBER,
    Body.SUPERVISION_COMMITTEE: Role.SUPERVISOR,
}
BODY_OF_ROLE: dict[Role, Body] = {role: body for body, role in ROLE_OF_SEAT.items()}

# Offices whose holders may not sit on the supervision committee, besides village-committee members
# and their close relatives (DOMAIN.md, Supervision).
OFFICES_BARRING_SUPERVISION = frozenset({Role.ACCOUNTANT, Role.CLERK, Role.COLLECTIVE_HEAD})


class Council(models.Model):
    """A body of the village (DOMAIN.md): its rules come from the village's rule set."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="councils", verbose_name=_("village")
    )
    body = models.CharField(_("body"), max_length=40, choices=Body.choices)
    name = models.CharField(_("name"), max_length=100)
    group = models.ForeignKey(
        VillagerGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councils",
        verbose_name=_("villager group"),
        help_text=_("Only for a villager group meeting."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("council (议事机构)")
        verbose_name_plural = _("councils")
        ordering = ["village", "body", "name"]
        constraints = [
            models.UniqueConstraint(fields=["village", "name"], name="council_name_unique_per_village"),
            models.CheckConstraint(
                condition=models.Q(body="villager_group_meeting", group__isnull=False)
                | (~models.Q(body="villager_group_meeting") & models.Q(group__isnull=True)),
                name="council_group_only_for_group_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def seated(self) -> bool:
        return self.body not in ROSTER_BODIES

    @property
    def body_rule(self) -> BodyRule | None:
        return BodyRule.objects.filter(rule_set_id=self.village.rule_set_id, body=self.body).first()


class SeatPosition(models.TextChoices):
    CHAIR = "chair", _("chair")
    VICE_CHAIR = "vice_chair", _("vice chair")
    MEMBER = "member", _("member")


class CouncilSeat(models.Model):
    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="seats", verbose_name=_("council")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="council_seats", verbose_name=_("person")
    )
    position = models.CharField(
        _("position"), max_length=20, choices=SeatPosition.choices, default=SeatPosition.MEMBER
    )
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("council seat (成员任期)")
        verbose_name_plural = _("council seats")
        ordering = ["council", "position", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "person", "starts_on"], name="council_seat_unique_term_start"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="council_seat_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council}: {self.person} ({self.get_position_display()})"

    def is_active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)
