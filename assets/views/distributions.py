"""Distribution pages (收益分配): the plans, drafting one, a plan's page with its figures, gates and
table, and its actions (publish, put to a meeting, withdraw, start paying, record payments,
publish the result), and the table's download (分配明细表)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assets.charts import ChartBar, ChartGroup, bar_chart
from assets.exports import ExportFormatRefused, export_format, table_response
from assets.forms.distributions import PaymentForm, PlanForm, ProposeForm
from assets.models import Allocation, Collective, DistributionPlan, PaymentMethod
from assets.selectors.distributions import (
    ALLOCATION_PAGE_SIZE,
    PLAN_PAGE_SIZE,
    eligible_sessions,
    first_meeting_day,
    own_allocation,
    payment_gates,
    payment_totals,
    plan_allocations,
    visible_plan,
    visible_plans,
)
from assets.services import distributions as services
from villagegov.models import Village
from villagegov.permissions import Action, person_in
from villagegov.views.base import acting_user, roles_allow, village_view


def _sees_drafts(request: HttpRequest) -> bool:
    return roles_allow(request, Action.VIEW_FINANCES)


def _plan(request: HttpRequest, village: Village, plan_id: int) -> DistributionPlan:
    plan = visible_plan(village, plan_id, sees_drafts=_sees_drafts(request))
    if plan is None:
        raise Http404
    return plan


def _refused(request: HttpRequest, refusal: ValidationError) -> None:
    for message in refusal.messages:
        messages.error(request, message)


@village_view(Action.VIEW_VILLAGE)
def distribution_list(request: HttpRequest, village: Village) -> HttpResponse:
    sees_drafts = _sees_drafts(request)
    page = Paginator(visible_plans(village, sees_drafts=sees_drafts), PLAN_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page_obj": page,
        "sees_drafts": sees_drafts,
        "can_manage": roles_allow(request, Action.MANAGE_DISTRIBUTIONS),
    }
    return render(request, "assets/distribution_list.html", context)


@village_view(Action.MANAGE_DISTRIBUTIONS)
def distribution_create(request: HttpRequest, village: Village) -> HttpResponse:
    collective = Collective.objects.filter(village=village).first()
    today = timezone.localdate()
    initial = {
        "year": today.year - 1,
        "record_date": today,
        "losses_made_up": 0,
        "title": _("Income distribution plan for %(year)d") % {"year": today.year - 1},
    }
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.distribution_draft(
                actor=acting_user(request),
                village=village,
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"],
                record_date=form.cleaned_data["record_date"],
                losses_made_up=form.cleaned_data["losses_made_up"],
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(
                request,
                _(
                    "The draft plan is computed from the books and the share register. "
                    "Check it, then publish it."
                ),
            )
            return redirect("distribution_detail", village.admin_code, plan.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "collective": collective,
        "can_change_rate": roles_allow(request, Action.MANAGE_MEMBERS),
    }
    return render(request, "assets/distribution_form.html", context, status=status)


def _chart(plan: DistributionPlan) -> Any:
    return bar_chart(
        [
            ChartGroup(_("Net income"), [ChartBar(_("Net income"), plan.income, "income")]),
            ChartGroup(_("Losses made up"), [ChartBar(_("Losses made up"), -plan.losses_made_up, "losses")]),
            ChartGroup(_("Reserve fund"), [ChartBar(_("Reserve fund"), -plan.reserve, "reserve")]),
            ChartGroup(_("Distributed"), [ChartBar(_("Distributed"), plan.distributable, "distributed")]),
        ]
    )


def _render_detail(
    request: HttpRequest,
    village: Village,
    plan: DistributionPlan,
    *,
    propose_form: ProposeForm | None = None,
    payment_form: PaymentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_manage = roles_allow(request, Action.MANAGE_DISTRIBUTIONS)
    search = request.GET.get("q", "")[:100]
    page = Paginator(plan_allocations(plan, search=search), ALLOCATION_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    own = own_allocation(plan, person_in(request.user, village))
    gates = payment_gates(plan) if plan.published_at is not None and plan.withdrawn_at is None else []
    live = plan.withdrawn_at is None
    may_propose = (
        can_manage
        and live
        and plan.published_at is not None
        and plan.payment_started_at is None
        and services.motion_settled(plan)
    )
    today = timezone.localdate()
    context: dict[str, Any] = {
        "plan": plan,
        "chart": _chart(plan),
        "gates": gates,
        "gates_met": sum(1 for gate in gates if gate.met),
        "totals": payment_totals(plan),
        "own": own,
        "page_obj": page,
        "search": search,
        "can_manage": can_manage,
        "can_publish": roles_allow(request, Action.PUBLISH_DISCLOSURE),
        # The committee opens its review from the plan: the review form names the plan as its subject.
        "review_url": reverse("review_create", args=[village.admin_code])
        + f"?kind=distribution&subject=assets.distributionplan:{plan.pk}"
        if roles_allow(request, Action.RUN_REVIEWS)
        else "",
        "first_meeting_day": first_meeting_day(plan),
        "may_publish": can_manage and live and plan.published_at is None,
        "may_withdraw": can_manage and live and plan.payment_started_at is None,
        "may_start": can_manage
        and live
        and plan.published_at is not None
        and plan.payment_started_at is None,
        "paying": can_manage and plan.payment_started_at is not None,
        "may_publish_result": can_manage
        and plan.payment_started_at is not None
        and plan.result_published_at is None,
        "propose_form": propose_form
        if propose_form is not None
        else (ProposeForm(sessions=eligible_sessions(plan)) if may_propose else None),
        "payment_form": payment_form
        if payment_form is not None
        else PaymentForm(initial={"paid_on": today, "method": PaymentMethod.BANK}),
        "today": today,
        "methods": PaymentMethod.choices,
    }
    return render(request, "assets/distribution_detail.html", context, status=status)


@village_view(Action.VIEW_VILLAGE)
def distribution_detail(request: HttpRequest, village: Village, plan_id: int) -> HttpResponse:
    return _render_detail(request, village, _plan(request, village, plan_id))


def _action(request: HttpRequest, village: Village, plan_id: int, service: Any, success: str) -> HttpResponse:
    plan = _plan(request, village, plan_id)
    try:
        service(actor=acting_user(request), plan=plan)
    except ValidationError as refusal:
        _refused(request, refusal)
        return _render_detail(request, village, _plan(request, village, plan_id), status=400)
    messages.success(request, success)
    return redirect("distribution_detail", village.admin_code, plan.pk)


@village_view(Action.MANAGE_DISTRIBUTIONS)
@require_POST
def distribution_publish(request: HttpRequest, village: Village, plan_id: int) -> HttpResponse:
    return _action(
        request,
        village,
        plan_id,
        services.distribution_publish,
        _("The plan is published on the disclosure board. It is fixed now: a change means a new plan."),
    )


@village_view(Action.MANAGE_DISTRIBUTIONS)
@require_POST
def distribution_withdraw(request: HttpRequest, village: Village, plan_id: int) -> HttpResponse:
    return _action(
        request,
        village,
        plan_id,
        services.distribution_withdraw,
        _("The plan is withdrawn. It stays on record."),
    )


@village_view(Action.MANAGE_DISTRIBUTIONS)
@require_POST
def distribution_result_publish(request: HttpRequest, village: Village, plan_id: int) -> HttpResponse:
    return _action(
        request,
        village,
        plan_id,
        services.distribution_result_publish,
        _("The result of the distribution is published on the disclosure board."),
    )


@village_view(Action.MANAGE_DISTRIBUTIONS)
@require_POST
def distribution_propose(request: HttpRequest, village: Village, plan_id: int) -> HttpResponse:
    plan = _plan(request, village, plan_id)
    form = ProposeForm(request.POST, sessions=eligible_sessions(plan))
    if not form.is_valid():
        return _render_detail(request, village, plan, propose_form=form, status=400)
    try:
        services.distribution_propose(
            actor=acting_user(request), plan=plan, session=form.cleaned_data["session"]
        )
    except ValidationError as refusal:
        form.add_error(None, refusal)
        return _render_detail(
            request, village, _plan(request, village, plan_id), propose_form=form, status=400
        )
    messages.success(request, _("The plan is on the meeting's agenda as a motion."))
    return redirect("distribution_detail", village.admin_code, plan.pk)


@village_view(Action.MANAGE_DISTRIBUTIONS)
@require_POST
def distribution_pay_start(request: HttpRequest, village: Village, plan_id: int) -> HttpResponse:
    """Without `all`: start paying. With `all=1`: record the payment of every line not paid yet."""
    if request.POST.get("all") != "1":
        return _action(
            request,
            village,
            plan_id,
            services.distribution_pay_start,
            _("Payment has started. Record each member's payment, or all of them at once."),
        )
    plan = _plan(request, village, plan_id)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, village, plan, payment_form=form, status=400)
    try:
        payments = services.payments_record_all(
            actor=acting_user(request),
            plan=plan,
            paid_on=form.cleaned_data["paid_on"],
            method=form.cleaned_data["method"],
            reference=form.cleaned_data["reference"],
        )
    except ValidationError as refusal:
        form.add_error(None, refusal)
        return _render_detail(
            request, village, _plan(request, village, plan_id), payment_form=form, status=400
        )
    messages.success(
        request,
        ngettext("%(count)d payment is recorded.", "%(count)d payments are recorded.", len(payments))
        % {"count": len(payments)},
    )
    return redirect("distribution_detail", village.admin_code, plan.pk)


@village_view(Action.MANAGE_DISTRIBUTIONS)
@require_POST
def payment_record(request: HttpRequest, village: Village, plan_id: int, allocation_id: int) -> HttpResponse:
    plan = _plan(request, village, plan_id)
    allocation = Allocation.objects.filter(plan=plan, pk=allocation_id).select_related("membership").first()
    if allocation is None:
        raise Http404
    form = PaymentForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, village, plan, payment_form=form, status=400)
    try:
        services.payment_record(
            actor=acting_user(request),
            allocation=allocation,
            paid_on=form.cleaned_data["paid_on"],
            method=form.cleaned_data["method"],
            reference=form.cleaned_data["reference"],
        )
    except ValidationError as refusal:
        form.add_error(None, refusal)
        return _render_detail(
            request, village, _plan(request, village, plan_id), payment_form=form, status=400
        )
    messages.success(
        request, _("The payment to member %(number)d is recorded.") % {"number": allocation.membership.number}
    )
    return redirect("distribution_detail", village.admin_code, plan.pk)


@village_view(Action.VIEW_VILLAGE)
def distribution_export(request: HttpRequest, village: Village, plan_id: int) -> HttpResponse:
    plan = _plan(request, village, plan_id)
    try:
        fmt = export_format(request)
    except ExportFormatRefused as refusal:
        return HttpResponse(str(refusal), status=400, content_type="text/plain; charset=utf-8")
    lines = plan_allocations(plan)
    totals = payment_totals(plan)
    rows = (
        [
            line.membership.number,
            line.membership.person.name,
            line.shares,
            line.amount,
            line.payment.paid_on if hasattr(line, "payment") else None,
            line.payment.get_method_display() if hasattr(line, "payment") else "",
        ]
        for line in lines.iterator(chunk_size=1000)
    )
    return table_response(
        fmt=fmt,
        filename=f"distribution-{village.admin_code}-{plan.year}-{plan.pk}",
        title=_("Distribution table (分配明细表)"),
        headers=[
            _("Member number"),
            _("Name"),
            _("Shares"),
            _("Amount (¥)"),
            _("Paid on"),
            _("How it was paid"),
        ],
        rows=rows,
        totals=[
            _("Total"),
            ngettext("%(count)d member", "%(count)d members", totals.members) % {"count": totals.members},
            plan.total_shares,
            plan.distributable,
            None,
            "",
        ],
    )
