"""Contract pages (承包/租赁合同): the list with its filters and badges, recording a contract,
a contract's page (schedule with the state of each instalment, receipts, the forms to record rent
and to terminate), recording rent and terminating."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assets.forms.contracts import ContractForm, ReceiptForm, TerminateForm
from assets.models import Contract, RentReceipt
from assets.selectors.contracts import (
    CONTRACT_FILTERS,
    CONTRACT_PAGE_SIZE,
    approving_resolutions,
    arrears_of,
    contract_position,
    contract_rows,
    contract_state,
    leasable_assets,
    village_contract,
)
from assets.services import contracts as services
from assets.services.contracts import RentSchedule
from villagegov.models import Village
from villagegov.permissions import Action, can
from villagegov.views.base import acting_user, roles_allow, village_view


def _contract(village: Village, contract_id: int) -> Contract:
    contract = village_contract(village, contract_id)
    if contract is None:
        raise Http404
    return contract


@village_view(Action.VIEW_FINANCES)
@require_safe
def contract_list(request: HttpRequest, village: Village) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in CONTRACT_FILTERS else ""
    today = timezone.localdate()
    page = Paginator(contract_rows(village, state=state, on=today), CONTRACT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {"contract": contract, "state": contract_state(contract, on=today), "arrears": arrears_of(contract)}
        for contract in page.object_list
    ]
    context = {
        "page_obj": page,
        "rows": rows,
        "state": state,
        "states": [
            ("active", _("running")),
            ("ended", _("ended")),
            ("arrears", _("in arrears")),
            ("expiring", _("ending within 90 days")),
        ],
        "can_manage": roles_allow(request, Action.MANAGE_ASSETS),
    }
    return render(request, "assets/contract_list.html", context)


@village_view(Action.MANAGE_ASSETS)
def contract_create(request: HttpRequest, village: Village) -> HttpResponse:
    actor = acting_user(request)
    resolutions = approving_resolutions(village)
    form = ContractForm(
        request.POST or None,
        assets=leasable_assets(village),
        resolutions=resolutions,
        may_publish=can(actor, Action.PUBLISH_DISCLOSURE, village),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contract = services.contract_create(
                actor=actor,
                village=village,
                asset=data["asset"],
                kind=data["kind"],
                number=data["number"],
                counterparty=data["counterparty"],
                counterparty_phone=data["counterparty_phone"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                schedule=RentSchedule(
                    amount=data["amount"], period=data["period"], first_due_on=data["first_due_on"]
                ),
                resolution=data["resolution"],
                note=data["note"],
                publish=bool(data.get("publish")),
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            if data.get("publish"):
                messages.success(
                    request, _("The contract is recorded and published on the disclosure board.")
                )
            else:
                messages.success(request, _("The contract is recorded."))
            return redirect("contract_detail", village.admin_code, contract.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "assets/contract_form.html",
        {"form": form, "has_resolutions": bool(resolutions)},
        status=status,
    )


def _render_detail(
    request: HttpRequest,
    village: Village,
    contract: Contract,
    *,
    receipt_form: ReceiptForm | None = None,
    terminate_form: TerminateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    position = contract_position(contract, on=today)
    can_manage = roles_allow(request, Action.MANAGE_ASSETS)
    context: dict[str, Any] = {
        "contract": contract,
        "state": contract_state(contract, on=today),
        "position": position,
        "receipts": list(RentReceipt.objects.filter(contract=contract).order_by("received_on", "id")),
        "can_manage": can_manage,
        "receipt_form": receipt_form or ReceiptForm(initial={"received_on": today}),
        "terminate_form": terminate_form or TerminateForm(initial={"terminated_on": today}),
    }
    return render(request, "assets/contract_detail.html", context, status=status)


@village_view(Action.VIEW_FINANCES)
@require_safe
def contract_detail(request: HttpRequest, village: Village, contract_id: int) -> HttpResponse:
    return _render_detail(request, village, _contract(village, contract_id))


@village_view(Action.MANAGE_ASSETS)
@require_POST
def rent_receipt_record(request: HttpRequest, village: Village, contract_id: int) -> HttpResponse:
    contract = _contract(village, contract_id)
    form = ReceiptForm(request.POST)
    if form.is_valid():
        try:
            services.rent_receipt_record(
                actor=acting_user(request),
                contract=contract,
                received_on=form.cleaned_data["received_on"],
                amount=form.cleaned_data["amount"],
                method=form.cleaned_data["method"],
                reference=form.cleaned_data["reference"],
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The rent received is recorded."))
            return redirect("contract_detail", village.admin_code, contract.pk)
    return _render_detail(request, village, contract, receipt_form=form, status=400)


@village_view(Action.MANAGE_ASSETS)
@require_POST
def contract_terminate(request: HttpRequest, village: Village, contract_id: int) -> HttpResponse:
    contract = _contract(village, contract_id)
    form = TerminateForm(request.POST)
    if form.is_valid():
        try:
            services.contract_terminate(
                actor=acting_user(request),
                contract=contract,
                terminated_on=form.cleaned_data["terminated_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(
                request, _("The contract is terminated. Rent due after that day is no longer owed.")
            )
            return redirect("contract_detail", village.admin_code, contract.pk)
    return _render_detail(request, village, contract, terminate_form=form, status=400)
