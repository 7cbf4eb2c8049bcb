"""The register of collective assets (集体资产台账): one polymorphic asset per entry, its
valuations and its documents."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from polymorphic.models import PolymorphicModel

from villagegov.models import Village


class AssetCategory(models.TextChoices):
    RESOURCE = "resource", _("resource assets (资源性资产)")
    OPERATING = "operating", _("operating assets (经营性资产)")
    NON_OPERATING = "non_operating", _("non-operating assets (非经营性资产)")


class AssetStatus(models.TextChoices):
    IN_USE = "in_use", _("in use (在用)")
    LEASED = "leased", _("leased out (出租/承包)")
    IDLE = "idle", _("idle (闲置)")
    DISPOSED = "disposed", _("disposed of (已处置)")


class Asset(PolymorphicModel):
    """An entry of the register. The kinds differ in what is measured (land in 亩, buildings in m²…)."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    code = models.CharField(_("asset number (资产编号)"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=AssetCategory.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=AssetStatus.choices, default=AssetStatus.IN_USE
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    acquired_on = models.DateField(_("acquired"), null=True, blank=True)
    acquisition_value = models.DecimalField(
        _("original value (原值, ¥)"), max_digits=14, decimal_places=2, default=0
    )
    # The latest valuation, kept here so that lists and totals read one row per asset.
    current_value = models.DecimalField(_("current value (¥)"), max_digits=14, decimal_places=2, default=0)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("collective asset (集体资产)")
        verbose_name_plural = _("collective assets")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["village", "code"], name="asset_code_unique_in_village"),
            models.CheckConstraint(
                condition=models.Q(acquisition_value__gte=0, current_value__gte=0),
                name="asset_values_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class LandUse(models.TextChoices):
    ARABLE = "arable", _("arable land (耕地)")
    GARDEN = "garden", _("orchard or garden (园地)")
    FOREST = "forest", _("forest (林地)")
    WATER = "water", _("water surface (水面)")
    CONSTRUCTION = "construction", _("construction land (建设用地)")
    UNUSED = "unused", _("unused land (未利用地)")


class LandParcel(Asset):
    area_mu = models.DecimalField(_("area (亩)"), max_digits=12, decimal_places=2)
    land_use = models.CharField(_("use"), max_length=20, choices=LandUse.choices)

    class Meta:
        verbose_name = _("land parcel (土地)")
        verbose_name_plural = _("land parcels")
        constraints = [models.CheckConstraint(condition=models.Q(area_mu__gt=0), name="land_area_positive")]


class Building(Asset):
    floor_area_m2 = models.DecimalField(_("floor area (m²)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("building or facility (房屋、设施)")
        verbose_name_plural = _("buildings and facilities")
        constraints = [
            models.CheckConstraint(condition=models.Q(floor_area_m2__gt=0), name="building_area_positive")
        ]


class Equipment(Asset):
    model_name = models.CharField(_("make and model"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)

    class Meta:
        verbose_name = _("equipment (机器设备)")
        verbose_name_plural = _("equipment")


class Investment(Asset):
    investee = models.CharField(_("invested in"), max_length=200)
    stake_percent = models.DecimalField(_("stake (%)"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("investment or equity (对外投资、股权)")
        verbose_name_plural = _("investments and equity")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stake_percent__isnull=True)
                | models.Q(stake_percent__gt=0, stake_percent__lte=100),
                name="investment_stake_percent",
            )
        ]


class Fund(Asset):
    bank = models.CharField(_("bank or where it is held"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("fund (资金)")
        verbose_name_plural = _("funds")


class Valuation(models.Model):
    """One valuation of an asset (评估/重估), kept as history."""

    asset = models.ForeignKey(
        Asset, on_delete=models.PROTECT, related_name="valuations", verbose_name=_("asset")
    )
    valued_on = models.DateField(_("valued on"))
    value = models.DecimalField(_("value (¥)"), max_digits=14, decimal_places=2)
    basis = models.CharField(_("basis (评估依据)"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("valuation (资产评估)")
        verbose_name_plural = _("valuations")
        ordering = ["asset", "-valued_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gte=0), name="valuation_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.asset}: {self.value}"


class AssetDocument(models.Model):
    """A document of an asset (title deed, contract scan, photo), served only through a permission check."""

    asset = models.ForeignKey(
        Asset, on_delete=models.PROTECT, related_name="documents", verbose_name=_("asset")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="assets/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"))

    class Meta:
        verbose_name = _("asset document (资产资料)")
        verbose_name_plural = _("asset documents")
        ordering = ["asset", "-uploaded_at"]

    def __str__(self) -> str:
        return self.title
