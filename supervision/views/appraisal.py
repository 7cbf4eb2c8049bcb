"""The yearly democratic appraisal (民主评议) of the village committee's members, chaired by the
supervision committee (Organic Law Art. 33): the list by year, opening one at a session, its page
with each member's result, recording a result and closing it. Also setting how often the village
discloses its finances, from the disclosure schedule."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supervision.forms.appraisal import AppraisalForm, AppraisalResultForm, DisclosurePolicyForm
from supervision.models import Appraisal, AppraisalRating
from supervision.selectors.appraisal import (
    APPRAISAL_CITATION,
    appraisal_day,
    appraisal_rows,
    appraisal_sessions,
    session_attendees,
    village_appraisal,
    village_appraisals,
)
from supervision.services import appraisal as services
from supervision.views.disclosure import render_schedule
from villagegov.models import Person, Village
from villagegov.permissions import Action
from villagegov.views.base import acting_user, roles_allow, village_view


def _appraisal(village: Village, appraisal_id: int) -> Appraisal:
    appraisal = village_appraisal(village, appraisal_id)
    if appraisal is None:
        raise Http404
    return appraisal


@village_view(Action.VIEW_VILLAGE)
def appraisal_list(request: HttpRequest, village: Village) -> HttpResponse:
    context = {
        "appraisals": list(village_appraisals(village)),
        "can_run": roles_allow(request, Action.RUN_REVIEWS),
        "citation": APPRAISAL_CITATION,
    }
    return render(request, "supervision/appraisal_list.html", context)


@village_view(Action.RUN_REVIEWS)
def appraisal_create(request: HttpRequest, village: Village) -> HttpResponse:
    sessions = appraisal_sessions(village)
    form = AppraisalForm(request.POST or None, sessions=sessions)
    if request.method == "POST" and form.is_valid():
        try:
            appraisal = services.appraisal_create(
                actor=acting_user(request),
                village=village,
                year=form.cleaned_data["year"],
                session=form.cleaned_data["session"],
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(
                request,
                _("The democratic appraisal of %(year)d is open. Record each member's ratings.")
                % {"year": appraisal.year},
            )
            return redirect("appraisal_detail", village.admin_code, appraisal.pk)
    context = {"form": form, "has_sessions": sessions.exists(), "citation": APPRAISAL_CITATION}
    return render(
        request, "supervision/appraisal_form.html", context, status=400 if request.method == "POST" else 200
    )


def _result_form(person_id: int, data: Any = None) -> AppraisalResultForm:
    """One member's form; each member's fields have their own ids on the page."""
    return AppraisalResultForm(data, auto_id=f"id_{person_id}_%s")


def _render_detail(
    request: HttpRequest,
    village: Village,
    appraisal: Appraisal,
    *,
    forms: dict[int, AppraisalResultForm] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    can_run = roles_allow(request, Action.RUN_REVIEWS) and appraisal.closed_at is None
    forms = forms or {}
    rows = [
        (
            row,
            (forms.get(row.person_id) or _result_form(row.person_id)) if can_run and not row.result else None,
        )
        for row in appraisal_rows(appraisal)
    ]
    offered = {row.person_id for row, form in rows if form is not None}
    context: dict[str, Any] = {
        "appraisal": appraisal,
        "day": appraisal_day(appraisal),
        "attendees": session_attendees(appraisal.session),
        "rows": rows,
        # Posted forms the page does not offer (the appraisal closed, the result already recorded,
        # not a member appraised): their errors are shown on their own.
        "refused_forms": [form for person_id, form in forms.items() if person_id not in offered],
        "can_run": can_run,
        "incompetent": AppraisalRating.INCOMPETENT,
        "citation": APPRAISAL_CITATION,
        "errors": errors or [],
    }
    return render(request, "supervision/appraisal_detail.html", context, status=status)


@village_view(Action.VIEW_VILLAGE)
def appraisal_detail(request: HttpRequest, village: Village, appraisal_id: int) -> HttpResponse:
    return _render_detail(request, village, _appraisal(village, appraisal_id))


@village_view(Action.RUN_REVIEWS)
@require_POST
def appraisal_result_record(
    request: HttpRequest, village: Village, appraisal_id: int, person_id: int
) -> HttpResponse:
    appraisal = _appraisal(village, appraisal_id)
    person = Person.objects.filter(village=village, pk=person_id).first()
    if person is None:
        raise Http404
    form = _result_form(person.pk, request.POST)
    if not form.is_valid():
        return _render_detail(request, village, appraisal, forms={person.pk: form}, status=400)
    data = form.cleaned_data
    try:
        result = services.appraisal_result_record(
            actor=acting_user(request),
            appraisal=appraisal,
            person=person,
            competent=data["competent"],
            basically_competent=data["basically_competent"],
            incompetent=data["incompetent"],
        )
    except ValidationError as refusal:
        return _render_detail(
            request,
            village,
            _appraisal(village, appraisal_id),
            forms={person.pk: form},
            errors=refusal.messages,
            status=400,
        )
    messages.success(
        request,
        _("%(name)s: %(outcome)s is recorded.")
        % {"name": person.name, "outcome": result.get_outcome_display()},
    )
    return redirect("appraisal_detail", village.admin_code, appraisal.pk)


@village_view(Action.RUN_REVIEWS)
@require_POST
def appraisal_close(request: HttpRequest, village: Village, appraisal_id: int) -> HttpResponse:
    appraisal = _appraisal(village, appraisal_id)
    try:
        services.appraisal_close(actor=acting_user(request), appraisal=appraisal)
    except ValidationError as refusal:
        return _render_detail(request, village, appraisal, errors=refusal.messages, status=400)
    messages.success(request, _("The appraisal of %(year)d is closed.") % {"year": appraisal.year})
    return redirect("appraisal_detail", village.admin_code, appraisal.pk)


@village_view(Action.PUBLISH_DISCLOSURE)
@require_POST
def disclosure_policy_set(request: HttpRequest, village: Village) -> HttpResponse:
    form = DisclosurePolicyForm(request.POST)
    if not form.is_valid():
        return render_schedule(request, village, policy_form=form, status=400)
    try:
        policy = services.disclosure_policy_set(
            actor=acting_user(request), village=village, finances_monthly=form.monthly
        )
    except ValidationError as refusal:
        form.add_error(None, refusal)
        return render_schedule(request, village, policy_form=form, status=400)
    messages.success(
        request,
        _("The village now discloses its finances every month.")
        if policy.finances_monthly
        else _("The village now discloses its finances every quarter."),
    )
    return redirect("disclosure_schedule", village.admin_code)
