"""The asset register's pages (集体资产台账): the list with filters, totals and the composition
chart, entering an asset of each kind, an asset's page (valuations, documents, contracts), editing,
valuations, documents (served only through a permission check) and the export."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assets.charts import ChartBar, ChartGroup, bar_chart
from assets.exports import ExportFormatRefused, export_format, table_response
from assets.forms.register import AssetForm, AssetUpdateForm, DocumentForm, ValuationForm
from assets.models import Asset, AssetCategory, AssetStatus
from assets.selectors.contracts import contract_state
from assets.selectors.register import (
    ASSET_KINDS,
    ASSET_PAGE_SIZE,
    KIND_FIELDS,
    KIND_LABELS,
    AssetFilters,
    asset_contracts,
    asset_documents,
    asset_rows,
    asset_valuations,
    register_totals,
    village_asset,
    village_assets,
    village_document,
)
from assets.services import register as services
from assets.services.register import DEFAULT_CATEGORY, kind_of
from consultations.uploads import stored_file_response, upload_limited, upload_stopped
from villagegov.models import Village
from villagegov.permissions import Action
from villagegov.views.base import acting_user, roles_allow, village_view

CATEGORY_TONES = {
    AssetCategory.RESOURCE: "resource",
    AssetCategory.OPERATING: "operating",
    AssetCategory.NON_OPERATING: "non_operating",
}


def _asset(village: Village, asset_id: int) -> Asset:
    asset = village_asset(village, asset_id)
    if asset is None:
        raise Http404
    return asset


@village_view(Action.VIEW_FINANCES)
@require_safe
def asset_list(request: HttpRequest, village: Village) -> HttpResponse:
    filters = AssetFilters.from_query(request.GET)
    assets = village_assets(village, filters)
    page = Paginator(assets, ASSET_PAGE_SIZE).get_page(request.GET.get("page"))
    totals = register_totals(assets)
    by_category = bar_chart(
        [
            ChartGroup(
                line.label, [ChartBar(line.label, line.current, CATEGORY_TONES[AssetCategory(line.key)])]
            )
            for line in totals.by_category
        ]
    )
    by_kind = bar_chart(
        [ChartGroup(line.label, [ChartBar(line.label, line.current)]) for line in totals.by_kind]
    )
    context = {
        "page_obj": page,
        "rows": asset_rows(list(page.object_list)),
        "filters": filters,
        "totals": totals,
        "chart_by_category": by_category,
        "chart_by_kind": by_kind,
        "kinds": [(key, KIND_LABELS[key]) for key in ASSET_KINDS],
        "categories": AssetCategory.choices,
        "statuses": AssetStatus.choices,
        "can_manage": roles_allow(request, Action.MANAGE_ASSETS),
        "export_query": request.GET.urlencode(),
    }
    return render(request, "assets/asset_list.html", context)


@village_view(Action.MANAGE_ASSETS)
def asset_create(request: HttpRequest, village: Village) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in ASSET_KINDS:
        if request.method == "POST":
            return render(
                request,
                "assets/asset_kind.html",
                {"kinds": [(key, KIND_LABELS[key]) for key in ASSET_KINDS], "error": True},
                status=400,
            )
        return render(
            request, "assets/asset_kind.html", {"kinds": [(key, KIND_LABELS[key]) for key in ASSET_KINDS]}
        )
    form = AssetForm(request.POST or None, kind=kind, initial={"category": DEFAULT_CATEGORY[kind]})
    if request.method == "POST" and form.is_valid():
        try:
            asset = services.asset_create(
                actor=acting_user(request), village=village, kind=kind, values=form.cleaned_data
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The asset is entered in the register."))
            return redirect("asset_detail", village.admin_code, asset.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "kind": kind, "kind_label": KIND_LABELS[kind]}
    return render(request, "assets/asset_form.html", context, status=status)


def _render_detail(
    request: HttpRequest,
    village: Village,
    asset: Asset,
    *,
    valuation_form: ValuationForm | None = None,
    document_form: DocumentForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    kind = kind_of(asset)
    today = timezone.localdate()
    details = []
    for name in KIND_FIELDS.get(kind, ()):
        display = getattr(asset, f"get_{name}_display", None)
        value = display() if display is not None else getattr(asset, name)
        details.append((getattr(asset._meta.get_field(name), "verbose_name", name), value))
    context: dict[str, Any] = {
        "asset": asset,
        "kind": kind,
        "kind_label": KIND_LABELS.get(kind, ""),
        "details": details,
        "valuations": list(asset_valuations(asset).select_related("recorded_by")),
        "documents": list(asset_documents(asset)),
        "contracts": [(contract, contract_state(contract, on=today)) for contract in asset_contracts(asset)],
        "can_manage": roles_allow(request, Action.MANAGE_ASSETS),
        "valuation_form": valuation_form or ValuationForm(initial={"valued_on": today}),
        "document_form": document_form or DocumentForm(),
        "errors": errors or [],
    }
    return render(request, "assets/asset_detail.html", context, status=status)


@village_view(Action.VIEW_FINANCES)
@require_safe
def asset_detail(request: HttpRequest, village: Village, asset_id: int) -> HttpResponse:
    return _render_detail(request, village, _asset(village, asset_id))


@village_view(Action.MANAGE_ASSETS)
def asset_update(request: HttpRequest, village: Village, asset_id: int) -> HttpResponse:
    asset = _asset(village, asset_id)
    kind = kind_of(asset)
    fields = ["name", "status", "location", "note", *KIND_FIELDS.get(kind, ())]
    form = AssetUpdateForm(
        request.POST or None, kind=kind, initial={name: getattr(asset, name) for name in fields}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.asset_update(actor=acting_user(request), asset=asset, values=form.cleaned_data)
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The asset is updated."))
            return redirect("asset_detail", village.admin_code, asset.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "asset": asset, "kind_label": KIND_LABELS.get(kind, "")}
    return render(request, "assets/asset_update.html", context, status=status)


@village_view(Action.MANAGE_ASSETS)
@require_POST
def valuation_record(request: HttpRequest, village: Village, asset_id: int) -> HttpResponse:
    asset = _asset(village, asset_id)
    form = ValuationForm(request.POST)
    if form.is_valid():
        try:
            services.valuation_record(
                actor=acting_user(request),
                asset=asset,
                valued_on=form.cleaned_data["valued_on"],
                value=form.cleaned_data["value"],
                basis=form.cleaned_data["basis"],
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The valuation is recorded."))
            return redirect("asset_detail", village.admin_code, asset.pk)
    return _render_detail(request, village, asset, valuation_form=form, status=400)


def document_upload_limit_message() -> str:
    return _("The file is too big: at most 10 MB.")


@upload_limited(lambda: services.DOCUMENT_UPLOAD_MAX_BYTES)
@village_view(Action.MANAGE_ASSETS)
@require_POST
def asset_document_upload(request: HttpRequest, village: Village, asset_id: int) -> HttpResponse:
    asset = _asset(village, asset_id)
    if upload_stopped(request):
        return _render_detail(request, village, asset, errors=[document_upload_limit_message()], status=400)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.asset_document_add(
                actor=acting_user(request),
                asset=asset,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["document"],
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The document is attached."))
            return redirect("asset_detail", village.admin_code, asset.pk)
    return _render_detail(request, village, asset, document_form=form, status=400)


@village_view(Action.VIEW_FINANCES)
@require_safe
def asset_document_file(request: HttpRequest, village: Village, document_id: int) -> HttpResponse:
    """A document of an asset, never from a public URL: to those who may see the village's finances."""
    document = village_document(village, document_id)
    if document is None:
        raise Http404
    return stored_file_response(
        document.file,
        content_type=document.content_type,
        allowed_types=services.DOCUMENT_TYPES,
        name=f"asset-document-{document.pk}",
    )


@village_view(Action.VIEW_FINANCES)
@require_safe
def asset_export(request: HttpRequest, village: Village) -> HttpResponse:
    try:
        fmt = export_format(request)
    except ExportFormatRefused as refusal:
        return HttpResponse(str(refusal), status=400, content_type="text/plain; charset=utf-8")
    filters = AssetFilters.from_query(request.GET)
    assets = village_assets(village, filters)
    totals = register_totals(assets)
    headers = [
        _("Asset number"),
        _("Name"),
        _("Kind"),
        _("Category"),
        _("Status"),
        _("Location"),
        _("Acquired"),
        _("Original value (¥)"),
        _("Current value (¥)"),
        _("Area (亩)"),
        _("Floor area (m²)"),
    ]
    categories = dict(AssetCategory.choices)
    statuses = dict(AssetStatus.choices)

    def rows() -> Any:
        # A chunk of rows at a time, each chunk with its kind's own fields read once per kind.
        chunk: list[Asset] = []
        for asset in assets.iterator(chunk_size=500):
            chunk.append(asset)
            if len(chunk) == 500:
                yield from _export_rows(chunk)
                chunk = []
        yield from _export_rows(chunk)

    def _export_rows(chunk: list[Asset]) -> Any:
        for row in asset_rows(chunk):
            asset = row.asset
            yield [
                asset.code,
                asset.name,
                row.kind_label,
                str(categories.get(asset.category, asset.category)),
                str(statuses.get(asset.status, asset.status)),
                asset.location,
                asset.acquired_on,
                asset.acquisition_value,
                asset.current_value,
                row.details.get("area_mu"),
                row.details.get("floor_area_m2"),
            ]

    total = totals.total
    return table_response(
        fmt=fmt,
        filename=f"assets-{village.admin_code}-{timezone.localdate().isoformat()}",
        title=_("Asset register"),
        headers=headers,
        rows=rows(),
        totals=[_("Total"), "", "", "", "", "", "", total.original, total.current, total.area_mu, None],
    )
