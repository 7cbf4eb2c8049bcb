"""The delegations (授权) of a village: which matters its representatives may decide."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.forms.delegations import DelegationForm, DelegationRevokeForm
from consultations.models import Delegation
from consultations.selectors.delegations import village_delegations
from consultations.services import delegations as services
from villagegov.models import Village
from villagegov.permissions import Action
from villagegov.views.base import acting_user, roles_allow, village_view


def _render(request: HttpRequest, village: Village, *, status: int = 200, **forms: Any) -> HttpResponse:
    context = {
        "delegations": village_delegations(village),
        "manages": roles_allow(request, Action.MANAGE_COUNCILS),
        "form": forms.get("form") or DelegationForm(),
        "revoke_errors": forms.get("revoke_errors"),
        "revoke_form": DelegationRevokeForm(),
    }
    return render(request, "consultations/delegation_list.html", context, status=status)


@village_view(Action.VIEW_VILLAGE)
def delegation_list(request: HttpRequest, village: Village) -> HttpResponse:
    return _render(request, village)


@village_view(Action.MANAGE_COUNCILS)
@require_POST
def delegation_record(request: HttpRequest, village: Village) -> HttpResponse:
    form = DelegationForm(request.POST)
    if form.is_valid():
        try:
            services.delegation_record(actor=acting_user(request), village=village, **form.cleaned_data)
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The delegation was recorded."))
            return redirect("delegation_list", village.admin_code)
    return _render(request, village, status=400, form=form)


@village_view(Action.MANAGE_COUNCILS)
@require_POST
def delegation_revoke(request: HttpRequest, village: Village, delegation_id: int) -> HttpResponse:
    delegation = get_object_or_404(Delegation, pk=delegation_id, village=village)
    form = DelegationRevokeForm(request.POST)
    if form.is_valid():
        try:
            services.delegation_revoke(
                actor=acting_user(request), delegation=delegation, revoked_on=form.cleaned_data["revoked_on"]
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The delegation was revoked."))
            return redirect("delegation_list", village.admin_code)
    errors = [error for errors in form.errors.values() for error in errors]
    return _render(request, village, status=400, revoke_errors=errors)
