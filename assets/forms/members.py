"""Forms of the members pages. They check the shape of the input; the services check the rules."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assets.imports import MAX_IMPORT_BYTES
from assets.models import JoinReason, LeaveReason
from assets.services.members import NAME_MAX_LENGTH, NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from consultations.models import Resolution
from villagegov.formats import local_date
from villagegov.forms.fields import date_field
from villagegov.forms.roster import person_option_value, pick_person
from villagegov.models import Person


class ResolutionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        held = local_date(timezone.localdate(obj.session.starts_at))
        return f"{obj.title} · {obj.session.council.name} · {held}"


def shares_field(label: Any, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=10,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
        **kwargs,
    )


class _WithResolutions(forms.Form):
    def __init__(self, *args: Any, resolutions: QuerySet[Resolution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        resolution_field = self.fields["resolution"]
        assert isinstance(resolution_field, forms.ModelChoiceField)
        resolution_field.queryset = resolutions


class MemberAdmitForm(_WithResolutions):
    person = forms.CharField(
        label=_("Person"),
        max_length=80,
        help_text=_("Start typing a name and pick the person from the list."),
        widget=forms.TextInput(attrs={"list": "person-options", "autocomplete": "off"}),
    )
    shares = shares_field(_("Shares (股份)"), help_text=_("More than 0, to two decimal places at most."))
    joined_on = date_field(_("Member since (入社日期)"), initial=timezone.localdate)
    join_reason = forms.ChoiceField(
        label=_("Reason for joining"), choices=[("", _("(choose)")), *JoinReason.choices]
    )
    resolution = ResolutionChoiceField(
        label=_("Confirmed by the resolution"),
        queryset=Resolution.objects.none(),
        help_text=_(
            "A published resolution of the members' assembly (成员大会) "
            "or members' representatives (成员代表大会)."
        ),
    )
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX_LENGTH, required=False)

    def __init__(
        self, *args: Any, candidates: QuerySet[Person], resolutions: QuerySet[Resolution], **kwargs: Any
    ) -> None:
        super().__init__(*args, resolutions=resolutions, **kwargs)
        self.candidates = candidates

    option_value = staticmethod(person_option_value)

    def clean_person(self) -> Person:
        return pick_person(self.cleaned_data["person"], self.candidates)


class ShareChangeForm(_WithResolutions):
    shares = shares_field(_("New number of shares"), help_text=_("0 or more, to two decimal places at most."))
    effective_on = date_field(_("Takes effect on"), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX_LENGTH)
    resolution = ResolutionChoiceField(
        label=_("Decided by the resolution"),
        queryset=Resolution.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )


class MemberLeaveForm(forms.Form):
    left_on = date_field(_("Left on"), initial=timezone.localdate)
    # No preselected reason: one careless tap must not record a death.
    reason = forms.ChoiceField(
        label=_("Reason for leaving"), choices=[("", _("(choose)")), *LeaveReason.choices]
    )
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX_LENGTH, required=False)


class CollectiveForm(forms.Form):
    name = forms.CharField(label=_("Registered name"), max_length=NAME_MAX_LENGTH)
    reserve_rate = forms.DecimalField(
        label=_("Reserve and welfare fund rate (公积公益金提取比例, %)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
        help_text=_("The part of the year's income set aside before distribution, as the charter says."),
    )
    vouchers_need_review = forms.BooleanField(
        label=_("Vouchers enter the books only after the supervision committee's review"),
        required=False,
        help_text=_(
            "Recommended. If you turn this off, the accountant posts vouchers to the books directly and the "
            "supervision committee checks them only afterwards."
        ),
    )


class MemberImportForm(_WithResolutions):
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        help_text=_("At most 5 MB. Download the template below to see the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    # The members' assembly confirms members, one by one or the whole register at once.
    resolution = ResolutionChoiceField(
        label=_("Confirmed by the resolution"),
        queryset=Resolution.objects.none(),
        help_text=_(
            "A published resolution of the members' assembly (成员大会) "
            "or members' representatives (成员代表大会)."
        ),
    )

    max_bytes = MAX_IMPORT_BYTES
