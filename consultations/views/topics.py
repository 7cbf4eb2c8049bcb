"""Matters residents raise (议题征集, 群众说事): the list, raising one, a matter's page with its
photos, supporting it (附议) and the committee's answer."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from consultations.forms.topics import TopicAnswerForm, TopicForm
from consultations.models import TopicPhoto, TopicState
from consultations.models.topics import Topic
from consultations.selectors.topics import (
    agenda_sessions,
    answerer_name,
    support_needed,
    support_refusal,
    topic_agenda_items,
    topic_councils,
    topic_photos,
    topics_raised_by,
    village_topic,
    village_topics,
)
from consultations.services import topics as services
from consultations.services.topics import MAX_PHOTOS, PHOTO_MAX_BYTES
from consultations.uploads import (
    MEGABYTE,
    PHOTO_TYPES,
    stored_file_response,
    upload_limit_message,
    upload_limited,
    upload_stopped,
)
from villagegov.models import Village
from villagegov.permissions import Action, person_in
from villagegov.views.base import acting_user, roles_allow, village_view

PAGE_SIZE = 20
# What a matter's photos may weigh together in one request, with room for the form's text: an
# upload past it is stopped while it arrives, not once Django has written it all to disk.
TOPIC_UPLOAD_MAX_BYTES = MAX_PHOTOS * PHOTO_MAX_BYTES + MEGABYTE


def _topic(village: Village, topic_id: int) -> Topic:
    topic = village_topic(village, topic_id)
    if topic is None:
        raise Http404
    return topic


@village_view(Action.VIEW_VILLAGE)
def topic_list(request: HttpRequest, village: Village) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in TopicState.values:
        state = ""
    answers = roles_allow(request, Action.ANSWER_TOPIC)
    pages = Paginator(village_topics(village, state=state or None, enough_support_first=answers), PAGE_SIZE)
    context = {
        "mine": topics_raised_by(village, person_in(request.user, village)),
        "topics_page": pages.get_page(request.GET.get("page")),
        "states": TopicState.choices,
        "state": state,
        "needed": support_needed(),
        "can_raise": roles_allow(request, Action.RAISE_TOPIC),
    }
    return render(request, "consultations/topic_list.html", context)


@upload_limited(lambda: TOPIC_UPLOAD_MAX_BYTES)
@village_view(Action.RAISE_TOPIC)
def topic_create(request: HttpRequest, village: Village) -> HttpResponse:
    councils = topic_councils(village)
    if request.method == "POST" and upload_stopped(request):
        # The body was cut short: nothing in it is used, the form is offered again as it was.
        initial = {name: request.POST.get(name, "") for name in ("council", "title", "matter")}
        context = {
            "form": TopicForm(initial=initial, councils=councils),
            "upload_error": upload_limit_message(TOPIC_UPLOAD_MAX_BYTES - MEGABYTE),
        }
        return render(request, "consultations/topic_form.html", context, status=400)
    form = TopicForm(request.POST or None, request.FILES or None, councils=councils)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.topic_create(
                actor=acting_user(request),
                council=form.cleaned_data["council"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["matter"],
                photos=form.cleaned_data["photos"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your matter was raised. The village committee will answer it publicly here.")
            )
            return redirect("topic_detail", village.admin_code, topic.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "consultations/topic_form.html", {"form": form}, status=status)


def _render_detail(
    request: HttpRequest,
    village: Village,
    topic: Topic,
    *,
    answer_form: TopicAnswerForm | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    person = person_in(request.user, village)
    answers = roles_allow(request, Action.ANSWER_TOPIC) and topic.state == TopicState.RAISED
    sees_drafts = roles_allow(request, Action.MANAGE_SESSIONS)
    refusal = support_refusal(topic, person)
    context: dict[str, Any] = {
        "topic": topic,
        "answered_by_name": answerer_name(topic),
        "photos": topic_photos(topic),
        "needed": support_needed(),
        "can_support": roles_allow(request, Action.RAISE_TOPIC) and refusal is None,
        "support_refusal": refusal if roles_allow(request, Action.RAISE_TOPIC) else None,
        "agenda_items": [
            (item, sees_drafts or item.session.state != "draft") for item in topic_agenda_items(topic)
        ],
        "answer_form": (answer_form or TopicAnswerForm(sessions=agenda_sessions(topic.council)))
        if answers
        else None,
        "errors": errors or [],
    }
    status = 400 if errors or (answer_form is not None and answer_form.errors) else 200
    return render(request, "consultations/topic_detail.html", context, status=status)


@village_view(Action.VIEW_VILLAGE)
def topic_detail(request: HttpRequest, village: Village, topic_id: int) -> HttpResponse:
    return _render_detail(request, village, _topic(village, topic_id))


@village_view(Action.RAISE_TOPIC)
@require_POST
def topic_support(request: HttpRequest, village: Village, topic_id: int) -> HttpResponse:
    topic = _topic(village, topic_id)
    try:
        services.topic_support(actor=acting_user(request), topic=topic)
    except ValidationError as refusal:
        return _render_detail(request, village, topic, errors=refusal.messages)
    topic = _topic(village, topic_id)
    if topic.state == TopicState.ON_AGENDA:
        messages.success(
            request,
            _("Thank you for your support. The matter now has enough support and goes onto the next agenda."),
        )
    else:
        messages.success(request, _("Thank you for your support."))
    return redirect("topic_detail", village.admin_code, topic.pk)


@village_view(Action.ANSWER_TOPIC)
@require_POST
def topic_answer(request: HttpRequest, village: Village, topic_id: int) -> HttpResponse:
    topic = _topic(village, topic_id)
    form = TopicAnswerForm(request.POST, sessions=agenda_sessions(topic.council))
    if not form.is_valid():
        return _render_detail(request, village, topic, answer_form=form)
    try:
        services.topic_answer(
            actor=acting_user(request),
            topic=topic,
            outcome=TopicState(form.cleaned_data["outcome"]),
            answer=form.cleaned_data["answer"],
            session=form.cleaned_data["session"],
        )
    except ValidationError as error:
        return _render_detail(
            request, village, _topic(village, topic_id), answer_form=form, errors=error.messages
        )
    messages.success(request, _("The answer is published, and the resident who raised the matter is told."))
    return redirect("topic_detail", village.admin_code, topic.pk)


@village_view(Action.VIEW_VILLAGE)
@require_safe
def topic_photo(request: HttpRequest, village: Village, topic_id: int, photo_id: int) -> HttpResponse:
    """A topic's photo, only to people of its village, never from a public URL."""
    photo = get_object_or_404(TopicPhoto, pk=photo_id, topic_id=topic_id, topic__village=village)
    return stored_file_response(
        photo.image,
        content_type=photo.content_type,
        allowed_types=PHOTO_TYPES,
        name=f"topic-{topic_id}-photo-{photo.pk}",
    )
