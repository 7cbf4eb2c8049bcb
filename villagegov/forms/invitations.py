import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from villagegov.services.invitations import INVITATION_ALPHABET, INVITATION_CODE_LENGTH

SEPARATORS = re.compile(r"[\s\-]")


class InvitationCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Invitation code"),
        max_length=32,
        help_text=_("The 8 letters and digits on the paper from the village committee."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        # Typed from paper: accept lower case, spaces, dashes and full-width characters.
        code = SEPARATORS.sub("", unicodedata.normalize("NFKC", self.cleaned_data["code"])).upper()
        if len(code) != INVITATION_CODE_LENGTH or any(char not in INVITATION_ALPHABET for char in code):
            raise forms.ValidationError(
                _("An invitation code has 8 letters and digits, for example 7KQ3 MX9P. Please check it."),
                code="malformed",
            )
        return code
