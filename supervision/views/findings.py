"""The committee's findings and their rectification (整改): the supervision dashboard, the list,
recording a finding on a review, a finding's page, the responsible person's answer and the
committee's verification."""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.uploads import upload_limited, upload_stopped
from supervision.forms.findings import FindingAnswerForm, FindingForm, FindingVerifyForm
from supervision.models import Finding, FindingState, Review, VerificationOutcome
from supervision.selectors.findings import (
    DASHBOARD_LIMIT,
    LIST_STATES,
    OVERDUE,
    RECENT_REVIEWS,
    finding_counts,
    finding_history,
    finding_row,
    finding_rows,
    findings_filtered,
    open_findings_of,
    overdue_findings,
    questions_past_due,
    recent_reviews,
    responsible_candidates,
    village_finding,
)
from supervision.services import findings as services
from supervision.services.reviews import EVIDENCE_UPLOAD_MAX_BYTES
from supervision.views.reviews import evidence_upload_limit_message
from villagegov.models import Village
from villagegov.permissions import Action, person_in
from villagegov.views.base import acting_user, roles_allow, village_view

PAGE_SIZE = 20


@village_view(Action.VIEW_REVIEWS)
def supervision_dashboard(request: HttpRequest, village: Village) -> HttpResponse:
    today = timezone.localdate()
    counts = finding_counts(village, today=today)
    overdue = list(overdue_findings(village, today=today)[: DASHBOARD_LIMIT + 1])
    questions = list(questions_past_due(village, today=today)[: DASHBOARD_LIMIT + 1])
    context: dict[str, Any] = {
        "counts": counts,
        "bars": counts.bars(),
        "overdue_rows": finding_rows(overdue[:DASHBOARD_LIMIT], today=today),
        "more_overdue": len(overdue) > DASHBOARD_LIMIT,
        "reviews": list(recent_reviews(village)[:RECENT_REVIEWS]),
        "questions": questions[:DASHBOARD_LIMIT],
        "more_questions": len(questions) > DASHBOARD_LIMIT,
        "mine_count": open_findings_of(village, person_in(request.user, village)).count(),
        "overdue_state": OVERDUE,
    }
    return render(request, "supervision/supervision_dashboard.html", context)


@village_view(Action.VIEW_REVIEWS)
def finding_list(request: HttpRequest, village: Village) -> HttpResponse:
    today = timezone.localdate()
    state = request.GET.get("state", "")
    if state not in LIST_STATES:
        state = ""
    mine = request.GET.get("mine") == "1"
    responsible = person_in(request.user, village) if mine else None
    if mine and responsible is None:
        findings = Finding.objects.none()
    else:
        findings = findings_filtered(village, state=state, responsible=responsible, today=today)
    page = Paginator(findings, PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page_obj": page,
        "rows": finding_rows(page.object_list, today=today),
        "state": state,
        "states": [
            *((value, label) for value, label in FindingState.choices),
            (OVERDUE, _("overdue")),
        ],
        "mine": mine,
    }
    return render(request, "supervision/finding_list.html", context)


@village_view(Action.RUN_REVIEWS)
def finding_create(request: HttpRequest, village: Village, review_id: int) -> HttpResponse:
    review = get_object_or_404(
        cast("QuerySet[Review]", Review.objects.non_polymorphic()), pk=review_id, village=village
    )
    candidates = responsible_candidates(village)
    form = FindingForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            finding = services.finding_create(
                actor=acting_user(request),
                review=review,
                description=form.cleaned_data["description"],
                required_action=form.cleaned_data["required_action"],
                responsible=form.cleaned_data["responsible"],
                deadline=form.cleaned_data["deadline"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The finding is recorded, and %(name)s is told in the app and by SMS.")
                % {"name": finding.responsible.name},
            )
            return redirect("finding_detail", village.admin_code, finding.pk)
    context = {
        "review": review,
        "form": form,
        "responsible_options": [FindingForm.option_value(person) for person in candidates],
    }
    return render(
        request, "supervision/finding_form.html", context, status=400 if request.method == "POST" else 200
    )


def _visible_finding(request: HttpRequest, village: Village, finding_id: int) -> Finding:
    """The finding, if the user may see it: the committee, officials and other holders of
    VIEW_REVIEWS see every finding of the village; the responsible person their own. To anyone
    else it does not exist."""
    finding = village_finding(village, finding_id)
    if finding is None:
        raise Http404
    if roles_allow(request, Action.VIEW_REVIEWS):
        return finding
    person = person_in(request.user, village)
    if person is None or person.pk != finding.responsible_id:
        raise Http404
    return finding


def _render_detail(
    request: HttpRequest,
    village: Village,
    finding: Finding,
    *,
    answer_form: FindingAnswerForm | None = None,
    verify_form: FindingVerifyForm | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    person = person_in(request.user, village)
    is_responsible = person is not None and person.pk == finding.responsible_id
    may_answer = is_responsible and finding.state == FindingState.OPEN
    may_verify = (
        roles_allow(request, Action.RUN_REVIEWS)
        and finding.state == FindingState.ANSWERED
        and not is_responsible
    )
    context: dict[str, Any] = {
        "row": finding_row(finding, today=timezone.localdate()),
        "finding": finding,
        "history": finding_history(finding),
        "is_responsible": is_responsible,
        "sees_reviews": roles_allow(request, Action.VIEW_REVIEWS),
        "answer_form": (answer_form or FindingAnswerForm()) if may_answer else None,
        "verify_form": (verify_form or FindingVerifyForm()) if may_verify else None,
        # A posted form the page does not offer (the finding moved on, or it is not the poster's to
        # answer): its errors are shown on their own.
        "refused_form": (None if may_answer else answer_form) or (None if may_verify else verify_form),
        "errors": errors or [],
    }
    invalid = (
        errors or (answer_form is not None and answer_form.errors) or (verify_form and verify_form.errors)
    )
    return render(request, "supervision/finding_detail.html", context, status=400 if invalid else 200)


@village_view(Action.TAKE_PART)
def finding_detail(request: HttpRequest, village: Village, finding_id: int) -> HttpResponse:
    return _render_detail(request, village, _visible_finding(request, village, finding_id))


@upload_limited(lambda: EVIDENCE_UPLOAD_MAX_BYTES)
@village_view(Action.TAKE_PART)
@require_POST
def finding_answer(request: HttpRequest, village: Village, finding_id: int) -> HttpResponse:
    finding = _visible_finding(request, village, finding_id)
    if upload_stopped(request):
        # The body was cut short: nothing in it is used, the form is offered again, empty.
        form = FindingAnswerForm()
        return _render_detail(
            request, village, finding, answer_form=form, errors=[evidence_upload_limit_message()]
        )
    form = FindingAnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_detail(request, village, finding, answer_form=form)
    try:
        services.finding_answer(
            actor=acting_user(request),
            finding=finding,
            text=form.cleaned_data["text"],
            uploads=form.cleaned_data["evidence"],
        )
    except ValidationError as refusal:
        return _render_detail(
            request,
            village,
            _visible_finding(request, village, finding_id),
            answer_form=form,
            errors=refusal.messages,
        )
    messages.success(request, _("Your answer is recorded. The supervision committee will verify it."))
    return redirect("finding_detail", village.admin_code, finding.pk)


@village_view(Action.RUN_REVIEWS)
@require_POST
def finding_verify(request: HttpRequest, village: Village, finding_id: int) -> HttpResponse:
    finding = _visible_finding(request, village, finding_id)
    form = FindingVerifyForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, village, finding, verify_form=form)
    try:
        verification = services.finding_verify(
            actor=acting_user(request),
            finding=finding,
            outcome=form.outcome_choice(),
            reason=form.cleaned_data["reason"],
            new_deadline=form.cleaned_data["deadline"],
        )
    except ValidationError as refusal:
        return _render_detail(
            request,
            village,
            _visible_finding(request, village, finding_id),
            verify_form=form,
            errors=refusal.messages,
        )
    if verification.outcome == VerificationOutcome.VERIFIED:
        messages.success(request, _("The rectification is verified, and the person responsible is told."))
    else:
        messages.success(request, _("The finding is reopened, and the person responsible is told why."))
    return redirect("finding_detail", village.admin_code, finding.pk)
