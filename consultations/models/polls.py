"""Votes (表决) on motions and elections, and the ballots cast in them.

Ballot secrecy is structural. For a secret poll the voter roll (`PollVoter`: who may vote and
whether they did) and the ballot box (`SecretBallot`: what was chosen) share no key, no
timestamp and no sequence: a secret ballot's primary key is a random UUID and it records no
time. While the poll is open, secret choices wait in `BallotIntake`, written in the same
transaction as the roll; the close moves them into the box in shuffled order, in one transaction,
so not even the database's own row versions (PostgreSQL's xmin) tie a boxed ballot to the
transaction that marked its voter. Named ballots (`Ballot`) name their voter and keep the
history of changes.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consultations.models.agenda import AgendaItem
from consultations.models.sessions import Session
from villagegov.models import Person


class PollKind(models.TextChoices):
    YES_NO = "yes_no", _("in favour / against / abstain")
    SINGLE_CHOICE = "single_choice", _("one choice")
    MULTIPLE_CHOICE = "multiple_choice", _("several choices")


class PollMethod(models.TextChoices):
    ELECTRONIC = "electronic", _("on phones (electronic ballot)")
    SHOW_OF_HANDS = "show_of_hands", _("show of hands (举手表决)")
    PAPER = "paper", _("paper ballots (纸质投票)")


class PollState(models.TextChoices):
    CREATED = "created", _("not yet open")
    OPEN = "open", _("voting")
    CLOSED = "closed", _("closed")


class Answer(models.TextChoices):
    YES = "yes", _("in favour")
    NO = "no", _("against")
    ABSTAIN = "abstain", _("abstain")


class Poll(models.Model):
    """A vote on an agenda item. Entitlement and the bodies' totals are frozen when it opens;
    the result, with its figures and citation, is frozen when it closes."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="polls", verbose_name=_("agenda item")
    )
    question = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=PollKind.choices, default=PollKind.YES_NO)
    method = models.CharField(
        _("method"), max_length=20, choices=PollMethod.choices, default=PollMethod.ELECTRONIC
    )
    secret = models.BooleanField(_("secret ballot (无记名)"), default=False)
    max_choices = models.PositiveSmallIntegerField(_("choices allowed"), default=1)
    allow_change = models.BooleanField(_("votes may be changed until the close"), default=False)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    state = models.CharField(_("state"), max_length=10, choices=PollState.choices, default=PollState.CREATED)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    entitled_count = models.PositiveIntegerField(_("entitled to vote"), null=True, blank=True)
    totals = models.JSONField(_("totals at the opening"), default=dict, blank=True)
    votes_cast = models.PositiveIntegerField(_("votes cast"), null=True, blank=True)
    counts = models.JSONField(_("votes per option"), default=dict, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    explanation_zh = models.TextField(_("result explained (Chinese)"), blank=True)
    explanation_en = models.TextField(_("result explained (English)"), blank=True)
    tellers = models.CharField(_("tellers (计票人、监票人)"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("vote (表决)")
        verbose_name_plural = _("votes")
        ordering = ["item", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(secret=True, allow_change=True), name="poll_secret_ballots_are_final"
            ),
            models.CheckConstraint(condition=models.Q(max_choices__gte=1), name="poll_allows_a_choice"),
            models.CheckConstraint(
                condition=models.Q(state="created", opened_at__isnull=True)
                | (~models.Q(state="created") & models.Q(opened_at__isnull=False)),
                name="poll_opened_unless_created",
            ),
            models.CheckConstraint(
                condition=models.Q(state="closed", closed_at__isnull=False)
                | (~models.Q(state="closed") & models.Q(closed_at__isnull=True)),
                name="poll_closed_at_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.question


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="options", verbose_name=_("vote"))
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.CharField(_("label"), max_length=200)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, blank=True)
    candidate = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("candidate")
    )
    elected = models.BooleanField(
        _("elected (当选)"),
        null=True,
        blank=True,
        help_text=_(
            "Set when an election closes, so a later change of the rules cannot rewrite who was elected."
        ),
    )

    class Meta:
        verbose_name = _("option (选项)")
        verbose_name_plural = _("options")
        ordering = ["poll", "position"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "position"], name="poll_option_position_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class WrittenProxy(models.Model):
    """A written proxy (书面委托): `grantor` lets `holder` vote for them at a session, where the
    body's rules allow it (成员大会: a member of the same household)."""

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="proxies", verbose_name=_("session")
    )
    grantor = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("member represented")
    )
    holder = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("proxy holder")
    )
    document = models.CharField(_("document"), max_length=300, help_text=_("Where the signed proxy is kept."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("written proxy (书面委托)")
        verbose_name_plural = _("written proxies")
        ordering = ["session", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "grantor"], name="proxy_once_per_grantor"),
            models.CheckConstraint(
                condition=~models.Q(grantor=models.F("holder")), name="proxy_not_to_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grantor} → {self.holder}"


class PollVoter(models.Model):
    """The voter roll (投票人名册): one row per person entitled when the poll opened, and
    whether they have voted. No time is recorded, so the roll cannot be ordered by voting."""

    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="roll", verbose_name=_("vote"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("voter"))
    proxy_holder = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("votes through"),
    )
    has_voted = models.BooleanField(_("has voted"), default=False)
    client_id = models.CharField(
        _("request id"), max_length=64, blank=True, help_text=_("Makes a resent vote harmless.")
    )

    class Meta:
        verbose_name = _("voter (投票人)")
        verbose_name_plural = _("voter roll")
        ordering = ["poll", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "person"], name="poll_voter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.poll}: {self.person}"


class Ballot(models.Model):
    """A named ballot (记名投票): who voted, for what, and when."""

    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("vote"))
    voter = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("voter")
    )
    cast_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("cast by"))
    choices = models.JSONField(_("choices"), help_text=_("Ids of the options chosen."))
    cast_at = models.DateTimeField(_("cast"))
    client_id = models.CharField(_("request id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("named ballot (记名选票)")
        verbose_name_plural = _("named ballots")
        ordering = ["poll", "id"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "voter"], name="ballot_one_per_voter_per_poll"),
        ]

    def __str__(self) -> str:
        return f"{self.poll}: {self.voter}"


class BallotChange(models.Model):
    """What a named ballot said before its voter changed it."""

    ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, related_name="changes", verbose_name=_("ballot")
    )
    previous_choices = models.JSONField(_("previous choices"))
    changed_at = models.DateTimeField(_("changed"))

    class Meta:
        verbose_name = _("ballot change")
        verbose_name_plural = _("ballot changes")
        ordering = ["ballot", "id"]

    def __str__(self) -> str:
        return f"{self.ballot} ({self.changed_at})"


class SecretBallot(models.Model):
    """A secret ballot in the ballot box (票箱). Random key, no time, no voter."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(
        Poll, on_delete=models.PROTECT, related_name="secret_ballots", verbose_name=_("vote")
    )
    choices = models.JSONField(_("choices"), help_text=_("Ids of the options chosen."))

    class Meta:
        verbose_name = _("secret ballot (无记名选票)")
        verbose_name_plural = _("secret ballots")
        ordering = ["poll", "id"]

    def __str__(self) -> str:
        return str(self.id)


class BallotIntake(models.Model):
    """A secret ballot cast while the poll is open, waiting for the close. Emptied into the box
    (`SecretBallot`) when the poll closes; nothing else reads it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="intake", verbose_name=_("vote"))
    choices = models.JSONField(_("choices"), help_text=_("Ids of the options chosen."))

    class Meta:
        verbose_name = _("sealed ballot awaiting the close")
        verbose_name_plural = _("sealed ballots awaiting the close")

    def __str__(self) -> str:
        return str(self.id)
