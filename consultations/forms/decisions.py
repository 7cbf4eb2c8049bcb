"""Forms of the major-decision pages (四议两公开). They check the shape of the input; the service
checks the order of the steps and their dates."""

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.matters import Matter
from consultations.models import DecisionStepKind, Poll
from consultations.services.decisions import DOCUMENT_MAX_LENGTH, PARTICIPANTS_MAX_LENGTH, TITLE_MAX_LENGTH
from villagegov.formats import local_date
from villagegov.forms.fields import date_field

EARLIEST_YEAR = 2000


class DecisionProcessForm(forms.Form):
    title = forms.CharField(label=_("Matter to be decided"), max_length=TITLE_MAX_LENGTH)
    matter = forms.ChoiceField(
        label=_("Kind of matter (Art. 24)"),
        choices=[("", _("(none of these)")), *Matter.choices],
        required=False,
        help_text=_("If the law reserves the matter to the villagers' assembly or its representatives."),
    )


class PollChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Poll) -> str:
        session = obj.item.session
        day = local_date(timezone.localdate(obj.closed_at)) if obj.closed_at else ""
        return f"{obj.question} · {session.council.name} · {session.title} · {day}"


class DecisionStepForm(forms.Form):
    step = forms.TypedChoiceField(choices=DecisionStepKind.choices, coerce=int, widget=forms.HiddenInput)
    held_on = date_field(_("Date"))
    participants = forms.CharField(
        label=_("Who took part"),
        max_length=PARTICIPANTS_MAX_LENGTH,
        help_text=_("The body or the people, for example: the two committees, 9 members present."),
    )
    document = forms.CharField(
        label=_("Document"),
        max_length=DOCUMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was proposed, discussed or published, and where the record is kept."),
    )
    poll = PollChoiceField(
        label=_("The vote that decided it"),
        queryset=Poll.objects.none(),
        required=False,
        empty_label=_("(choose the vote)"),
        help_text=_("Closed votes that passed in the villagers' assembly or the representatives' meeting."),
    )

    def __init__(self, *args: Any, polls: QuerySet[Poll], matter: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        poll_field = self.fields["poll"]
        assert isinstance(poll_field, PollChoiceField)
        poll_field.queryset = polls
        if matter:
            poll_field.help_text = _(
                "Closed votes that passed on a motion about %(matter)s, in a body that may decide it."
            ) % {"matter": Matter(matter).label}

    def clean_held_on(self) -> date:
        held_on: date = self.cleaned_data["held_on"]
        if held_on.year < EARLIEST_YEAR:
            raise forms.ValidationError(_("Give a date from %(first)d on."), params={"first": EARLIEST_YEAR})
        return held_on
