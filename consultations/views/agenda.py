"""The agenda of a session: adding and editing items, their order, taking them up and finishing
them, an election's candidates, and an item's own page (speakers, discussion, votes)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.forms.agenda import AgendaItemForm, AgendaItemMoveForm, CandidateAddForm
from consultations.forms.discussion import CommentForm, CommentHideForm
from consultations.models import AgendaItem, ElectionItem, ItemState, MotionItem, Session, SessionState
from consultations.selectors.agenda import (
    KIND_LABELS,
    ItemKind,
    candidate_choices,
    item_kind_from,
    item_summary,
    kind_of,
    matters_not_decided_by,
    speaking_timer,
    village_item,
)
from consultations.selectors.discussion import (
    comment_refusal,
    item_comments,
    open_request_of,
    speak_refusal,
    speaker_queue,
    speakers_heard,
)
from consultations.services import agenda as services
from consultations.views.lookup import visible_session
from villagegov.models import Village
from villagegov.permissions import Action, person_in
from villagegov.views.base import acting_user, roles_allow, village_view


def _visible(request: HttpRequest, session: Session) -> None:
    if session.state == SessionState.DRAFT and not roles_allow(request, Action.MANAGE_SESSIONS):
        raise Http404


def agenda_item(request: HttpRequest, village: Village, session_id: int, item_id: int) -> AgendaItem:
    item = village_item(village, session_id, item_id)
    if item is None:
        raise Http404
    _visible(request, item.session)
    return item


def item_url(item: AgendaItem) -> str:
    village = item.session.council.village
    return reverse("agenda_item_detail", args=[village.admin_code, item.session_id, item.pk])


def session_agenda_url(session: Session) -> str:
    return reverse("session_detail", args=[session.council.village.admin_code, session.pk]) + "#agenda"


def render_item(
    request: HttpRequest,
    village: Village,
    item: AgendaItem,
    *,
    status: int = 200,
    error: ValidationError | None = None,
    comment_form: CommentForm | None = None,
    hide_form: CommentHideForm | None = None,
    hiding: int | None = None,
    candidate_form: CandidateAddForm | None = None,
) -> HttpResponse:
    """The item's page; a form that failed is passed in bound, so its errors show where it sits."""
    session = item.session
    person = person_in(request.user, village)
    manages = roles_allow(request, Action.MANAGE_AGENDA)
    queue = list(speaker_queue(item))
    speaking = next((request_ for request_ in queue if request_.state == "speaking"), None)
    context: dict[str, Any] = {
        "session": session,
        "item": item,
        "summary": item_summary(item),
        "manages": manages,
        "moderates": roles_allow(request, Action.MODERATE_DISCUSSION),
        "errors": error.messages if error is not None else [],
        "queue": queue,
        "speaking": speaking,
        "waiting": [request_ for request_ in queue if request_.state == "waiting"],
        "timer": speaking_timer(speaking, session) if speaking is not None else None,
        "heard": list(speakers_heard(item)),
        "my_request": open_request_of(item, person),
        "speak_refusal": speak_refusal(session=session, item=item, person=person),
        "comment_refusal": comment_refusal(session=session, person=person),
        "comments": list(item_comments(item)),
        "comment_form": comment_form or CommentForm(),
        "hide_form": hide_form or CommentHideForm(),
        "hiding": hiding,
        "session_closed": session.state == SessionState.CLOSED,
    }
    if isinstance(item, ElectionItem) and manages and item.state == ItemState.PENDING:
        candidates = candidate_choices(village)
        context["candidate_form"] = candidate_form or CandidateAddForm(candidates=candidates)
        context["candidate_options"] = [CandidateAddForm.option_value(person) for person in candidates]
    else:
        # Posted to an election no longer taking candidates: its errors are shown without the form.
        context["refused_candidate_form"] = candidate_form
    return render(request, "consultations/agenda_item_detail.html", context, status=status)


@village_view(Action.VIEW_VILLAGE)
def agenda_item_detail(request: HttpRequest, village: Village, session_id: int, item_id: int) -> HttpResponse:
    return render_item(request, village, agenda_item(request, village, session_id, item_id))


def _render_form(
    request: HttpRequest,
    session: Session,
    *,
    kind: ItemKind | None,
    form: AgendaItemForm | None,
    item: AgendaItem | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "errors": errors or [],
        "session": session,
        "kind": kind,
        "kind_label": KIND_LABELS[kind] if kind is not None else "",
        "kinds": [(choice.value, KIND_LABELS[choice]) for choice in ItemKind],
        "form": form,
        "item": item,
        "refused_matters": matters_not_decided_by(session.council) if kind == ItemKind.MOTION else [],
        "session_closed": session.state == SessionState.CLOSED,
    }
    return render(request, "consultations/agenda_item_form.html", context, status=status)


@village_view(Action.MANAGE_AGENDA)
def agenda_item_create(request: HttpRequest, village: Village, session_id: int) -> HttpResponse:
    session = visible_session(request, village, session_id)
    kind = item_kind_from(request.GET.get("kind"))
    if kind is None:
        # Which kind of item: the page offers the four (a POST without one changes nothing).
        if request.method == "POST":
            refusal = [_("Choose the kind of item first.")]
            return _render_form(request, session, kind=None, form=None, errors=refusal, status=400)
        return _render_form(request, session, kind=None, form=None)
    form = AgendaItemForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.agenda_item_create(
                actor=acting_user(request), session=session, kind=kind, **form.service_fields()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("“%(title)s” was added to the agenda.") % {"title": item.title})
            return redirect(session_agenda_url(session))
    status = 400 if request.method == "POST" else 200
    return _render_form(request, session, kind=kind, form=form, status=status)


def _initial(item: AgendaItem) -> dict[str, Any]:
    initial: dict[str, Any] = {"title": item.title, "description": item.description}
    if isinstance(item, MotionItem):
        initial |= {"text": item.text, "matter": item.matter}
    if isinstance(item, ElectionItem):
        initial |= {"office": item.office, "seats": item.seats}
    return initial


@village_view(Action.MANAGE_AGENDA)
def agenda_item_update(request: HttpRequest, village: Village, session_id: int, item_id: int) -> HttpResponse:
    item = agenda_item(request, village, session_id, item_id)
    kind = kind_of(item)
    form = AgendaItemForm(request.POST or None, kind=kind, initial=_initial(item))
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_update(actor=acting_user(request), item=item, **form.service_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The item was saved."))
            return redirect(item_url(item))
    status = 400 if request.method == "POST" else 200
    return _render_form(request, item.session, kind=kind, form=form, item=item, status=status)


@village_view(Action.MANAGE_AGENDA)
@require_POST
def agenda_item_move(request: HttpRequest, village: Village, session_id: int, item_id: int) -> HttpResponse:
    item = agenda_item(request, village, session_id, item_id)
    form = AgendaItemMoveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Move an item up or down."))
        services.agenda_item_move(
            actor=acting_user(request), item=item, direction=form.cleaned_data["direction"]
        )
    except ValidationError as error:
        return render_item(request, village, item, status=400, error=error)
    messages.success(request, _("The agenda was reordered."))
    return redirect(session_agenda_url(item.session))


@village_view(Action.MANAGE_AGENDA)
@require_POST
def agenda_item_start(request: HttpRequest, village: Village, session_id: int, item_id: int) -> HttpResponse:
    item = agenda_item(request, village, session_id, item_id)
    try:
        services.agenda_item_start(actor=acting_user(request), item=item)
    except ValidationError as error:
        return render_item(request, village, item, status=400, error=error)
    messages.success(request, _("“%(title)s” is now under way.") % {"title": item.title})
    return redirect(item_url(item))


@village_view(Action.MANAGE_AGENDA)
@require_POST
def agenda_item_finish(request: HttpRequest, village: Village, session_id: int, item_id: int) -> HttpResponse:
    item = agenda_item(request, village, session_id, item_id)
    try:
        services.agenda_item_finish(actor=acting_user(request), item=item)
    except ValidationError as error:
        return render_item(request, village, item, status=400, error=error)
    messages.success(request, _("“%(title)s” is finished.") % {"title": item.title})
    return redirect(session_agenda_url(item.session))


@village_view(Action.MANAGE_AGENDA)
@require_POST
def election_candidate_add(
    request: HttpRequest, village: Village, session_id: int, item_id: int
) -> HttpResponse:
    item = agenda_item(request, village, session_id, item_id)
    if not isinstance(item, ElectionItem):
        raise Http404
    form = CandidateAddForm(request.POST, candidates=candidate_choices(village))
    if form.is_valid():
        person = form.cleaned_data["candidate"]
        try:
            services.election_candidate_add(actor=acting_user(request), item=item, person=person)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s is a candidate.") % {"name": person.name})
            return redirect(item_url(item))
    return render_item(request, village, item, status=400, candidate_form=form)
