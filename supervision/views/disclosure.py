"""The village's disclosure board (村务公开栏): anyone may read the board, the schedule and each
item; officials publish (a correction is a new item); residents object within the window and
officials answer. Objection texts are shown only to the officials and to the objector."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from supervision.forms.appraisal import DisclosurePolicyForm
from supervision.forms.disclosure import DisclosureForm, ObjectionAnswerForm, ObjectionForm
from supervision.models import DisclosureItem, DisclosureSection
from supervision.selectors import disclosure as selectors
from supervision.selectors.disclosure import (
    board_sections,
    correction_items,
    finance_monthly,
    has_objected,
    item_objections,
    objection_window_last_day,
    objection_window_open,
    village_disclosure,
    village_objection,
)
from supervision.services import disclosure as services
from villagegov.models import Village
from villagegov.permissions import Action, can, person_in
from villagegov.views.base import acting_user, public_village_view, village_view


def _item(village: Village, disclosure_id: int) -> DisclosureItem:
    item = village_disclosure(village, disclosure_id)
    if item is None:
        raise Http404
    return item


@public_village_view
@require_safe
def disclosure_board(request: HttpRequest, village: Village) -> HttpResponse:
    schedule = selectors.disclosure_schedule(village)
    context = {
        "village": village,
        "sections": board_sections(village),
        "overdue": [row for row in schedule if row.overdue],
        "due": [row for row in schedule if row.due and not row.overdue],
        "can_publish": can(request.user, Action.PUBLISH_DISCLOSURE, village),
    }
    return render(request, "supervision/disclosure_board.html", context)


def render_schedule(
    request: HttpRequest,
    village: Village,
    *,
    policy_form: DisclosurePolicyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The schedule page; with the form to set the village's finance rhythm for those who publish."""
    monthly = finance_monthly(village)
    can_publish = can(request.user, Action.PUBLISH_DISCLOSURE, village)
    if policy_form is None and can_publish:
        policy_form = DisclosurePolicyForm(
            initial={"finances": DisclosurePolicyForm.MONTHLY if monthly else DisclosurePolicyForm.QUARTERLY}
        )
    context = {
        "village": village,
        "schedule": selectors.disclosure_schedule(village),
        "today": timezone.localdate(),
        "finance_monthly": monthly,
        "due_days": selectors.DUE_DAYS_AFTER_PERIOD,
        "can_publish": can_publish,
        "policy_form": policy_form,
    }
    return render(request, "supervision/disclosure_schedule.html", context, status=status)


@public_village_view
@require_safe
def disclosure_schedule(request: HttpRequest, village: Village) -> HttpResponse:
    return render_schedule(request, village)


@village_view(Action.PUBLISH_DISCLOSURE)
def disclosure_publish(request: HttpRequest, village: Village) -> HttpResponse:
    initial: dict[str, Any] = {}
    sources = selectors.due_matters(village)
    if request.method != "POST":
        corrects = request.GET.get("corrects", "")
        if corrects.isdigit() and len(corrects) < 19:
            corrected = village_disclosure(village, int(corrects))
            if corrected is not None:
                initial = {"corrects": corrected.pk, "section": corrected.section, "title": corrected.title}
        wanted = next((due for due in sources if str(due.poll.pk) == request.GET.get("source")), None)
        if wanted is not None:
            initial |= {"source": str(wanted.poll.pk), "section": wanted.section.value}
    form = DisclosureForm(request.POST or None, initial=initial, sources=sources)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        corrected_item = None
        if data["corrects"]:
            corrected_item = village_disclosure(village, data["corrects"])
            if corrected_item is None:
                form.add_error("corrects", _("There is no item with this number on this village's board."))
        if not form.errors:
            try:
                item = services.disclosure_publish(
                    actor=acting_user(request),
                    village=village,
                    section=DisclosureSection(data["section"]),
                    title=data["title"],
                    body=data["content"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    corrects=corrected_item,
                    source=data["source"].source if data["source"] is not None else None,
                )
            except ValidationError as refusal:
                form.add_error(None, refusal)
            else:
                messages.success(
                    request, _("“%(title)s” is on the disclosure board.") % {"title": item.title}
                )
                return redirect("disclosure_detail", village.admin_code, item.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "supervision/disclosure_form.html", {"form": form, "village": village}, status=status
    )


def _render_detail(
    request: HttpRequest,
    village: Village,
    item: DisclosureItem,
    *,
    objection_form: ObjectionForm | None = None,
    answer_forms: dict[int, ObjectionAnswerForm] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    person = person_in(request.user, village)
    official = can(request.user, Action.PUBLISH_DISCLOSURE, village)
    objections = item_objections(item, person=person, all_of_them=official)
    answer_forms = answer_forms or {}
    may_object = (
        person is not None
        and can(request.user, Action.RAISE_OBJECTION, village)
        and objection_window_open(item)
        and not has_objected(item, person)
    )
    context: dict[str, Any] = {
        "village": village,
        "item": item,
        "corrections": correction_items(item),
        "objections": [
            (objection, (answer_forms.get(objection.pk) or ObjectionAnswerForm()) if official else None)
            for objection in objections
        ],
        "official": official,
        "objection_form": (objection_form or ObjectionForm()) if may_object or objection_form else None,
        "window_last_day": objection_window_last_day(timezone.localdate(item.published_at)),
        "window_open": objection_window_open(item),
        "errors": errors or [],
    }
    return render(request, "supervision/disclosure_detail.html", context, status=status)


@public_village_view
@require_safe
def disclosure_detail(request: HttpRequest, village: Village, disclosure_id: int) -> HttpResponse:
    return _render_detail(request, village, _item(village, disclosure_id))


@village_view(Action.RAISE_OBJECTION)
@require_POST
def objection_raise(request: HttpRequest, village: Village, disclosure_id: int) -> HttpResponse:
    item = _item(village, disclosure_id)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, village, item, objection_form=form, status=400)
    try:
        services.objection_raise(actor=acting_user(request), item=item, text=form.cleaned_data["objection"])
    except ValidationError as refusal:
        return _render_detail(
            request,
            village,
            _item(village, disclosure_id),
            objection_form=form,
            errors=refusal.messages,
            status=400,
        )
    messages.success(request, _("Your objection is recorded. The officials are told and will answer you."))
    return redirect("disclosure_detail", village.admin_code, item.pk)


@village_view(Action.PUBLISH_DISCLOSURE)
@require_POST
def objection_answer(request: HttpRequest, village: Village, objection_id: int) -> HttpResponse:
    objection = village_objection(village, objection_id)
    if objection is None:
        raise Http404
    item = _item(village, objection.item_id)
    form = ObjectionAnswerForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, village, item, answer_forms={objection.pk: form}, status=400)
    try:
        services.objection_answer(
            actor=acting_user(request), objection=objection, answer=form.cleaned_data["answer"]
        )
    except ValidationError as refusal:
        return _render_detail(
            request, village, item, answer_forms={objection.pk: form}, errors=refusal.messages, status=400
        )
    messages.success(request, _("The answer is recorded, and the resident who objected is told."))
    return redirect("disclosure_detail", village.admin_code, item.pk)
