"""Forms of the distribution pages. They check the shape of the input; the services check the rules."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assets.forms.fields import money_field
from assets.models import PaymentMethod
from assets.services.distributions import REFERENCE_MAX_LENGTH, TITLE_MAX_LENGTH
from consultations.models import Session
from villagegov.forms.fields import DateInput

DATE_INPUT = DateInput()


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    year = forms.IntegerField(label=_("Financial year"), min_value=2000, max_value=2100)
    record_date = forms.DateField(
        label=_("Share record date (股权登记日)"),
        widget=DATE_INPUT,
        help_text=_("Members and shares are taken from the register as it stood on this day."),
    )
    losses_made_up = money_field(_("Losses made up first (弥补亏损, ¥)"), initial=0)


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Session) -> str:
        when = timezone.localtime(obj.starts_at).strftime("%Y-%m-%d %H:%M")
        return f"{obj.title} · {obj.council.name} · {when}"


class ProposeForm(forms.Form):
    session = SessionChoiceField(
        label=_("Meeting"),
        queryset=Session.objects.none(),
        empty_label=None,
        help_text=_(
            "Sessions of the members' assembly meeting at least 10 days after the plan was published."
        ),
    )

    def __init__(self, *args: Any, sessions: list[Session], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["session"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Session.objects.filter(pk__in=[session.pk for session in sessions])
            .select_related("council")
            .order_by("starts_at", "pk")
        )


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE_INPUT)
    method = forms.ChoiceField(
        label=_("How it was paid"), choices=PaymentMethod.choices, initial=PaymentMethod.BANK
    )
    reference = forms.CharField(
        label=_("Receipt or bank reference"), max_length=REFERENCE_MAX_LENGTH, required=False
    )
