"""Deliberation sessions of a village's councils, who attended them, and requests to convene them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from villagegov.models import Council, Person


class SessionState(models.TextChoices):
    DRAFT = "draft", _("draft")
    ANNOUNCED = "announced", _("announced")
    OPEN = "open", _("in session")
    CLOSED = "closed", _("closed")


class Session(models.Model):
    """One meeting of a council (会议). Its rules — notice, quorum, majorities — are its council's."""

    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("council")
    )
    title = models.CharField(_("title"), max_length=200)
    chair = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="chaired_sessions", verbose_name=_("chair")
    )
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    state = models.CharField(
        _("state"), max_length=20, choices=SessionState.choices, default=SessionState.DRAFT
    )
    announced_at = models.DateTimeField(_("announced"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    speaking_seconds = models.PositiveSmallIntegerField(
        _("speaking time (seconds)"), default=180, help_text=_("How long each speaker may speak.")
    )
    live_seq = models.PositiveBigIntegerField(
        _("live sequence number"),
        default=0,
        editable=False,
        help_text=_("Counts the live events of the session, so a client can tell it missed one."),
    )
    join_code = models.CharField(
        _("check-in code"),
        max_length=32,
        unique=True,
        help_text=_("The secret in the session's QR code and check-in link."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("session (会议)")
        verbose_name_plural = _("sessions")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state="draft", announced_at__isnull=True)
                | (~models.Q(state="draft") & models.Q(announced_at__isnull=False)),
                name="session_announced_unless_draft",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["draft", "announced"], opened_at__isnull=True)
                | (models.Q(state__in=["open", "closed"]) & models.Q(opened_at__isnull=False)),
                name="session_opened_when_open_or_closed",
            ),
            models.CheckConstraint(
                condition=models.Q(state="closed", closed_at__isnull=False)
                | (~models.Q(state="closed") & models.Q(closed_at__isnull=True)),
                name="session_closed_at_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CheckInMethod(models.TextChoices):
    SELF = "self", _("checked in themselves (QR code or link)")
    CLERK = "clerk", _("checked in by the chair or clerk")


class Attendance(models.Model):
    """A person present at a session (到会). Append-only: a check-in is never removed.

    Any member of a household who attends represents it (户代表) where the body counts households,
    so households represented are the distinct households of the attendees."""

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("session")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("person")
    )
    checked_in_at = models.DateTimeField(_("checked in"))
    method = models.CharField(_("how"), max_length=10, choices=CheckInMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("attendance (到会)")
        verbose_name_plural = _("attendance")
        ordering = ["session", "checked_in_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="attendance_once_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.person}"


class ConveningRequest(models.Model):
    """A joint request (联名提议) that a council be convened, signed by villagers or members until the
    body's threshold is reached (村民会议: 1/10 of adult villagers or 1/3 of representatives;
    村民代表会议: 1/5 of representatives; 成员大会: 1/5 of members)."""

    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="convening_requests", verbose_name=_("council")
    )
    matter = models.TextField(_("matter to discuss"), max_length=2000)
    initiator = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("initiator")
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    threshold_reached_at = models.DateTimeField(_("threshold reached"), null=True, blank=True)

    class Meta:
        verbose_name = _("convening request (联名提议)")
        verbose_name_plural = _("convening requests")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.matter[:60]


class ConveningSignature(models.Model):
    """One person's signature on a convening request. Append-only."""

    request = models.ForeignKey(
        ConveningRequest, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("request")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="convening_signatures", verbose_name=_("person")
    )
    signed_at = models.DateTimeField(_("signed"))

    class Meta:
        verbose_name = _("signature (签名)")
        verbose_name_plural = _("signatures")
        ordering = ["request", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "person"], name="convening_signature_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.request}: {self.person}"
