"""Forms of the vote pages. They check the shape of the input; the services check the rules."""

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.models import Poll, PollKind, PollMethod, PollOption

# Far above any id the database hands out, far below what it would refuse to compare.
MAX_ID = 2**53
MAX_COUNT = 10**6


class PollCreateForm(forms.Form):
    question = forms.CharField(label=_("Question put to the vote"), max_length=300)
    method = forms.ChoiceField(
        label=_("How people vote"), choices=PollMethod.choices, initial=PollMethod.ELECTRONIC
    )
    secret = forms.BooleanField(
        label=_("Secret ballot (无记名): nobody can see who chose what"), required=False
    )
    allow_change = forms.BooleanField(
        label=_("Voters may change their vote until the close (named electronic ballots only)"),
        required=False,
    )


class VoteForm(forms.Form):
    """The ballot: radio buttons for one answer, checkboxes for several seats. `client_id` is made
    fresh for each page so that pressing the button twice records one ballot."""

    client_id = forms.CharField(
        max_length=64,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"max_length": _("The request id is not valid.")},
    )
    for_person = forms.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            key: _("You do not hold a written proxy for this person in this vote.")
            for key in ("invalid", "min_value", "max_value")
        },
    )

    def __init__(self, *args: Any, poll: Poll, options: list[PollOption], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.poll = poll
        self.fields["client_id"].initial = uuid.uuid4().hex
        option_choices = [(option.pk, option.label) for option in options]
        choice_errors = {
            "required": _("Choose an answer before you vote."),
            "invalid_choice": _("These are not options of this vote."),
            "invalid_list": _("These are not options of this vote."),
        }
        if poll.kind == PollKind.MULTIPLE_CHOICE:
            self.fields["choices"] = forms.TypedMultipleChoiceField(
                label=_("Your choice"),
                choices=option_choices,
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Choose up to %(n)d.") % {"n": poll.max_choices},
                error_messages=choice_errors,
            )
        else:
            self.fields["choices"] = forms.TypedChoiceField(
                label=_("Your choice"),
                choices=option_choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages=choice_errors,
            )

    def chosen(self) -> list[int]:
        value = self.cleaned_data["choices"]
        return list(value) if isinstance(value, list) else [value]


class CountForm(forms.Form):
    """The counts of a show of hands or of paper ballots, one field per option."""

    tellers = forms.CharField(
        label=_("Tellers (计票人、监票人)"),
        max_length=300,
        help_text=_("The names of the people who counted and checked the count."),
    )

    def __init__(self, *args: Any, poll: Poll, options: list[PollOption], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.poll = poll
        self.options = options
        if poll.kind != PollKind.YES_NO:
            self.fields["votes_cast"] = forms.IntegerField(
                label=_("Ballots cast"), min_value=0, max_value=MAX_COUNT
            )
        for option in options:
            self.fields[f"option_{option.pk}"] = forms.IntegerField(
                label=option.label, min_value=0, max_value=MAX_COUNT
            )

    def counts(self) -> dict[int, int]:
        return {option.pk: self.cleaned_data[f"option_{option.pk}"] for option in self.options}
