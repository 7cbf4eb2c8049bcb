"""Forms of the democratic appraisal and of the village's disclosure rhythm. They check the shape
of the input; the services check the law's rules."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models import Session
from supervision.services.appraisal import MAX_COUNT
from villagegov.formats import local_date


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        held = local_date(timezone.localdate(obj.starts_at))
        return f"{obj.title} · {obj.council.name} · {held}"


def _this_year() -> int:
    return timezone.localdate().year


class AppraisalForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year appraised"),
        min_value=2000,
        max_value=2100,
        initial=_this_year,
        help_text=_("Once a year: the year of the session or the one before it."),
    )
    session = SessionChoiceField(
        label=_("Held at the session"),
        queryset=Session.objects.none(),
        help_text=_("A session of this village's 村民会议 or 村民代表会议 that is in progress or was held."),
    )

    def __init__(self, *args: Any, sessions: QuerySet[Session], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        session_field = self.fields["session"]
        assert isinstance(session_field, forms.ModelChoiceField)
        session_field.queryset = sessions


def _count_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_COUNT,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class AppraisalResultForm(forms.Form):
    competent = _count_field(_("Rated competent (称职)"))
    basically_competent = _count_field(_("Rated basically competent (基本称职)"))
    incompetent = _count_field(_("Rated incompetent (不称职)"))


class DisclosurePolicyForm(forms.Form):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"

    finances = forms.ChoiceField(
        label=_("Disclose the finances"),
        choices=[(MONTHLY, _("every month")), (QUARTERLY, _("every quarter"))],
        widget=forms.RadioSelect,
    )

    @property
    def monthly(self) -> bool:
        return bool(self.cleaned_data["finances"] == self.MONTHLY)
