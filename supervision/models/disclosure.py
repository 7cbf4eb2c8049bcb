"""The disclosure board (村务公开栏): what was published, in its section, and objections to it."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from villagegov.models import Person, Village


class DisclosureSection(models.TextChoices):
    """Sections of the board, each with its own schedule (Organic Law Art. 30; DOMAIN.md)."""

    RESOLUTIONS = "resolutions", _("resolutions (决议)")
    FINANCES = "finances", _("finances (财务)")
    MAJOR = "major", _("major matters (重大事项)")
    LAND_COMPENSATION = "land_compensation", _("land compensation (征地补偿)")
    LEASES = "leases", _("leases and contracts (租赁承包)")
    BIDS = "bids", _("bids and tenders (招投标)")
    GENERAL = "general", _("general village affairs (一般村务)")


class DisclosureItem(models.Model):
    """One publication on the board. Never edited; a correction is a new item that names the one it
    corrects."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="disclosures", verbose_name=_("village")
    )
    section = models.CharField(_("section"), max_length=20, choices=DisclosureSection.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("content"), max_length=20000)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    source_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("source type"),
    )
    source_id = models.PositiveBigIntegerField(_("source id"), null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )
    published_at = models.DateTimeField(_("published"))

    class Meta:
        verbose_name = _("disclosure (村务公开)")
        verbose_name_plural = _("disclosures")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["village", "section", "published_at"], name="disclosure_section_time")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True)
                | models.Q(period_end__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="disclosure_period_in_order",
            ),
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                condition=models.Q(source_type__isnull=False, corrects__isnull=True),
                name="disclosure_source_published_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DisclosureObjection(models.Model):
    """A resident's objection (异议) to a published item, within its window, and the answer."""

    item = models.ForeignKey(
        DisclosureItem, on_delete=models.PROTECT, related_name="objections", verbose_name=_("disclosure")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("raised by")
    )
    text = models.TextField(_("objection"), max_length=3000)
    raised_at = models.DateTimeField(_("raised"))
    answer = models.TextField(_("answer"), max_length=3000, blank=True)
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
        verbose_name = _("objection (异议)")
        verbose_name_plural = _("objections")
        ordering = ["item", "raised_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]
