"""Form fields shared by the app's forms."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_noop

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


# Django's forms end every label with gettext(":"). Naming it here puts it in our catalogue, where
# zh-Hans gives it the full-width colon a Chinese label takes (Django's own catalogue does not).
gettext_noop(":")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label: "StrOrPromise", *, required: bool = True, **kwargs: Any) -> forms.DateField:
    # Browsers send <input type=date> as ISO dates whatever the page's language.
    return forms.DateField(
        label=label, required=required, widget=DateInput(), input_formats=["%Y-%m-%d"], **kwargs
    )
