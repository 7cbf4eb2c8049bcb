"""The form of a written proxy (书面委托). The service checks the body's rules."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from villagegov.models import Person


class ProxyForm(forms.Form):
    grantor = forms.TypedChoiceField(label=_("Member who cannot attend"), coerce=int)
    holder = forms.TypedChoiceField(label=_("Votes for them (same household)"), coerce=int)
    document = forms.CharField(
        label=_("Where the signed proxy is kept"),
        max_length=300,
        help_text=_("For example: the clerk's folder of this meeting."),
    )

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        choices = [("", "—")] + [
            (person.pk, f"{person.name} · {person.household.number if person.household else '—'}")
            for person in people
        ]
        self.fields["grantor"].choices = choices  # type: ignore[attr-defined]
        self.fields["holder"].choices = choices  # type: ignore[attr-defined]

    def person(self, name: str) -> Person:
        return self.people[self.cleaned_data[name]]
