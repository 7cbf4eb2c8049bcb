"""Rule sets: the thresholds of the law kept as data with their citations.

A village follows one rule set; moving it to a new text of the law (the Organic
Law was amended in 2025) is a change of data, not of code.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Body(models.TextChoices):
    VILLAGERS_ASSEMBLY = "villagers_assembly", _("villagers' assembly (村民会议)")
    REPRESENTATIVES_MEETING = "representatives_meeting", _("villager representatives' meeting (村民代表会议)")
    VILLAGER_GROUP_MEETING = "villager_group_meeting", _("villager group meeting (村民小组会议)")
    VILLAGE_COMMITTEE = "village_committee", _("village committee (村民委员会)")
    DELIBERATION_COUNCIL = "deliberation_council", _("deliberation council (议事会)")
    RESIDENTS_SPEAK = "residents_speak", _("residents speak (群众说事)")
    PUBLIC_SENTIMENT_TALK = "public_sentiment_talk", _("public sentiment talk (民情恳谈)")
    PEOPLES_DELIBERATION = "peoples_deliberation", _("people's deliberation (百姓议事)")
    WOMENS_DELIBERATION = "womens_deliberation", _("women's deliberation (妇女议事)")
    MEMBERS_ASSEMBLY = "members_assembly", _("members' assembly (成员大会)")
    MEMBERS_REPRESENTATIVES = "members_representatives", _("members' representatives assembly (成员代表大会)")
    BOARD = "board", _("board of the collective (理事会)")
    SUPERVISION_COMMITTEE = (
        "supervision_committee",
        _("village-affairs supervision committee (村务监督委员会)"),
    )


class Purpose(models.TextChoices):
    QUORUM = "quorum", _("quorum to open")
    DECISION = "decision", _("decision passes")
    CONVENE_REQUEST = "convene_request", _("convening request")
    ELECTION_VALID = "election_valid", _("election is valid")
    ELECTION_ELECTED = "election_elected", _("candidate is elected")
    ELECTION_SECOND_ROUND = "election_second_round", _("candidate is elected in a second round")
    RECALL_VALID = "recall_valid", _("recall vote is valid")
    RECALL_CARRIED = "recall_carried", _("recall is carried")
    COMPOSITION = "composition", _("composition")


# Purposes met when ANY of their thresholds is met (alternatives in the law: "or");
# every other purpose needs ALL of its thresholds.
ALTERNATIVE_PURPOSES = frozenset({Purpose.QUORUM, Purpose.CONVENE_REQUEST})


class Counted(models.TextChoices):
    ATTENDEES = "attendees", _("attendees")
    HOUSEHOLDS_REPRESENTED = "households_represented", _("households represented")
    YES_VOTES = "yes_votes", _("votes in favour")
    VOTES_CAST = "votes_cast", _("voters who voted")
    CANDIDATE_VOTES = "candidate_votes", _("votes for the candidate")
    SIGNATURES = "signatures", _("signatories")
    REPRESENTATIVES = "representatives", _("villager representatives")
    WOMEN = "women", _("women")


class Basis(models.TextChoices):
    """The denominator a threshold is measured against."""

    ADULT_VILLAGERS = "adult_villagers", _("villagers aged 18 or over")
    HOUSEHOLDS = "households", _("households of the village")
    GROUP_ADULTS = "group_adults", _("villagers of the group aged 18 or over")
    GROUP_HOUSEHOLDS = "group_households", _("households of the group")
    ALL_MEMBERS = "all_members", _("all members of the body")
    ATTENDEES = "attendees", _("attendees")
    VOTES_CAST = "votes_cast", _("votes cast")
    REGISTERED_VOTERS = "registered_voters", _("registered voters")
    REPRESENTATIVES = "representatives", _("villager representatives")


class RuleSet(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    effective_from = models.DateField(_("in force from"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("rule set (规则版本)")
        verbose_name_plural = _("rule sets")
        ordering = ["-effective_from", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_zh if (get_language() or "zh-hans").startswith("zh") else self.name_en


class BodyRule(models.Model):
    """How one body meets under one rule set: notice, whether its decisions bind."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="body_rules")
    body = models.CharField(_("body"), max_length=40, choices=Body.choices)
    notice_days = models.PositiveSmallIntegerField(_("days of notice"), null=True, blank=True)
    advisory = models.BooleanField(
        _("advisory only"), default=False, help_text=_("Its votes advise; they decide nothing in law.")
    )
    citation_zh = models.CharField(_("citation (Chinese)"), max_length=300, blank=True)
    citation_en = models.CharField(_("citation (English)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("body rule (议事规则)")
        verbose_name_plural = _("body rules")
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "body"], name="body_rule_unique_per_rule_set"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_set.code}: {self.get_body_display()}"

    @property
    def citation(self) -> str:
        return self.citation_zh if (get_language() or "zh-hans").startswith("zh") else self.citation_en


class Threshold(models.Model):
    """One counted quantity measured against a fraction of a basis.

    strict=True is "more than" (过半数: n * d > total * num); strict=False is
    "at least" (以上 includes the number itself, Civil Code Art. 1259).
    """

    body_rule = models.ForeignKey(BodyRule, on_delete=models.CASCADE, related_name="thresholds")
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    counted = models.CharField(_("what is counted"), max_length=30, choices=Counted.choices)
    basis = models.CharField(_("measured against"), max_length=30, choices=Basis.choices)
    numerator = models.PositiveSmallIntegerField(_("numerator"))
    denominator = models.PositiveSmallIntegerField(_("denominator"))
    strict = models.BooleanField(_("strictly more than"), default=False)
    citation_zh = models.CharField(_("citation (Chinese)"), max_length=300)
    citation_en = models.CharField(_("citation (English)"), max_length=300)

    class Meta:
        verbose_name = _("threshold (法定比例)")
        verbose_name_plural = _("thresholds")
        ordering = ["body_rule", "purpose", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(denominator__gt=0)
                & models.Q(numerator__gt=0)
                & models.Q(numerator__lte=models.F("denominator")),
                name="threshold_fraction_proper",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body_rule} {self.get_purpose_display()} {self.numerator}/{self.denominator}"

    @property
    def citation(self) -> str:
        return self.citation_zh if (get_language() or "zh-hans").startswith("zh") else self.citation_en
