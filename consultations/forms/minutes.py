"""Forms of the minutes pages. They check the shape of the input; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.services.minutes import NOTES_MAX_LENGTH
from consultations.services.resolutions import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH


class MinutesNotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Clerk's notes"),
        max_length=NOTES_MAX_LENGTH,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "What the records do not say: the main points of the discussion, undertakings, anything else."
        ),
    )

    def clean_notes(self) -> str:
        # A form always sends the box, even empty (which clears the notes); a request without it is
        # not this form's.
        if self.add_prefix("notes") not in self.data:
            raise forms.ValidationError(_("The notes are missing: send the form from the page."))
        notes: str = self.cleaned_data["notes"]
        return notes


class ResolutionForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the resolution"),
        max_length=TITLE_MAX_LENGTH,
        required=False,
        help_text=_("Left empty, the agenda item's title."),
    )
    text = forms.CharField(
        label=_("Text of the resolution"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Left empty, the text of the motion."),
    )
