"""Checking in to a session: by its QR code or link, or by the chair or clerk."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from consultations.forms.attendance import AttendanceRecordForm, AttendanceSearchForm
from consultations.models import CheckInMethod, Session
from consultations.selectors.attendance import (
    SEARCH_LIMIT,
    absent_members,
    attendance_list,
    check_in_open,
    check_in_refusal,
    session_quorum,
)
from consultations.services.attendance import attendance_check_in
from villagegov.models import Village
from villagegov.permissions import Action, person_in
from villagegov.views.base import acting_user, village_view


def _session(village: Village, session_id: int) -> Session:
    return get_object_or_404(
        Session.objects.select_related("council__village", "council__group"),
        pk=session_id,
        council__village=village,
    )


@village_view(Action.VIEW_VILLAGE)
def session_check_in(request: HttpRequest, village: Village, session_id: int, join_code: str) -> HttpResponse:
    session = _session(village, session_id)
    if not constant_time_compare(join_code, session.join_code):
        raise Http404
    actor = acting_user(request)
    person = person_in(actor, village)
    error = None
    if request.method == "POST":
        try:
            if person is None:
                raise ValidationError(_("Only people on this village's roster can check in."))
            attendance_check_in(actor=actor, session=session, person=person, method=CheckInMethod.SELF)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, _("You are checked in. Welcome!"))
            return redirect("session_detail", village.admin_code, session.pk)
    refusal_now = error or check_in_refusal(session=session, person=person)
    return render(
        request,
        "consultations/check_in.html",
        {"session": session, "refusal": refusal_now},
        status=400 if error else 200,
    )


@village_view(Action.RECORD_ATTENDANCE)
def attendance_record(request: HttpRequest, village: Village, session_id: int) -> HttpResponse:
    session = _session(village, session_id)
    search = AttendanceSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    form = AttendanceRecordForm(request.POST or None, village=village)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        try:
            attendance_check_in(
                actor=acting_user(request), session=session, person=person, method=CheckInMethod.CLERK
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s is checked in.") % {"name": person.name})
            return redirect(request.get_full_path())
    matches = absent_members(session, query=query)
    context: dict[str, Any] = {
        "session": session,
        "search": search,
        "form": form,
        "matches": matches[:SEARCH_LIMIT],
        "more_matches": len(matches) > SEARCH_LIMIT,
        "search_limit": SEARCH_LIMIT,
        "attendances": attendance_list(session),
        "quorum": session_quorum(session),
        "check_in_open": check_in_open(session),
    }
    return render(
        request, "consultations/attendance_record.html", context, status=400 if form.is_bound else 200
    )
