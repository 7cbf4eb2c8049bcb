from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .rules import RuleSet


class Village(models.Model):
    name = models.CharField(_("name"), max_length=100)
    admin_code = models.CharField(
        _("administrative code"),
        max_length=12,
        unique=True,
        help_text=_("The 12-digit statistical division code (统计用区划代码)."),
    )
    township = models.CharField(_("township or subdistrict"), max_length=100)
    county = models.CharField(_("county or district"), max_length=100)
    province = models.CharField(_("province"), max_length=100)
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="villages", verbose_name=_("rule set")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("village (村)")
        verbose_name_plural = _("villages")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(admin_code__regex=r"^[0-9]{12}$"), name="village_admin_code_12_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class VillagerGroup(models.Model):
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="groups", verbose_name=_("village")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("villager group (村民小组)")
        verbose_name_plural = _("villager groups")
        ordering = ["village", "number"]
        constraints = [
            models.UniqueConstraint(fields=["village", "number"], name="villager_group_number_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="households", verbose_name=_("village")
    )
    group = models.ForeignKey(
        VillagerGroup,
        on_delete=models.PROTECT,
        related_name="households",
        null=True,
        blank=True,
        verbose_name=_("villager group"),
    )
    number = models.CharField(_("household number"), max_length=30)
    address = models.CharField(_("address"), max_length=200, blank=True)
    head = models.ForeignKey(
        "Person",
        on_delete=models.PROTECT,
        related_name="headed_households",
        null=True,
        blank=True,
        verbose_name=_("household head"),
    )

    class Meta:
        verbose_name = _("household (户)")
        verbose_name_plural = _("households")
        ordering = ["village", "number"]
        constraints = [
            models.UniqueConstraint(fields=["village", "number"], name="household_number_unique"),
        ]

    def __str__(self) -> str:
        return self.number


class Gender(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")


class Person(models.Model):
    """A person on one village's roster (名册). An account may claim several, one per village."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="people", verbose_name=_("village")
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
        verbose_name=_("household"),
    )
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    is_registered_resident = models.BooleanField(
        _("registered villager"),
        default=True,
        help_text=_("Has the village's household registration or is otherwise entitled to vote here."),
    )
    joined_on = models.DateField(_("on the roster since"), default=date.today)
    left_on = models.DateField(_("left the roster on"), null=True, blank=True)
    left_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="people",
        null=True,
        blank=True,
        verbose_name=_("account"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("person (村民名册)")
        verbose_name_plural = _("people")
        ordering = ["village", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "user"],
                condition=models.Q(user__isnull=False),
                name="person_one_per_account_per_village",
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True) | models.Q(left_on__gte=models.F("joined_on")),
                name="person_leaves_after_joining",
            ),
        ]
        indexes = [models.Index(fields=["village", "phone"])]

    def __str__(self) -> str:
        return self.name

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday


class Role(models.TextChoices):
    RESIDENT = "resident", _("resident (村民)")
    HOUSEHOLD_HEAD = "household_head", _("household head (户主)")
    REPRESENTATIVE = "representative", _("villager representative (村民代表)")
    COMMITTEE_MEMBER = "committee_member", _("village-committee member (村委会成员)")
    PARTY_BRANCH_MEMBER = "party_branch_member", _("party-branch member (村党组织成员)")
    SUPERVISOR = "supervisor", _("supervision-committee member (监委会成员)")
    ACCOUNTANT = "accountant", _("accountant (报账员)")
    CLERK = "clerk", _("clerk (文书)")
    COLLECTIVE_MEMBER = "collective_member", _("collective member (股东/成员)")
    COLLECTIVE_HEAD = "collective_head", _("head of the collective economic organisation (联合社负责人)")
    TOWNSHIP_STAFF = "township_staff", _("township staff (镇街工作人员)")


# Roles that follow from other records and so are never assigned: the household head from
# Household.head, committee members and supervisors from their seats (CouncilSeat).
DERIVED_ROLES = frozenset({Role.HOUSEHOLD_HEAD, Role.COMMITTEE_MEMBER, Role.SUPERVISOR})
ASSIGNABLE_ROLES = [choice for choice in Role.choices if choice[0] not in DERIVED_ROLES]


class RoleAssignment(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=30, choices=ASSIGNABLE_ROLES)
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("role (职务)")
        verbose_name_plural = _("roles")
        ordering = ["person", "role", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="role_term_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=["household_head", "committee_member", "supervisor"]),
                name="role_derived_roles_not_assigned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_role_display()}"

    def is_active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("spouse")
    PARENT = "parent", _("parent")
    CHILD = "child", _("child")
    SIBLING = "sibling", _("sibling")
    GRANDPARENT = "grandparent", _("grandparent")
    GRANDCHILD = "grandchild", _("grandchild")


INVERSE_RELATION = {
    Relation.SPOUSE: Relation.SPOUSE,
    Relation.PARENT: Relation.CHILD,
    Relation.CHILD: Relation.PARENT,
    Relation.SIBLING: Relation.SIBLING,
    Relation.GRANDPARENT: Relation.GRANDCHILD,
    Relation.GRANDCHILD: Relation.GRANDPARENT,
}


class Kinship(models.Model):
    """Declared close kinship (近亲属): `relative` is the `relation` of `person`. Stored both ways."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="kinships", verbose_name=_("person")
    )
    relative = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("relative")
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)

    class Meta:
        verbose_name = _("kinship (亲属关系)")
        verbose_name_plural = _("kinships")
        constraints = [
            models.UniqueConstraint(fields=["person", "relative"], name="kinship_unique_pair"),
            models.CheckConstraint(condition=~models.Q(person=models.F("relative")), name="kinship_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.relative}: {self.get_relation_display()}"
