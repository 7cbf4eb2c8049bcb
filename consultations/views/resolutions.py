"""Resolutions (决议): made from a vote that passed, published, and the village's public board (公开栏)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.models import Poll, Resolution
from consultations.selectors.minutes import poll_results
from consultations.selectors.polls import poll_explanation
from consultations.selectors.resolutions import published_resolution_detail, published_resolutions
from consultations.services import resolutions as services
from consultations.views.lookup import visible_session
from consultations.views.minutes import render_minutes, resolution_form_for
from villagegov.models import Village
from villagegov.permissions import Action
from villagegov.views.base import acting_user, public_village_view, village_view

BOARD_PAGE_SIZE = 20


@village_view(Action.KEEP_MINUTES)
@require_POST
def resolution_create(request: HttpRequest, village: Village, session_id: int, poll_id: int) -> HttpResponse:
    session = visible_session(request, village, session_id)
    poll = get_object_or_404(Poll, pk=poll_id, item__session=session)
    form = resolution_form_for(poll.pk, request.POST)
    if not form.is_valid():
        return render_minutes(request, session, status=400, resolution_form=form)
    try:
        resolution = services.resolution_create(
            actor=acting_user(request),
            session=session,
            poll=poll,
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
        )
    except ValidationError as refusal:
        form.add_error(None, refusal)
        return render_minutes(request, session, status=400, resolution_form=form)
    messages.success(request, _("The resolution “%(title)s” was made.") % {"title": resolution.title})
    return redirect("minutes_detail", village.admin_code, session.pk)


@village_view(Action.KEEP_MINUTES)
@require_POST
def resolution_publish(
    request: HttpRequest, village: Village, session_id: int, resolution_id: int
) -> HttpResponse:
    session = visible_session(request, village, session_id)
    resolution = get_object_or_404(Resolution, pk=resolution_id, session=session)
    try:
        services.resolution_publish(actor=acting_user(request), resolution=resolution)
    except ValidationError as refusal:
        return render_minutes(request, session, status=400, errors=refusal.messages)
    messages.success(
        request, _("The resolution “%(title)s” is on the public board.") % {"title": resolution.title}
    )
    return redirect("resolution_detail", village.admin_code, resolution.pk)


@public_village_view
def resolution_board(request: HttpRequest, village: Village) -> HttpResponse:
    page = Paginator(published_resolutions(village), BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "consultations/resolution_board.html", {"village": village, "page_obj": page})


@public_village_view
def resolution_detail(request: HttpRequest, village: Village, resolution_id: int) -> HttpResponse:
    resolution = get_object_or_404(published_resolution_detail(village), pk=resolution_id)
    context = {
        "village": village,
        "resolution": resolution,
        "results": poll_results(resolution.poll),
        "explanation": poll_explanation(resolution.poll),
    }
    return render(request, "consultations/resolution_detail.html", context)
