"""Reads of the asset register (集体资产台账), always scoped to a village: the filtered list
(non-polymorphic, with each kind's own fields read once per kind for a page), totals by category
and by kind, an asset with its valuations, documents and contracts."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from assets.models import (
    Asset,
    AssetCategory,
    AssetDocument,
    AssetStatus,
    Building,
    Contract,
    Equipment,
    Fund,
    Investment,
    LandParcel,
    Valuation,
)
from assets.values import ZERO
from villagegov.models import Village

ASSET_PAGE_SIZE = 50

# The kinds of asset, by the key the forms and URLs use.
ASSET_KINDS: dict[str, type[Asset]] = {
    "land": LandParcel,
    "building": Building,
    "equipment": Equipment,
    "investment": Investment,
    "fund": Fund,
}
KIND_LABELS = {
    "land": gettext_lazy("land (土地)"),
    "building": gettext_lazy("buildings and facilities (房屋、设施)"),
    "equipment": gettext_lazy("equipment (机器设备)"),
    "investment": gettext_lazy("investments and equity (对外投资、股权)"),
    "fund": gettext_lazy("funds (资金)"),
}
# Each kind's own fields (what the kind measures).
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "land": ("area_mu", "land_use"),
    "building": ("floor_area_m2",),
    "equipment": ("model_name", "quantity"),
    "investment": ("investee", "stake_percent"),
    "fund": ("bank", "purpose"),
}


@dataclass(frozen=True)
class AssetFilters:
    kind: str = ""
    category: str = ""
    status: str = ""
    search: str = ""

    @classmethod
    def from_query(cls, query: Any) -> "AssetFilters":
        """The filters of a query string, anything unknown dropped."""
        kind = query.get("kind", "")
        category = query.get("category", "")
        status = query.get("status", "")
        return cls(
            kind=kind if kind in ASSET_KINDS else "",
            category=category if category in AssetCategory.values else "",
            status=status if status in AssetStatus.values else "",
            search=str(query.get("q", "")).strip()[:100],
        )


def kind_content_types() -> dict[str, ContentType]:
    """The content type of each kind (cached by Django after the first read)."""
    return {
        kind: ContentType.objects.get_for_model(model, for_concrete_model=False)
        for kind, model in ASSET_KINDS.items()
    }


def kind_by_content_type() -> dict[int, str]:
    return {ct.pk: kind for kind, ct in kind_content_types().items()}


def village_assets(village: Village, filters: AssetFilters | None = None) -> QuerySet[Asset]:
    """The village's assets as base rows (non-polymorphic: one query whatever the kinds), filtered."""
    filters = filters or AssetFilters()
    assets = cast(QuerySet[Asset], Asset.objects.non_polymorphic()).filter(village=village)
    if filters.kind:
        assets = assets.filter(polymorphic_ctype=kind_content_types()[filters.kind])
    if filters.category:
        assets = assets.filter(category=filters.category)
    if filters.status:
        assets = assets.filter(status=filters.status)
    if filters.search:
        assets = assets.filter(Q(code__icontains=filters.search) | Q(name__icontains=filters.search))
    return assets.order_by("code", "pk")


@dataclass
class TotalsLine:
    label: str
    key: str
    count: int = 0
    original: Decimal = ZERO
    current: Decimal = ZERO
    area_mu: Decimal = ZERO


@dataclass
class RegisterTotals:
    by_category: list[TotalsLine] = field(default_factory=list)
    by_kind: list[TotalsLine] = field(default_factory=list)
    total: TotalsLine = field(default_factory=lambda: TotalsLine(label="", key=""))


def register_totals(assets: QuerySet[Asset]) -> RegisterTotals:
    """Count, original value, current value and land area (亩) by category and by kind of the
    (filtered) `assets`, and in all: three queries whatever their number."""
    money = {
        "original": Coalesce(Sum("acquisition_value"), ZERO),
        "current": Coalesce(Sum("current_value"), ZERO),
    }
    by_category = {
        row["category"]: row
        for row in assets.order_by().values("category").annotate(count=Count("pk"), **money)
    }
    by_type = {
        row["polymorphic_ctype"]: row
        for row in assets.order_by().values("polymorphic_ctype").annotate(count=Count("pk"), **money)
    }
    land = {
        row["category"]: row["area"] or ZERO
        for row in cast(QuerySet[LandParcel], LandParcel.objects.non_polymorphic())
        .filter(pk__in=assets.values("pk"))
        .order_by()
        .values("category")
        .annotate(area=Sum("area_mu"))
    }
    totals = RegisterTotals(total=TotalsLine(label="", key=""))
    for category in AssetCategory:
        row = by_category.get(category.value)
        line = TotalsLine(label=str(category.label), key=category.value)
        if row:
            line.count, line.original, line.current = row["count"], row["original"], row["current"]
        line.area_mu = land.get(category.value, ZERO)
        totals.by_category.append(line)
    kinds = kind_by_content_type()
    for kind in ASSET_KINDS:
        line = TotalsLine(label=str(KIND_LABELS[kind]), key=kind)
        for ctype, row in by_type.items():
            if kinds.get(ctype) == kind:
                line.count, line.original, line.current = row["count"], row["original"], row["current"]
        if kind == "land":
            line.area_mu = sum(land.values(), ZERO)
        totals.by_kind.append(line)
    totals.total.count = sum(line.count for line in totals.by_category)
    totals.total.original = sum((line.original for line in totals.by_category), ZERO)
    totals.total.current = sum((line.current for line in totals.by_category), ZERO)
    totals.total.area_mu = sum((line.area_mu for line in totals.by_category), ZERO)
    return totals


@dataclass(frozen=True)
class AssetRow:
    asset: Asset
    kind: str
    kind_label: str
    details: dict[str, Any]  # the kind's own fields


def asset_rows(assets: list[Asset]) -> list[AssetRow]:
    """Rows for a page of base assets with their kind's own fields: one query per kind present."""
    kinds = kind_by_content_type()
    ids_by_kind: dict[str, list[int]] = defaultdict(list)
    for asset in assets:
        ids_by_kind[kinds.get(asset.polymorphic_ctype_id or 0, "")].append(asset.pk)
    details: dict[int, dict[str, Any]] = {}
    for kind, ids in ids_by_kind.items():
        if not kind:
            continue
        model = ASSET_KINDS[kind]
        for row in model.objects.non_polymorphic().filter(pk__in=ids).values("pk", *KIND_FIELDS[kind]):
            details[row.pop("pk")] = row
    rows = []
    for asset in assets:
        kind = kinds.get(asset.polymorphic_ctype_id or 0, "")
        rows.append(
            AssetRow(
                asset=asset,
                kind=kind,
                kind_label=str(KIND_LABELS.get(kind, "")),
                details=details.get(asset.pk, {}),
            )
        )
    return rows


def village_asset(village: Village, asset_id: int) -> Asset | None:
    """The asset of the village, as its kind (LandParcel, Building, …), or None."""
    return Asset.objects.filter(village=village, pk=asset_id).select_related("created_by").first()


def asset_valuations(asset: Asset) -> QuerySet[Valuation]:
    return Valuation.objects.filter(asset_id=asset.pk).order_by("-valued_on", "-id")


def asset_documents(asset: Asset) -> QuerySet[AssetDocument]:
    return AssetDocument.objects.filter(asset_id=asset.pk).order_by("-uploaded_at", "-id")


def asset_contracts(asset: Asset) -> QuerySet[Contract]:
    return Contract.objects.filter(asset_id=asset.pk).order_by("-starts_on", "-id")


def village_document(village: Village, document_id: int) -> AssetDocument | None:
    return AssetDocument.objects.filter(pk=document_id, asset__village=village).first()
