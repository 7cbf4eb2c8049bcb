"""The vote pages: putting an item to the vote, the poll's page with the ballot, opening and
closing it, and entering the counts of a show of hands or of paper ballots."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.forms.polls import CountForm, PollCreateForm, VoteForm
from consultations.models import AgendaItem, Poll, PollVoter
from consultations.selectors.polls import poll_options
from consultations.services import polls as services
from consultations.templatetags.poll_panel import poll_card
from consultations.views.lookup import session_scope
from villagegov.models import Person, Village
from villagegov.permissions import Action, person_in
from villagegov.views.base import acting_user, roles_allow, village_view


def _item(request: HttpRequest, village: Village, session_id: int, item_id: int) -> AgendaItem:
    scope = session_scope(request, "session__")
    return get_object_or_404(
        AgendaItem.objects.select_related("session__council__village"),
        pk=item_id,
        session_id=session_id,
        session__council__village=village,
        **scope,
    )


def _poll(request: HttpRequest, village: Village, session_id: int, poll_id: int) -> Poll:
    scope = session_scope(request, "item__session__")
    return get_object_or_404(
        Poll.objects.select_related("item__session__council__village", "item__session__chair"),
        pk=poll_id,
        item__session_id=session_id,
        item__session__council__village=village,
        **scope,
    )


def _render_poll(
    request: HttpRequest,
    village: Village,
    poll: Poll,
    *,
    status: int = 200,
    error: ValidationError | None = None,
    vote_form: VoteForm | None = None,
    count_form: CountForm | None = None,
) -> HttpResponse:
    person = person_in(acting_user(request), village)
    runs = roles_allow(request, Action.RUN_POLLS)
    card = poll_card(
        poll,
        person=person,
        runs_polls=runs,
        vote_form=vote_form,
        errors=error.messages if error is not None else [],
    )
    if runs and card["manual"] and count_form is None:
        count_form = CountForm(poll=poll, options=card["options"])
    context = {"p": card, "session": poll.item.session, "item": poll.item, "count_form": count_form}
    return render(request, "consultations/poll_detail.html", context, status=status)


@village_view(Action.RUN_POLLS)
def poll_create(request: HttpRequest, village: Village, session_id: int, item_id: int) -> HttpResponse:
    item = _item(request, village, session_id, item_id)
    # Bound on every POST, an empty one too: it is refused with its errors (400), not shown as new.
    form = PollCreateForm(
        request.POST if request.method == "POST" else None, initial={"question": item.title}
    )
    if request.method == "POST" and form.is_valid():
        try:
            poll = services.poll_create(
                actor=acting_user(request),
                item=item,
                question=form.cleaned_data["question"],
                method=form.cleaned_data["method"],
                secret=form.cleaned_data["secret"],
                allow_change=form.cleaned_data["allow_change"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The vote is ready. Open it when the meeting is ready to vote."))
            return redirect("poll_detail", village.admin_code, session_id, poll.pk)
    context = {"form": form, "item": item, "session": item.session}
    return render(request, "consultations/poll_form.html", context, status=400 if form.is_bound else 200)


@village_view(Action.VIEW_VILLAGE)
def poll_detail(request: HttpRequest, village: Village, session_id: int, poll_id: int) -> HttpResponse:
    return _render_poll(request, village, _poll(request, village, session_id, poll_id))


@village_view(Action.RUN_POLLS)
@require_POST
def poll_open(request: HttpRequest, village: Village, session_id: int, poll_id: int) -> HttpResponse:
    poll = _poll(request, village, session_id, poll_id)
    try:
        services.poll_open(actor=acting_user(request), poll=poll)
    except ValidationError as error:
        return _render_poll(request, village, poll, status=400, error=error)
    messages.success(request, _("The vote is open. Those present can vote now."))
    return redirect("poll_detail", village.admin_code, session_id, poll.pk)


def _proxy_grantor(poll: Poll, holder: Person | None, grantor_id: int | None) -> Person | None:
    if grantor_id is None or holder is None:
        return None
    row = (
        PollVoter.objects.filter(poll=poll, person_id=grantor_id, proxy_holder=holder)
        .select_related("person")
        .first()
    )
    if row is None:
        raise ValidationError(_("You do not hold a written proxy for this person in this vote."))
    return row.person


def _own_ballot_form(form: VoteForm) -> VoteForm | None:
    """The submitted form, to show again with the voter's choice in their own ballot's place;
    None for a proxy's ballot (that one is shown fresh)."""
    return None if form.data.get("for_person") else form


@village_view(Action.TAKE_PART)
@require_POST
def poll_vote(request: HttpRequest, village: Village, session_id: int, poll_id: int) -> HttpResponse:
    poll = _poll(request, village, session_id, poll_id)
    options = poll_options(poll)
    form = VoteForm(request.POST, poll=poll, options=options)
    if not form.is_valid():
        # The real reasons (no answer, not an option, a bad proxy or request id), each once.
        reasons = list(dict.fromkeys(message for errors in form.errors.values() for message in errors))
        error = ValidationError(reasons)
        return _render_poll(request, village, poll, status=400, error=error, vote_form=_own_ballot_form(form))
    actor = acting_user(request)
    try:
        for_person = _proxy_grantor(poll, person_in(actor, village), form.cleaned_data["for_person"])
        receipt = services.ballot_cast(
            actor=actor,
            poll=poll,
            choices=form.chosen(),
            client_id=form.cleaned_data["client_id"] or "",
            for_person=for_person,
        )
    except ValidationError as error:
        return _render_poll(request, village, poll, status=400, error=error, vote_form=_own_ballot_form(form))
    if poll.secret:
        messages.success(request, _("Your ballot is in the box. Thank you for voting."))
    elif receipt.duplicate:
        messages.success(request, _("Your vote was already recorded."))
    else:
        messages.success(request, _("Your vote is recorded."))
    return redirect("poll_detail", village.admin_code, session_id, poll.pk)


@village_view(Action.RUN_POLLS)
@require_POST
def poll_close(request: HttpRequest, village: Village, session_id: int, poll_id: int) -> HttpResponse:
    poll = _poll(request, village, session_id, poll_id)
    try:
        services.poll_close(actor=acting_user(request), poll=poll)
    except ValidationError as error:
        return _render_poll(request, village, poll, status=400, error=error)
    messages.success(request, _("The vote is closed and the result is shown."))
    return redirect("poll_detail", village.admin_code, session_id, poll.pk)


@village_view(Action.RUN_POLLS)
def poll_count_record(request: HttpRequest, village: Village, session_id: int, poll_id: int) -> HttpResponse:
    poll = _poll(request, village, session_id, poll_id)
    options = poll_options(poll)
    form = CountForm(request.POST or None, poll=poll, options=options)
    if request.method != "POST":
        return _render_poll(request, village, poll, count_form=form)
    if form.is_valid():
        try:
            services.poll_count_record(
                actor=acting_user(request),
                poll=poll,
                counts=form.counts(),
                tellers=form.cleaned_data["tellers"],
                votes_cast=form.cleaned_data.get("votes_cast"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The counts are recorded and the vote is closed."))
            return redirect("poll_detail", village.admin_code, session_id, poll.pk)
    return _render_poll(request, village, poll, status=400, count_form=form)
