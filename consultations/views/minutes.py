"""A session's minutes (会议记录): read, the clerk's notes, the chair's signature, and a page to print."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.forms.minutes import MinutesNotesForm, ResolutionForm
from consultations.models import Session, SessionState
from consultations.selectors.minutes import (
    minutes_content,
    minutes_visible,
    resolvable_polls,
    session_minutes,
)
from consultations.services import minutes as services
from consultations.views.lookup import visible_session
from villagegov.models import Person, Village
from villagegov.permissions import Action, person_in
from villagegov.views.base import acting_user, roles_allow, village_view


def _context(request: HttpRequest, session: Session) -> dict[str, Any]:
    """What the minutes pages show to this reader: everything, or only that they are not signed yet."""
    person = person_in(request.user, session.council.village)
    minutes = session_minutes(session)
    keeps = roles_allow(request, Action.KEEP_MINUTES)
    visible = minutes_visible(session=session, minutes=minutes, keeps_minutes=keeps, person=person)
    signed = minutes is not None and minutes.signed_at is not None
    is_chair = person is not None and person.pk == session.chair_id
    started = session.state in (SessionState.OPEN, SessionState.CLOSED)
    return {
        "session": session,
        "minutes": minutes,
        "visible": visible,
        "signed": signed,
        "content": minutes_content(session) if visible else None,
        "can_edit": keeps and started and not signed,
        "can_sign": is_chair and session.state == SessionState.CLOSED and not signed,
        "keeps_minutes": keeps,
        # Signed minutes do not change: no resolution is added to them.
        "resolvable": resolvable_polls(session) if keeps and visible and not signed else [],
        "session_closed": session.state == SessionState.CLOSED,
    }


def resolution_form_for(poll_id: int, data: Any = None) -> ResolutionForm:
    """The resolution form of one vote: its fields are prefixed with the vote's id, so each vote on
    the page has its own form and its own errors."""
    return ResolutionForm(data, prefix=str(poll_id))


def render_minutes(
    request: HttpRequest,
    session: Session,
    *,
    status: int = 200,
    errors: list[str] | None = None,
    resolution_form: ResolutionForm | None = None,
) -> HttpResponse:
    """The minutes page; `resolution_form` (bound, with its errors) replaces the blank form of its
    vote, or if that vote is not offered its errors go to the top of the page."""
    context = _context(request, session)
    errors = list(errors or [])
    forms = []
    shown = False
    for poll in context["resolvable"]:
        if resolution_form is not None and resolution_form.prefix == str(poll.pk):
            forms.append((poll, resolution_form))
            shown = True
        else:
            forms.append((poll, resolution_form_for(poll.pk)))
    if resolution_form is not None and not shown:
        errors += [str(error) for field_errors in resolution_form.errors.values() for error in field_errors]
    context["errors"] = errors
    context["resolution_forms"] = forms
    return render(request, "consultations/minutes_detail.html", context, status=status)


@village_view(Action.VIEW_VILLAGE)
def minutes_detail(request: HttpRequest, village: Village, session_id: int) -> HttpResponse:
    return render_minutes(request, visible_session(request, village, session_id))


@village_view(Action.KEEP_MINUTES)
def minutes_update(request: HttpRequest, village: Village, session_id: int) -> HttpResponse:
    session = visible_session(request, village, session_id)
    minutes = session_minutes(session)
    form = MinutesNotesForm(
        request.POST if request.method == "POST" else None,
        initial={"notes": minutes.notes if minutes else ""},
    )
    error = None
    if request.method == "POST":
        if form.is_valid():
            try:
                services.minutes_update(
                    actor=acting_user(request), session=session, notes=form.cleaned_data["notes"]
                )
            except ValidationError as error_:
                form.add_error(None, error_)
            else:
                messages.success(request, _("The clerk's notes are saved."))
                return redirect("minutes_detail", village.admin_code, session.pk)
        error = True
    signed = minutes is not None and minutes.signed_at is not None
    refusal = services.signed_refusal(minutes) if minutes is not None and signed else None
    context = {"session": session, "form": form, "refusal": refusal}
    return render(request, "consultations/minutes_form.html", context, status=400 if error else 200)


@village_view(Action.TAKE_PART)
@require_POST
def minutes_sign(request: HttpRequest, village: Village, session_id: int) -> HttpResponse:
    session = visible_session(request, village, session_id)
    try:
        services.minutes_sign(actor=acting_user(request), session=session)
    except ValidationError as refusal:
        return render_minutes(request, session, status=400, errors=refusal.messages)
    messages.success(request, _("You signed off the minutes. They can no longer be changed."))
    return redirect("minutes_detail", village.admin_code, session.pk)


@village_view(Action.VIEW_VILLAGE)
def minutes_print(request: HttpRequest, village: Village, session_id: int) -> HttpResponse:
    session = visible_session(request, village, session_id)
    context = _context(request, session)
    context["village"] = village
    minutes = context["minutes"]
    if minutes is not None and minutes.updated_by_id is not None:
        # Who last edited the notes: said as such; the recorder signs on a blank line.
        context["last_editor"] = Person.objects.filter(village=village, user_id=minutes.updated_by_id).first()
    return render(request, "consultations/minutes_print.html", context)
