"""The register of collective assets (集体资产台账): entering an asset of each kind, changing what
may change, valuations (评估) kept as history, and the asset's documents."""

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assets.models import (
    Asset,
    AssetCategory,
    AssetDocument,
    AssetStatus,
    Contract,
    LandUse,
    Valuation,
)
from assets.selectors.register import ASSET_KINDS, KIND_FIELDS
from assets.values import CENT, amount, not_after_today, refuse_unless
from consultations.uploads import JPEG, MEGABYTE, PDF, PNG, ValidatedUpload, stored_name, uploads_discard
from supervision.services import TOO_LONG
from villagegov.models import User, Village
from villagegov.permissions import Action
from villagegov.services.audit import audit_record, audited_update, snapshot
from villagegov.services.text import clean_text

# The category an asset of a kind usually belongs to (DOMAIN.md: land is a resource; buildings,
# equipment, investments and funds usually earn income). A school building is chosen as non-operating.
DEFAULT_CATEGORY: dict[str, AssetCategory] = {
    "land": AssetCategory.RESOURCE,
    "building": AssetCategory.OPERATING,
    "equipment": AssetCategory.OPERATING,
    "investment": AssetCategory.OPERATING,
    "fund": AssetCategory.OPERATING,
}
COMMON_FIELDS = ("code", "name", "category", "status", "location", "acquired_on", "acquisition_value", "note")
UPDATABLE_FIELDS = ("name", "status", "location", "note")
# The audit log's view of an asset: its common fields and its kind's own.
AUDITED = ["id", "village_id", *COMMON_FIELDS, "current_value"]

CODE_MAX_LENGTH = 30
NAME_MAX_LENGTH = 200
LOCATION_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 2000
TEXT_FIELD_MAX_LENGTH = 200
BASIS_MAX_LENGTH = 300
TITLE_MAX_LENGTH = 200
AREA_MAX = Decimal("9999999999.99")

DOCUMENT_TYPES = frozenset({PDF, JPEG, PNG})
DOCUMENT_MAX_BYTES = 10 * MEGABYTE
# A request carrying a document is cut off past this (the file at its largest and the form's fields).
DOCUMENT_UPLOAD_MAX_BYTES = DOCUMENT_MAX_BYTES + MEGABYTE


def kind_of(asset: Asset) -> str:
    """The kind key of an asset (its concrete model), or "" for a bare Asset."""
    model = asset.get_real_instance_class() if asset.polymorphic_ctype_id else type(asset)
    for key, kind_model in ASSET_KINDS.items():
        if model is kind_model:
            return key
    return ""


def _refuse_unless_manager(actor: User, village: Village) -> None:
    refuse_unless(
        actor,
        Action.MANAGE_ASSETS,
        village,
        _("Only village officials, the accountant and the head of the collective keep the asset register."),
    )


def _positive_measure(value: Any, *, field: str) -> Decimal:
    try:
        number = Decimal(str(value)) if value is not None and value != "" else None
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or number <= 0:
        raise ValidationError(_("Give %(field)s as a number more than zero.") % {"field": field})
    if number != number.quantize(CENT) or number > AREA_MAX:
        raise ValidationError(
            _("Give %(field)s with at most two decimal places, and not too large.") % {"field": field}
        )
    return number.quantize(CENT)


def _optional_text(value: Any, max_length: int) -> str:
    return clean_text(str(value or ""), max_length=max_length, empty=None, too_long=str(TOO_LONG))


def _kind_values(kind: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The kind's own fields from `values`, checked."""
    if kind == "land":
        land_use = values.get("land_use") or ""
        if land_use not in LandUse.values:
            raise ValidationError(_("Choose what the land is used for."))
        return {
            "area_mu": _positive_measure(values.get("area_mu"), field=_("the area (亩)")),
            "land_use": land_use,
        }
    if kind == "building":
        return {
            "floor_area_m2": _positive_measure(values.get("floor_area_m2"), field=_("the floor area (m²)"))
        }
    if kind == "equipment":
        raw = values.get("quantity")
        try:
            quantity = int(str(raw)) if raw not in (None, "") else 1
        except (TypeError, ValueError):
            quantity = 0
        if not 1 <= quantity <= 1_000_000:
            raise ValidationError(_("Give the quantity as a whole number of at least 1."))
        return {
            "model_name": _optional_text(values.get("model_name"), TEXT_FIELD_MAX_LENGTH),
            "quantity": quantity,
        }
    if kind == "investment":
        investee = clean_text(
            str(values.get("investee") or ""),
            max_length=TEXT_FIELD_MAX_LENGTH,
            empty=_("Say what the collective invested in."),
            too_long=str(TOO_LONG),
        )
        stake = values.get("stake_percent")
        stake_percent: Decimal | None = None
        if stake not in (None, ""):
            stake_percent = _positive_measure(stake, field=_("the stake (%)"))
            if stake_percent > 100:
                raise ValidationError(_("A stake is at most 100%."))
        return {"investee": investee, "stake_percent": stake_percent}
    if kind == "fund":
        return {
            "bank": _optional_text(values.get("bank"), TEXT_FIELD_MAX_LENGTH),
            "purpose": _optional_text(values.get("purpose"), TEXT_FIELD_MAX_LENGTH),
        }
    raise ValidationError(
        _("Choose the kind of asset: land, a building, equipment, an investment or a fund.")
    )


def _status(value: Any, *, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValidationError(_("Choose the asset's status."))
    return str(value)


def _asset_snapshot(asset: Asset, kind: str) -> dict[str, Any]:
    return snapshot(asset, AUDITED + list(KIND_FIELDS.get(kind, ())))


@transaction.atomic
def asset_create(*, actor: User, village: Village, kind: str, values: Mapping[str, Any]) -> Asset:
    """Enter an asset of `kind` ("land", "building", "equipment", "investment", "fund") in the
    village's register. `values`: code (unique in the village), name, category (the kind's usual
    one if not given), status (in use or idle: a lease sets "leased"), location, acquired_on (not
    after today), acquisition_value (¥, not negative; the current value starts at it), note, and
    the kind's own fields (KIND_FIELDS)."""
    _refuse_unless_manager(actor, village)
    if kind not in ASSET_KINDS:
        raise ValidationError(
            _("Choose the kind of asset: land, a building, equipment, an investment or a fund.")
        )
    code = clean_text(
        str(values.get("code") or ""),
        max_length=CODE_MAX_LENGTH,
        empty=_("Give the asset its number in the register (资产编号)."),
        too_long=str(TOO_LONG),
    )
    name = clean_text(
        str(values.get("name") or ""),
        max_length=NAME_MAX_LENGTH,
        empty=_("Name the asset."),
        too_long=str(TOO_LONG),
    )
    category = values.get("category") or DEFAULT_CATEGORY[kind]
    if category not in AssetCategory.values:
        raise ValidationError(_("Choose the asset's category: resource, operating or non-operating."))
    status = _status(
        values.get("status") or AssetStatus.IN_USE, allowed=(AssetStatus.IN_USE, AssetStatus.IDLE)
    )
    acquired_on = values.get("acquired_on")
    if acquired_on is not None and not isinstance(acquired_on, date):
        raise ValidationError(_("Give the day the asset was acquired as a date."))
    if acquired_on is not None:
        not_after_today(acquired_on, what=_("The asset's acquisition"))
    value = amount(values.get("acquisition_value", Decimal("0")), field=_("The original value"))
    if Asset.objects.filter(village=village, code=code).exists():
        raise ValidationError(
            _("The number %(code)s is already used by another asset of this village: give another.")
            % {"code": code}
        )
    model = ASSET_KINDS[kind]
    asset = model(
        village=village,
        code=code,
        name=name,
        category=category,
        status=status,
        location=_optional_text(values.get("location"), LOCATION_MAX_LENGTH),
        acquired_on=acquired_on,
        acquisition_value=value,
        current_value=value,
        note=_optional_text(values.get("note"), NOTE_MAX_LENGTH),
        created_by=actor,
        created_at=timezone.now(),
        **_kind_values(kind, values),
    )
    try:
        with transaction.atomic():
            asset.save()
    except IntegrityError:
        # Another official entered the same number at the same moment.
        raise ValidationError(
            _("The number %(code)s is already used by another asset of this village: give another.")
            % {"code": code}
        ) from None
    audit_record(
        actor=actor, village=village, action="asset.create", target=asset, after=_asset_snapshot(asset, kind)
    )
    return asset


def has_active_contract(asset: Asset, *, on: date | None = None, excluding: Contract | None = None) -> bool:
    """Whether a contract on the asset is not over on `on` (today): not terminated, and its term
    not ended (one that starts later counts)."""
    day = on or timezone.localdate()
    contracts = Contract.objects.filter(asset_id=asset.pk, terminated_on__isnull=True, ends_on__gte=day)
    if excluding is not None:
        contracts = contracts.exclude(pk=excluding.pk)
    return contracts.exists()


@transaction.atomic
def asset_update(*, actor: User, asset: Asset, values: Mapping[str, Any]) -> Asset:
    """Change an asset's name, status, location, note and its kind's own fields. Not its number,
    category or values (a valuation changes the value). While a contract on it runs it stays
    "leased"; "leased" is set by a contract, not by hand."""
    locked = Asset.objects.select_for_update().get(pk=asset.pk).get_real_instance()
    village = locked.village
    _refuse_unless_manager(actor, village)
    kind = kind_of(locked)
    name = clean_text(
        str(values.get("name") or ""),
        max_length=NAME_MAX_LENGTH,
        empty=_("Name the asset."),
        too_long=str(TOO_LONG),
    )
    status = str(values.get("status") or locked.status)
    if status not in AssetStatus.values:
        raise ValidationError(_("Choose the asset's status."))
    if status != locked.status:
        if has_active_contract(locked):
            raise ValidationError(
                _(
                    "A contract on this asset is running: it stays leased until the contract ends or "
                    "is terminated."
                )
            )
        if status == AssetStatus.LEASED:
            raise ValidationError(
                _("An asset becomes leased when its contract is recorded: record the contract.")
            )
    changes: dict[str, Any] = {
        "name": name,
        "status": status,
        "location": _optional_text(values.get("location"), LOCATION_MAX_LENGTH),
        "note": _optional_text(values.get("note"), NOTE_MAX_LENGTH),
        **_kind_values(kind, {**{f: getattr(locked, f) for f in KIND_FIELDS[kind]}, **values}),
    }
    changes = {key: value for key, value in changes.items() if getattr(locked, key) != value}
    if not changes:
        return locked
    return audited_update(
        locked,
        actor=actor,
        village=village,
        action="asset.update",
        changes=changes,
        fields=AUDITED + list(KIND_FIELDS[kind]),
    )


@transaction.atomic
def valuation_record(*, actor: User, asset: Asset, valued_on: date, value: Decimal, basis: str) -> Valuation:
    """Record a valuation of the asset (not after today; ¥, not negative) with its basis. The
    asset's current value becomes the value of its latest valuation (by `valued_on`; of two on one
    day, the one recorded last): an older valuation entered later is kept as history only."""
    locked = Asset.objects.select_for_update().select_related("village").get(pk=asset.pk)
    village = locked.village
    _refuse_unless_manager(actor, village)
    if not isinstance(valued_on, date):
        raise ValidationError(_("Give the day of the valuation."))
    not_after_today(valued_on, what=_("A valuation"))
    valued = amount(value, field=_("The value"))
    basis = clean_text(
        basis,
        max_length=BASIS_MAX_LENGTH,
        empty=_("Give the basis of the valuation (who valued it, how)."),
        too_long=str(TOO_LONG),
    )
    valuation = Valuation.objects.create(
        asset=locked,
        valued_on=valued_on,
        value=valued,
        basis=basis,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit_record(
        actor=actor, village=village, action="valuation.record", target=valuation, after=snapshot(valuation)
    )
    latest = (
        Valuation.objects.filter(asset=locked)
        .order_by("-valued_on", "-id")
        .values_list("value", flat=True)[0]
    )
    if latest != locked.current_value:
        audited_update(
            locked,
            actor=actor,
            village=village,
            action="asset.revalue",
            changes={"current_value": latest},
            fields=["id", "code", "current_value"],
        )
    return valuation


@dataclass(frozen=True)
class DocumentUpload:
    """A checked file (`validated_upload`) with the name the uploader gave it."""

    upload: ValidatedUpload
    name: str


def display_name(name: str) -> str:
    """The uploader's file name fit to show: no path, no control characters, at most 200."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip(" .")
    return cleaned[:TITLE_MAX_LENGTH] or _("file")


@transaction.atomic
def asset_document_add(*, actor: User, asset: Asset, title: str, file: DocumentUpload) -> AssetDocument:
    """Attach a document (title deed, contract scan, photo: PDF, JPEG or PNG of at most 10 MB,
    checked by `consultations.uploads.validated_upload`, photos without their metadata) to the
    asset. The file is stored under a random name and served only through a permission check."""
    locked = Asset.objects.select_for_update().select_related("village").get(pk=asset.pk)
    village = locked.village
    _refuse_unless_manager(actor, village)
    upload = file.upload
    if upload.content_type not in DOCUMENT_TYPES or upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(_("A document must be a PDF, JPEG or PNG file of at most 10 MB."))
    title = clean_text(
        title or display_name(file.name),
        max_length=TITLE_MAX_LENGTH,
        empty=_("Give the document a title."),
        too_long=str(TOO_LONG),
    )
    document = AssetDocument(
        asset=locked,
        title=title,
        original_name=display_name(file.name),
        content_type=upload.content_type,
        size=upload.size,
        sha256=upload.sha256,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    stored: list[str] = []
    try:
        document.file.save(stored_name(upload), ContentFile(upload.content), save=False)
        stored.append(document.file.name)
        document.save()
        fields = ["id", "asset_id", "title", "original_name", "content_type", "size", "sha256"]
        audit_record(
            actor=actor,
            village=village,
            action="asset_document.add",
            target=document,
            after=snapshot(document, fields) | {"file": document.file.name},
        )
    except BaseException:
        # The row rolls back with the transaction; the file would stay on disk without this.
        uploads_discard(stored)
        raise
    return document
