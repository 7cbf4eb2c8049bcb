"""Appointments to the committee, and its reviews (审核) with their evidence, entries and sign-offs.

A review may be about any object of the other apps (a voucher, a distribution, a session, a
disclosure) through one generic subject reference, so supervision never imports the apps that
build on it; they ask `supervision.selectors.reviews.subject_review_concluded`.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from polymorphic.models import PolymorphicModel

from consultations.models import Resolution, Session
from villagegov.models import CouncilSeat, Person, Village


class Appointment(models.Model):
    """How a seat on the supervision committee was filled: the resolution of the 村民会议 or
    村民代表会议 that elected the member, and whether they bring finance or accounting knowledge."""

    seat = models.OneToOneField(
        CouncilSeat, on_delete=models.PROTECT, related_name="supervision_appointment", verbose_name=_("seat")
    )
    resolution = models.ForeignKey(
        Resolution, on_delete=models.PROTECT, related_name="+", verbose_name=_("elected by the resolution")
    )
    finance_knowledge = models.BooleanField(_("has finance or accounting knowledge"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("appointment (监委会成员任命)")
        verbose_name_plural = _("appointments")
        ordering = ["seat"]

    def __str__(self) -> str:
        return str(self.seat)


class ReviewState(models.TextChoices):
    OPEN = "open", _("under review")
    CONCLUDED = "concluded", _("concluded")


class Review(PolymorphicModel):
    """A review by the committee (监督审核). Concluded once a majority of the committee's members
    in office have signed; nothing is deleted, corrections are new entries."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("village")
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what was reviewed"), max_length=5000, blank=True)
    subject_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subject type"),
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    state = models.CharField(_("state"), max_length=10, choices=ReviewState.choices, default=ReviewState.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened"))
    concluded_at = models.DateTimeField(_("concluded"), null=True, blank=True)

    class Meta:
        verbose_name = _("review (监督审核)")
        verbose_name_plural = _("reviews")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="review_subject")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(subject_type__isnull=True, subject_id__isnull=True)
                | models.Q(subject_type__isnull=False, subject_id__isnull=False),
                name="review_subject_whole_or_none",
            ),
            models.CheckConstraint(
                condition=models.Q(state="open", concluded_at__isnull=True)
                | models.Q(state="concluded", concluded_at__isnull=False),
                name="review_concluded_at_when_concluded",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class VoucherReview(Review):
    """Review of an accounting voucher before it enters the books (审核凭证)."""

    voucher_number = models.CharField(_("voucher number"), max_length=50)
    voucher_date = models.DateField(_("voucher date"), null=True, blank=True)
    amount = models.DecimalField(_("amount (¥)"), max_digits=14, decimal_places=2, null=True, blank=True)
    payee = models.CharField(_("payee or payer"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("voucher review (审核凭证)")
        verbose_name_plural = _("voucher reviews")


class ProjectStage(models.TextChoices):
    APPROVAL = "approval", _("approval (立项)")
    BIDDING = "bidding", _("bidding (招标)")
    BUDGET = "budget", _("budget (预算)")
    WORKS = "works", _("works (施工)")
    ACCEPTANCE = "acceptance", _("acceptance (验收)")


class ProjectReview(Review):
    """Review of a construction project at one of its stages (工程项目监督)."""

    project_name = models.CharField(_("project"), max_length=200)
    stage = models.CharField(_("stage"), max_length=20, choices=ProjectStage.choices)
    budget = models.DecimalField(_("budget (¥)"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("project review (工程项目)")
        verbose_name_plural = _("project reviews")


class DisclosureCheck(Review):
    """Check that what was due on the disclosure board was published (村务公开检查)."""

    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))

    class Meta:
        verbose_name = _("disclosure check (村务公开检查)")
        verbose_name_plural = _("disclosure checks")


class MeetingAttendance(Review):
    """The committee attended a meeting (列席会议)."""

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="+", verbose_name=_("session")
    )

    class Meta:
        verbose_name = _("meeting attended (列席会议)")
        verbose_name_plural = _("meetings attended")


class PolicyCheck(Review):
    """Check that a farm-support policy reached those it is for (惠农政策落实)."""

    policy_name = models.CharField(_("policy"), max_length=200)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), null=True, blank=True)
    amount = models.DecimalField(_("amount (¥)"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("policy check (惠农政策落实)")
        verbose_name_plural = _("policy checks")


class DistributionCheck(Review):
    """Review of a plan to distribute the collective's income before it is paid (收益分配方案审核)."""

    plan_year = models.PositiveSmallIntegerField(_("financial year"))
    amount = models.DecimalField(_("amount (¥)"), max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("distribution plan review (收益分配方案审核)")
        verbose_name_plural = _("distribution plan reviews")


class ComplaintFollowUp(Review):
    """Follow-up of what a resident reported (群众反映)."""

    complainant = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("raised by")
    )
    complaint = models.TextField(_("what was reported"), max_length=5000)
    received_on = models.DateField(_("received on"))

    class Meta:
        verbose_name = _("complaint follow-up (群众反映)")
        verbose_name_plural = _("complaint follow-ups")


class ReviewEntry(models.Model):
    """A note added to a review; a correction names the entry it corrects. Never edited."""

    review = models.ForeignKey(
        Review, on_delete=models.PROTECT, related_name="entries", verbose_name=_("review")
    )
    text = models.TextField(_("text"), max_length=5000)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    written_at = models.DateTimeField(_("written"))

    class Meta:
        verbose_name = _("review entry")
        verbose_name_plural = _("review entries")
        ordering = ["review", "written_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Evidence(models.Model):
    """A file attached to a review or to an answer to a finding: type and size checked, stored with
    its checksum under MEDIA_ROOT, served only to those allowed."""

    review = models.ForeignKey(
        Review, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("review")
    )
    response = models.ForeignKey(
        "supervision.FindingResponse",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("answer to a finding"),
    )
    file = models.FileField(_("file"), upload_to="supervision/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"))

    class Meta:
        verbose_name = _("evidence (证据材料)")
        verbose_name_plural = _("evidence")
        ordering = ["review", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class SignOffDecision(models.TextChoices):
    SIGN = "sign", _("signs")
    DISSENT = "dissent", _("dissents")


class SignOff(models.Model):
    """A committee member's signature on a review, or their dissent with the reason."""

    review = models.ForeignKey(
        Review, on_delete=models.PROTECT, related_name="sign_offs", verbose_name=_("review")
    )
    member = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    decision = models.CharField(_("decision"), max_length=10, choices=SignOffDecision.choices)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    signed_at = models.DateTimeField(_("signed"))

    class Meta:
        verbose_name = _("sign-off (签字)")
        verbose_name_plural = _("sign-offs")
        ordering = ["review", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "member"], name="sign_off_once_per_member"),
            models.CheckConstraint(
                condition=~models.Q(decision="dissent", reason=""), name="sign_off_dissent_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review}: {self.member} ({self.get_decision_display()})"
