"""Forms of the contract pages. They check the shape of the input; the services check the rules."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from assets.forms.fields import money_field
from assets.forms.register import DATE
from assets.models import Asset, ContractKind, PaymentMethod
from assets.services.contracts import (
    COUNTERPARTY_MAX_LENGTH,
    LAST_YEAR,
    NOTE_MAX_LENGTH,
    NUMBER_MAX_LENGTH,
    PERIOD_LABELS,
    PHONE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    REFERENCE_MAX_LENGTH,
    term_refusal,
)
from consultations.models import Resolution


class AssetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


class ResolutionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        day = obj.published_at.date().isoformat() if obj.published_at else ""
        return f"{obj.title} ({obj.session.council.name}, {day})"


class ContractForm(forms.Form):
    asset = AssetChoiceField(label=_("Asset"), queryset=Asset.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=ContractKind.choices)
    number = forms.CharField(label=_("Contract number"), max_length=NUMBER_MAX_LENGTH)
    counterparty = forms.CharField(label=_("Lessee or contractor"), max_length=COUNTERPARTY_MAX_LENGTH)
    counterparty_phone = forms.CharField(label=_("Phone"), max_length=PHONE_MAX_LENGTH, required=False)
    starts_on = forms.DateField(label=_("Term starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Term ends"), widget=DATE)
    amount = money_field(_("Rent per period (¥)"))
    period = forms.ChoiceField(label=_("Rent is due"), choices=list(PERIOD_LABELS.items()))
    first_due_on = forms.DateField(
        label=_("First rent due on"),
        widget=DATE,
        help_text=_("Then on the same day of the month each period, up to the end of the term."),
    )
    resolution = ResolutionChoiceField(
        label=_("Approved by the resolution"),
        queryset=Resolution.objects.none(),
        help_text=_(
            "A published resolution of the villagers' assembly (or of the representatives' meeting it "
            "delegated to) on leasing collective property (Organic Law Art. 24)."
        ),
    )
    note = forms.CharField(
        label=_("Note"), max_length=NOTE_MAX_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    publish = forms.BooleanField(
        label=_("Publish it on the disclosure board (租赁承包)"), required=False, initial=True
    )

    def __init__(
        self,
        *args: Any,
        assets: QuerySet[Asset],
        resolutions: list[Resolution],
        may_publish: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        asset_field = self.fields["asset"]
        resolution_field = self.fields["resolution"]
        assert isinstance(asset_field, forms.ModelChoiceField)
        assert isinstance(resolution_field, forms.ModelChoiceField)
        asset_field.queryset = assets
        resolution_field.queryset = Resolution.objects.filter(
            pk__in=[r.pk for r in resolutions]
        ).select_related("session__council")
        if not may_publish:
            del self.fields["publish"]

    def clean_amount(self) -> Any:
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("The rent must be more than zero."))
        return amount

    def _within_calendar(self, name: str) -> Any:
        day = self.cleaned_data[name]
        if day is not None and day.year > LAST_YEAR:
            raise forms.ValidationError(_("Give a day in %(last)d or earlier.") % {"last": LAST_YEAR})
        return day

    def clean_starts_on(self) -> Any:
        return self._within_calendar("starts_on")

    def clean_ends_on(self) -> Any:
        return self._within_calendar("ends_on")

    def clean_first_due_on(self) -> Any:
        return self._within_calendar("first_due_on")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on is not None and ends_on is not None:
            refusal = term_refusal(starts_on, ends_on)
            if refusal is not None:
                self.add_error("ends_on", refusal)
        return cleaned


class ReceiptForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    amount = money_field(_("Amount received (¥)"))
    method = forms.ChoiceField(label=_("How it was paid"), choices=PaymentMethod.choices)
    reference = forms.CharField(
        label=_("Receipt or bank reference"), max_length=REFERENCE_MAX_LENGTH, required=False
    )

    def clean_amount(self) -> Any:
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("The amount must be more than zero."))
        return amount


class TerminateForm(forms.Form):
    terminated_on = forms.DateField(label=_("Terminated on"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
