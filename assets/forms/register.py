"""Forms of the asset register. They check the shape of the input; the services check the rules."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from assets.forms.fields import money_field
from assets.models import AssetCategory, AssetStatus, LandUse
from assets.services.register import (
    BASIS_MAX_LENGTH,
    CODE_MAX_LENGTH,
    DOCUMENT_MAX_BYTES,
    DOCUMENT_TYPES,
    LOCATION_MAX_LENGTH,
    NAME_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    TEXT_FIELD_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    DocumentUpload,
)
from consultations.uploads import validated_upload
from villagegov.forms.fields import DateInput

DATE = DateInput()


def measure_field(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=required,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


# Each kind's own fields, for the create and update forms.
def _kind_fields(kind: str) -> dict[str, forms.Field]:
    if kind == "land":
        return {
            "area_mu": measure_field(_("Area (亩)")),
            "land_use": forms.ChoiceField(label=_("Use"), choices=LandUse.choices),
        }
    if kind == "building":
        return {"floor_area_m2": measure_field(_("Floor area (m²)"))}
    if kind == "equipment":
        return {
            "model_name": forms.CharField(
                label=_("Make and model"), max_length=TEXT_FIELD_MAX_LENGTH, required=False
            ),
            "quantity": forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1_000_000, initial=1),
        }
    if kind == "investment":
        return {
            "investee": forms.CharField(label=_("Invested in"), max_length=TEXT_FIELD_MAX_LENGTH),
            "stake_percent": forms.DecimalField(
                label=_("Stake (%)"),
                max_digits=5,
                decimal_places=2,
                min_value=0,
                max_value=100,
                required=False,
            ),
        }
    if kind == "fund":
        return {
            "bank": forms.CharField(
                label=_("Bank or where it is held"), max_length=TEXT_FIELD_MAX_LENGTH, required=False
            ),
            "purpose": forms.CharField(label=_("Purpose"), max_length=TEXT_FIELD_MAX_LENGTH, required=False),
        }
    return {}


class AssetUpdateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX_LENGTH)
    status = forms.ChoiceField(label=_("Status"), choices=AssetStatus.choices)
    location = forms.CharField(label=_("Location"), max_length=LOCATION_MAX_LENGTH, required=False)
    note = forms.CharField(
        label=_("Note"), max_length=NOTE_MAX_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_kind_fields(kind))


class AssetForm(AssetUpdateForm):
    code = forms.CharField(label=_("Asset number (资产编号)"), max_length=CODE_MAX_LENGTH)
    category = forms.ChoiceField(label=_("Category"), choices=AssetCategory.choices)
    acquired_on = forms.DateField(label=_("Acquired"), required=False, widget=DATE)
    acquisition_value = money_field(
        _("Original value (原值, ¥)"), help_text=_("The current value starts at it; a valuation changes it.")
    )
    field_order = ["code", "name", "category", "status", "location", "acquired_on", "acquisition_value"]

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, kind=kind, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [
            (AssetStatus.IN_USE, AssetStatus.IN_USE.label),
            (AssetStatus.IDLE, AssetStatus.IDLE.label),
        ]
        self.order_fields([*self.field_order, *_kind_fields(kind), "note"])


class ValuationForm(forms.Form):
    valued_on = forms.DateField(label=_("Valued on"), widget=DATE)
    value = money_field(_("Value (¥)"))
    basis = forms.CharField(
        label=_("Basis (评估依据)"),
        max_length=BASIS_MAX_LENGTH,
        help_text=_("Who valued it and how, e.g. the appraiser's report number."),
    )


DOCUMENT_ACCEPT = {"accept": "application/pdf,image/jpeg,image/png"}


class DocumentFileField(forms.FileField):
    """One file, checked by its content (PDF, JPEG or PNG, at most 10 MB); a photo loses its
    metadata (the place it was taken). Cleaned to a DocumentUpload."""

    def clean(self, data: Any, initial: Any = None) -> DocumentUpload | None:
        file = super().clean(data, initial)
        if not file:
            return None
        if not isinstance(file, UploadedFile):
            raise ValidationError(_("This is not a file."), code="invalid")
        upload = validated_upload(
            file, allowed_types=DOCUMENT_TYPES, max_bytes=DOCUMENT_MAX_BYTES, strip_metadata=True
        )
        return DocumentUpload(upload=upload, name=file.name or "")


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        required=False,
        help_text=_("E.g. title deed, land certificate. The file's name if left empty."),
    )
    document = DocumentFileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs=DOCUMENT_ACCEPT),
    )


class AssetFilterForm(forms.Form):
    """The list's filters; anything unknown is ignored (cleaned to empty)."""

    kind = forms.CharField(required=False)
    category = forms.CharField(required=False)
    status = forms.CharField(required=False)
    q = forms.CharField(required=False, max_length=100)
