"""Forms of the attendance pages. They check the shape of the input; the service checks the rules."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from villagegov.models import Person, Village

# Far above any id the database hands out, far below what it would refuse to compare.
MAX_ID = 2**53


class AttendanceSearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), max_length=50, required=False)


class AttendanceRecordForm(forms.Form):
    person = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)

    def __init__(self, *args: Any, village: Village, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.village = village

    def clean_person(self) -> Person:
        person = (
            Person.objects.select_related("household")
            .filter(pk=self.cleaned_data["person"], village=self.village)
            .first()
        )
        if person is None:
            raise forms.ValidationError(_("This person is not on this village's roster."))
        return person
