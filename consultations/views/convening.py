"""Convening requests (联名提议): the list, a new request, a request's page and signing it."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.forms.convening import ConveningRequestForm
from consultations.models import ConveningRequest
from consultations.selectors.convening import (
    convening_progress,
    convening_signatures,
    requestable_councils,
    signing_refusal,
    village_convening_requests,
)
from consultations.services import convening as services
from villagegov.models import Village
from villagegov.permissions import Action, person_in
from villagegov.views.base import acting_user, village_view

PAGE_SIZE = 50


def _convening_request(village: Village, request_id: int) -> ConveningRequest:
    return get_object_or_404(
        ConveningRequest.objects.select_related("council__village", "initiator"),
        pk=request_id,
        council__village=village,
    )


@village_view(Action.VIEW_VILLAGE)
def convening_request_list(request: HttpRequest, village: Village) -> HttpResponse:
    pages = Paginator(village_convening_requests(village), PAGE_SIZE)
    context = {
        "requests_page": pages.get_page(request.GET.get("page")),
        "can_start": requestable_councils(village).exists(),
    }
    return render(request, "consultations/convening_list.html", context)


@village_view(Action.VIEW_VILLAGE)
def convening_request_create(request: HttpRequest, village: Village) -> HttpResponse:
    form = ConveningRequestForm(request.POST or None, councils=requestable_councils(village))
    if request.method == "POST" and form.is_valid():
        try:
            convening_request = services.convening_request_create(
                actor=acting_user(request),
                council=form.cleaned_data["council"],
                matter=form.cleaned_data["matter"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your request is started, with your signature on it."))
            return redirect("convening_request_detail", village.admin_code, convening_request.pk)
    return render(
        request,
        "consultations/convening_form.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


def _render_detail(
    request: HttpRequest, village: Village, convening_request: ConveningRequest, *, error: str | None = None
) -> HttpResponse:
    person = person_in(request.user, village)
    progress = convening_progress(convening_request)
    context: dict[str, Any] = {
        "convening_request": convening_request,
        "progress": progress,
        "signatures": list(convening_signatures(convening_request)),
        "can_sign": signing_refusal(convening_request, person) is None,
        "error": error,
    }
    return render(request, "consultations/convening_detail.html", context, status=400 if error else 200)


@village_view(Action.VIEW_VILLAGE)
def convening_request_detail(request: HttpRequest, village: Village, request_id: int) -> HttpResponse:
    return _render_detail(request, village, _convening_request(village, request_id))


@village_view(Action.VIEW_VILLAGE)
@require_POST
def convening_request_sign(request: HttpRequest, village: Village, request_id: int) -> HttpResponse:
    convening_request = _convening_request(village, request_id)
    try:
        services.convening_request_sign(actor=acting_user(request), request=convening_request)
    except ValidationError as refusal:
        return _render_detail(request, village, convening_request, error=" ".join(refusal.messages))
    messages.success(request, _("You have signed the request."))
    return redirect("convening_request_detail", village.admin_code, convening_request.pk)
