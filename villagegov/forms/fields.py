"""Form fields shared by the app's forms."""

from typing import TYPE_CHECKING, Any

from django import forms

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label: "StrOrPromise", *, required: bool = True, **kwargs: Any) -> forms.DateField:
    # Browsers send <input type=date> as ISO dates whatever the page's language.
    return forms.DateField(
        label=label, required=required, widget=DateInput(), input_formats=["%Y-%m-%d"], **kwargs
    )
