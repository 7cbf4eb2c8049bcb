"""Forms of the disclosure board (村务公开栏). They check the shape of the input; the services check
the rules (a period for finances and general affairs, a correction in the same section)."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from supervision.models import DisclosureSection
from supervision.selectors.disclosure import DueMatter
from supervision.services.disclosure import (
    ANSWER_MAX_LENGTH,
    BODY_MAX_LENGTH,
    OBJECTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)
from villagegov.formats import local_date


def source_label(due: DueMatter) -> str:
    """How a decision waiting to be disclosed is offered: its matter, its day, what was decided."""
    closed = local_date(timezone.localdate(due.poll.closed_at)) if due.poll.closed_at else ""
    what = due.resolution.title if due.resolution is not None else due.poll.question
    return f"{due.matter.label} · {closed} · {Truncator(what).chars(60)}"


# The largest id the database can hold: a bigger number is not an item, and must not reach a query.
MAX_ID = 2**63 - 1


class DisclosureForm(forms.Form):
    section = forms.ChoiceField(label=_("Section"), choices=DisclosureSection.choices)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    content = forms.CharField(
        label=_("Content"), max_length=BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 10})
    )
    period_start = forms.DateField(
        label=_("Period from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Required for finances and general village affairs: the period the item covers."),
    )
    period_end = forms.DateField(
        label=_("Period to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    corrects = forms.IntegerField(
        label=_("Corrects item number"),
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_(
            "Only for a correction: the number of the earlier item of the same section. "
            "It stays on the board."
        ),
    )

    source = forms.ChoiceField(
        label=_("Discloses the decision"),
        required=False,
        help_text=_(
            "For a decision on a major matter, land compensation or a lease: the vote this item "
            "discloses. The schedule shows it as due until an item names it."
        ),
    )

    def __init__(self, *args: Any, sources: Sequence[DueMatter] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sources = {str(due.poll.pk): due for due in sources}
        source_field = self.fields["source"]
        assert isinstance(source_field, forms.ChoiceField)
        source_field.choices = [("", _("None"))] + [
            (key, source_label(due)) for key, due in self.sources.items()
        ]
        if not self.sources:
            source_field.widget = forms.HiddenInput()

    def clean_source(self) -> DueMatter | None:
        key = self.cleaned_data.get("source") or ""
        return self.sources.get(key)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return cleaned


class ObjectionForm(forms.Form):
    objection = forms.CharField(
        label=_("Your objection"),
        max_length=OBJECTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Only the officials who publish and you will see the text; "
            "others see how many objections there are."
        ),
    )


class ObjectionAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=ANSWER_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )
