"""Formal questions (质询) of the supervision committee: the list, asking one, a question's page
and its answer. Residents see a question once answered or once overdue, never before."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supervision.forms.questions import QuestionAnswerForm, QuestionForm
from supervision.models import Question
from supervision.selectors.questions import (
    QUESTION_PAGE_SIZE,
    may_answer,
    question_addressees,
    question_councils,
    sees_all_questions,
    visible_question,
    visible_questions,
)
from supervision.services import questions as services
from villagegov.models import Village
from villagegov.permissions import Action, person_in
from villagegov.views.base import acting_user, roles_allow, village_view


def _question(request: HttpRequest, village: Village, question_id: int) -> Question:
    question = visible_question(village, question_id, person=person_in(request.user, village))
    if question is None:
        raise Http404
    return question


@village_view(Action.VIEW_VILLAGE)
def question_list(request: HttpRequest, village: Village) -> HttpResponse:
    person = person_in(request.user, village)
    page = Paginator(visible_questions(village, person=person), QUESTION_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page_obj": page,
        "today": timezone.localdate(),
        "sees_all": sees_all_questions(person),
        "can_ask": roles_allow(request, Action.ASK_QUESTIONS),
    }
    return render(request, "supervision/question_list.html", context)


@village_view(Action.ASK_QUESTIONS)
def question_ask(request: HttpRequest, village: Village) -> HttpResponse:
    form = QuestionForm(
        request.POST or None, officials=question_addressees(village), councils=question_councils(village)
    )
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_ask(
                actor=acting_user(request),
                village=village,
                person=form.cleaned_data["official"],
                council=form.cleaned_data["council"],
                text=form.cleaned_data["question"],
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(
                request, _("The question was sent. The addressee is told in the app and by SMS.")
            )
            return redirect("question_detail", village.admin_code, question.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "supervision/question_form.html", {"form": form}, status=status)


def _render_detail(
    request: HttpRequest,
    village: Village,
    question: Question,
    *,
    answer_form: QuestionAnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    person = person_in(request.user, village)
    answers = question.answered_at is None and may_answer(question, person)
    context: dict[str, Any] = {
        "question": question,
        "today": timezone.localdate(),
        # A refused answer is shown with its reason even when the form would not be offered.
        "answer_form": answer_form
        if answer_form is not None
        else (QuestionAnswerForm() if answers else None),
    }
    return render(request, "supervision/question_detail.html", context, status=status)


@village_view(Action.VIEW_VILLAGE)
def question_detail(request: HttpRequest, village: Village, question_id: int) -> HttpResponse:
    return _render_detail(request, village, _question(request, village, question_id))


@village_view(Action.TAKE_PART)
@require_POST
def question_answer(request: HttpRequest, village: Village, question_id: int) -> HttpResponse:
    question = _question(request, village, question_id)
    form = QuestionAnswerForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, village, question, answer_form=form, status=400)
    try:
        services.question_answer(
            actor=acting_user(request), question=question, answer=form.cleaned_data["answer"]
        )
    except ValidationError as refusal:
        form.add_error(None, refusal)
        return _render_detail(
            request, village, _question(request, village, question_id), answer_form=form, status=400
        )
    messages.success(request, _("Your answer is recorded, and the committee member who asked is told."))
    return redirect("question_detail", village.admin_code, question.pk)
