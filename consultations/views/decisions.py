"""Major decisions (四议两公开): the list, a new one, its six steps, and recording the next step."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.forms.decisions import DecisionProcessForm, DecisionStepForm
from consultations.models import DecisionProcess, DecisionStepKind, Poll
from consultations.selectors.decisions import (
    POLL_CHOICES_LIMIT,
    STEP_COUNT,
    decision_polls,
    process_rows,
    process_steps,
    step_resolution,
    village_processes,
)
from consultations.services import decisions as services
from villagegov.models import Village
from villagegov.permissions import Action
from villagegov.views.base import acting_user, roles_allow, village_view

LIST_PAGE_SIZE = 30


def _records(request: HttpRequest) -> bool:
    return roles_allow(request, Action.RECORD_DECISIONS)


def _process(village: Village, process_id: int) -> DecisionProcess:
    return get_object_or_404(
        DecisionProcess.objects.select_related("village"), pk=process_id, village=village
    )


def _poll_choices(process: DecisionProcess) -> QuerySet[Poll]:
    """The votes the decision step of `process` may name (the newest ones)."""
    polls = decision_polls(process.village, matter=process.matter)
    ids = list(polls.values_list("pk", flat=True)[:POLL_CHOICES_LIMIT])
    return polls.filter(pk__in=ids)


@village_view(Action.VIEW_VILLAGE)
def decision_list(request: HttpRequest, village: Village) -> HttpResponse:
    page = Paginator(village_processes(village), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = process_rows(page)
    context = {"page_obj": page, "rows": rows, "step_count": STEP_COUNT, "records": _records(request)}
    return render(request, "consultations/decision_list.html", context)


@village_view(Action.RECORD_DECISIONS)
def decision_create(request: HttpRequest, village: Village) -> HttpResponse:
    form = DecisionProcessForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            process = services.decision_create(
                actor=acting_user(request),
                village=village,
                title=form.cleaned_data["title"],
                matter=form.cleaned_data["matter"],
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The major decision was created. Record its first step."))
            return redirect("decision_detail", village.admin_code, process.pk)
    status = 400 if form.is_bound else 200
    return render(request, "consultations/decision_form.html", {"form": form}, status=status)


def _render_detail(
    request: HttpRequest,
    process: DecisionProcess,
    *,
    form: DecisionStepForm | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = process_steps(process)
    following = next((row for row in rows if row.state == "next"), None)
    records = _records(request)
    if form is None and records and following is not None:
        form = DecisionStepForm(
            polls=_poll_choices(process),
            matter=process.matter,
            initial={"step": following.kind.value, "held_on": timezone.localdate()},
        )
    decision = next((row.record for row in rows if row.kind == DecisionStepKind.DECISION), None)
    context = {
        "process": process,
        "rows": rows,
        "next_row": following,
        "done_count": sum(1 for row in rows if row.state == "done"),
        "step_count": STEP_COUNT,
        "records": records,
        "form": form,
        "needs_poll": following is not None and following.kind == DecisionStepKind.DECISION,
        "awaits_publication": following is not None
        and following.kind == DecisionStepKind.RESOLUTION_PUBLISHED,
        "decision_resolution": step_resolution(decision),
        "decision_record": decision,
    }
    return render(request, "consultations/decision_detail.html", context, status=status)


@village_view(Action.VIEW_VILLAGE)
def decision_detail(request: HttpRequest, village: Village, process_id: int) -> HttpResponse:
    return _render_detail(request, _process(village, process_id))


@village_view(Action.RECORD_DECISIONS)
@require_POST
def decision_step_record(request: HttpRequest, village: Village, process_id: int) -> HttpResponse:
    process = _process(village, process_id)
    form = DecisionStepForm(request.POST, polls=_poll_choices(process), matter=process.matter)
    if form.is_valid():
        try:
            step = services.decision_step_record(
                actor=acting_user(request),
                process=process,
                step=form.cleaned_data["step"],
                held_on=form.cleaned_data["held_on"],
                participants=form.cleaned_data["participants"],
                document=form.cleaned_data["document"],
                poll=form.cleaned_data["poll"],
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("“%(step)s” is recorded.") % {"step": step.get_step_display()})
            return redirect("decision_detail", village.admin_code, process.pk)
    return _render_detail(request, process, form=form, status=400)
