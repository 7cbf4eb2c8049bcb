"""The form that records a delegation (授权); the service checks it against the law."""

from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.matters import DECIDED_BY
from consultations.services.delegations import DOCUMENT_MAX_LENGTH
from villagegov.forms.fields import date_field

DELEGABLE_MATTERS = [(matter.value, matter.label) for matter, rule in DECIDED_BY.items() if rule.delegable_to]
DELEGABLE_BODIES = list(
    {body.value: body.label for rule in DECIDED_BY.values() for body in rule.delegable_to}.items()
)


class DelegationForm(forms.Form):
    matter = forms.ChoiceField(label=_("Matter"), choices=DELEGABLE_MATTERS)
    body = forms.ChoiceField(label=_("Delegated to"), choices=DELEGABLE_BODIES)
    granted_on = date_field(_("Granted on"))
    document = forms.CharField(
        label=_("Granted by"),
        max_length=DOCUMENT_MAX_LENGTH,
        help_text=_(
            "The resolution of the assembly or the article of the village charter, e.g. 村民自治章程第十二条."
        ),
    )


class DelegationRevokeForm(forms.Form):
    revoked_on = date_field(_("Revoked on"))
