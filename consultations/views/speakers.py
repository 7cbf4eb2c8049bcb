"""The list of speakers of an agenda item: asking to speak, withdrawing, the chair's queue."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.models import SpeakerRequest
from consultations.selectors.discussion import village_speaker
from consultations.services import speakers as services
from consultations.views.agenda import agenda_item, item_url, render_item
from villagegov.models import User, Village
from villagegov.permissions import Action, person_in
from villagegov.views.base import acting_user, village_view


@village_view(Action.TAKE_PART)
@require_POST
def speaker_request(request: HttpRequest, village: Village, session_id: int, item_id: int) -> HttpResponse:
    item = agenda_item(request, village, session_id, item_id)
    actor = acting_user(request)
    person = person_in(actor, village)
    try:
        if person is None:
            raise ValidationError(_("Only people on this village's roster can speak."))
        services.speaker_request(actor=actor, item=item, person=person)
    except ValidationError as error:
        return render_item(request, village, item, status=400, error=error)
    messages.success(request, _("You are on the list of speakers. The chair will call you."))
    return redirect(item_url(item))


@village_view(Action.MANAGE_AGENDA)
@require_POST
def speaker_next(request: HttpRequest, village: Village, session_id: int, item_id: int) -> HttpResponse:
    item = agenda_item(request, village, session_id, item_id)
    try:
        speaker = services.speaker_next(actor=acting_user(request), item=item)
    except ValidationError as error:
        return render_item(request, village, item, status=400, error=error)
    if speaker is None:
        messages.success(request, _("No one else is waiting to speak."))
    else:
        messages.success(request, _("%(name)s has the floor.") % {"name": speaker.person.name})
    return redirect(item_url(item))


def _on_request(
    request: HttpRequest,
    village: Village,
    session_id: int,
    speaker_id: int,
    service: Callable[..., SpeakerRequest],
    done: str,
) -> HttpResponse:
    speaker = village_speaker(village, session_id, speaker_id)
    if speaker is None:
        raise Http404
    item = agenda_item(request, village, session_id, speaker.item_id)
    actor: User = acting_user(request)
    try:
        service(actor=actor, request=speaker)
    except ValidationError as error:
        return render_item(request, village, item, status=400, error=error)
    messages.success(request, done)
    return redirect(item_url(item))


@village_view(Action.TAKE_PART)
@require_POST
def speaker_withdraw(
    request: HttpRequest, village: Village, session_id: int, speaker_id: int
) -> HttpResponse:
    return _on_request(
        request,
        village,
        session_id,
        speaker_id,
        services.speaker_withdraw,
        _("You withdrew your request to speak."),
    )


@village_view(Action.MANAGE_AGENDA)
@require_POST
def speaker_done(request: HttpRequest, village: Village, session_id: int, speaker_id: int) -> HttpResponse:
    return _on_request(
        request, village, session_id, speaker_id, services.speaker_done, _("The speaker is done.")
    )


@village_view(Action.MANAGE_AGENDA)
@require_POST
def speaker_remove(request: HttpRequest, village: Village, session_id: int, speaker_id: int) -> HttpResponse:
    return _on_request(
        request,
        village,
        session_id,
        speaker_id,
        services.speaker_remove,
        _("The request was taken off the list."),
    )
