"""The vote panels: the session page's (the open vote with the viewer's ballot, and the results
of the closed ones) and the agenda item page's (its votes and the form to put it to the vote)."""

from typing import Any

from django import template
from django.http import HttpRequest

from consultations.forms.polls import PollCreateForm, VoteForm
from consultations.models import (
    AgendaItem,
    ElectionItem,
    ItemState,
    MotionItem,
    Poll,
    PollMethod,
    PollState,
    Session,
    SessionState,
)
from consultations.selectors.polls import VoterView, item_polls, poll_page, session_polls, voter_views
from villagegov.models import Person
from villagegov.permissions import Action, person_in

register = template.Library()


def poll_card(
    poll: Poll,
    *,
    person: Person | None,
    runs_polls: bool,
    vote_form: VoteForm | None = None,
    errors: list[str] | None = None,
    me: VoterView | None = None,
) -> dict[str, Any]:
    """What one poll's card shows to the viewer: the poll, its progress or result, and the ballot
    forms they may fill in (their own, and those of members whose written proxy they hold)."""
    card = poll_page(poll, person=person, me=me)
    me = card["me"]
    ballots: list[dict[str, Any]] = []
    if poll.state == PollState.OPEN and poll.method == PollMethod.ELECTRONIC:
        own = me.own
        if own is not None and (not own.has_voted or poll.allow_change):
            ballots.append({"form": vote_form or VoteForm(poll=poll, options=card["options"]), "for": None})
        for row in me.proxies:
            if not row.has_voted or poll.allow_change:
                form = VoteForm(poll=poll, options=card["options"], initial={"for_person": row.person_id})
                ballots.append({"form": form, "for": row.person})
    card.update(
        {
            "ballots": ballots,
            "runs_polls": runs_polls,
            "errors": errors or [],
            "manual": poll.method != PollMethod.ELECTRONIC,
        }
    )
    return card


def _viewer(context: template.Context, session: Session) -> tuple[Person | None, bool]:
    request: HttpRequest = context["request"]
    allowed = set(context.get("allowed_actions") or ())
    return person_in(request.user, session.council.village), Action.RUN_POLLS.value in allowed


@register.simple_tag(takes_context=True)
def session_poll_panel(context: template.Context, session: Session) -> dict[str, Any]:
    person, runs = _viewer(context, session)
    polls = list(session_polls(session))
    views = voter_views(polls, person)  # one read for every poll, not three per poll
    return {
        "open": [
            poll_card(p, person=person, runs_polls=runs, me=views[p.pk])
            for p in polls
            if p.state == PollState.OPEN
        ],
        "closed": [
            poll_card(p, person=person, runs_polls=runs, me=views[p.pk])
            for p in polls
            if p.state == PollState.CLOSED
        ],
        "waiting": [p for p in polls if p.state == PollState.CREATED] if runs else [],
    }


@register.simple_tag(takes_context=True)
def agenda_item_polls(context: template.Context, item: AgendaItem) -> dict[str, Any]:
    session = item.session
    person, runs = _viewer(context, session)
    votable = isinstance(item, MotionItem | ElectionItem)
    can_create = runs and votable and item.state != ItemState.DONE and session.state != SessionState.CLOSED
    return {
        "cards": [poll_card(p, person=person, runs_polls=runs) for p in item_polls(item)],
        "votable": votable,
        "create_form": PollCreateForm(initial={"question": item.title}) if can_create else None,
        "session": session,
    }
