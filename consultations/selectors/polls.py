"""Reads of votes: the result a poll's figures give under its body's rule, and what the poll
pages show to a viewer. Nothing here tells who chose what in a secret vote."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultations.models import (
    AgendaItem,
    Answer,
    Ballot,
    ElectionItem,
    Poll,
    PollKind,
    PollOption,
    PollState,
    PollVoter,
    Session,
)
from villagegov import thresholds
from villagegov.models import Basis, BodyRule, Counted, Person, Purpose
from villagegov.selectors.councils import council_rules

# ---- The result under the body's rule ----

# Keys an election's close adds to `Poll.totals`, so that later reads use the stored result and
# not today's rules: whether the round was valid, and the option ids tied at the last seat.
ELECTION_VALID = "election_valid"
TIED = "tied"


@dataclass(frozen=True)
class CandidateLine:
    option: PollOption
    votes: int
    outcome: thresholds.Outcome
    elected: bool
    tied: bool


@dataclass(frozen=True)
class ElectionOutcome:
    valid: thresholds.Outcome
    lines: tuple[CandidateLine, ...]
    seats: int
    decided: bool  # False where the body's rules set no threshold for an election

    @property
    def elected(self) -> list[CandidateLine]:
        return [line for line in self.lines if line.elected]

    @property
    def tied(self) -> list[CandidateLine]:
        return [line for line in self.lines if line.tied]


@dataclass(frozen=True)
class PollResult:
    votes_cast: int
    counts: dict[str, int]
    passed: bool | None
    explanation_zh: str
    explanation_en: str
    elected_option_ids: frozenset[int] = frozenset()
    tied_option_ids: frozenset[int] = frozenset()
    election_valid: bool | None = None  # None for a motion


def _thresholds(body_rule: BodyRule | None) -> list[thresholds.ThresholdLike]:
    if body_rule is None or body_rule.advisory:
        return []
    return list(body_rule.thresholds.all())


def _totals(poll: Poll, votes_cast: int) -> dict[str, int]:
    totals = {
        key: int(value)
        for key, value in (poll.totals or {}).items()
        if isinstance(value, int) and not isinstance(value, bool)  # not the stored election_valid
    }
    totals[Basis.VOTES_CAST.value] = votes_cast
    return totals


def poll_options(poll: Poll) -> list[PollOption]:
    return list(PollOption.objects.filter(poll=poll).select_related("candidate").order_by("position"))


def election_outcome(
    poll: Poll,
    *,
    body_rule: BodyRule | None,
    options: list[PollOption],
    counts: Mapping[str, int],
    votes_cast: int,
) -> ElectionOutcome:
    """Valid if the body's election-validity thresholds are met; a candidate is elected who
    meets the round's threshold (second round from round 2), at most `max_choices` of them,
    most votes first; a tie at the last seat elects none of the tied. Bodies without election
    thresholds use their decision rule; bodies with neither decide nothing."""
    rules = _thresholds(body_rule)
    totals = _totals(poll, votes_cast)
    purpose = Purpose.ELECTION_ELECTED if poll.round <= 1 else Purpose.ELECTION_SECOND_ROUND
    if not any(t.purpose == purpose for t in rules):
        purpose = Purpose.DECISION
    decided = any(t.purpose == purpose for t in rules)
    valid = thresholds.evaluate(
        rules,
        purpose=Purpose.ELECTION_VALID,
        counts={Counted.VOTES_CAST.value: votes_cast},
        totals=totals,
    )
    seats = poll.max_choices
    measured = []
    for option in options:
        votes = int(counts.get(str(option.pk), 0))
        outcome = thresholds.evaluate(
            rules,
            purpose=purpose,
            counts={
                Counted.CANDIDATE_VOTES.value: votes,
                Counted.YES_VOTES.value: votes,
                Counted.VOTES_CAST.value: votes_cast,
                Counted.ATTENDEES.value: totals.get(Basis.ATTENDEES.value, 0),
            },
            totals=totals,
        )
        measured.append((option, votes, outcome))
    qualified = sorted(
        (m for m in measured if decided and valid.met and m[2].met and m[1] > 0), key=lambda m: -m[1]
    )
    elected_ids: set[int] = set()
    tied_ids: set[int] = set()
    if len(qualified) <= seats:
        elected_ids = {m[0].pk for m in qualified}
    else:
        cutoff = qualified[seats - 1][1]
        if qualified[seats][1] == cutoff:
            elected_ids = {m[0].pk for m in qualified if m[1] > cutoff}
            tied_ids = {m[0].pk for m in qualified if m[1] == cutoff}
        else:
            elected_ids = {m[0].pk for m in qualified[:seats]}
    lines = tuple(
        CandidateLine(
            option=option,
            votes=votes,
            outcome=outcome,
            elected=option.pk in elected_ids,
            tied=option.pk in tied_ids,
        )
        for option, votes, outcome in measured
    )
    return ElectionOutcome(valid=valid, lines=lines, seats=seats, decided=decided)


def _yes_no_counts(options: list[PollOption], counts: Mapping[str, int]) -> dict[str, int]:
    return {option.answer: int(counts.get(str(option.pk), 0)) for option in options if option.answer}


def _explain_motion(
    poll: Poll, *, body_rule: BodyRule | None, tally: dict[str, int], votes_cast: int
) -> tuple[bool | None, str]:
    entitled = poll.entitled_count or 0
    parts = [
        _(
            "In favour %(yes)d, against %(no)d, abstain %(abstain)d; %(cast)d of the %(entitled)d "
            "entitled voted."
        )
        % {
            "yes": tally.get(Answer.YES, 0),
            "no": tally.get(Answer.NO, 0),
            "abstain": tally.get(Answer.ABSTAIN, 0),
            "cast": votes_cast,
            "entitled": entitled,
        }
    ]
    rules = _thresholds(body_rule)
    totals = _totals(poll, votes_cast)
    if not any(t.purpose == Purpose.DECISION for t in rules):
        parts.append(_advisory_sentence(body_rule))
        return None, " ".join(parts)
    outcome = thresholds.evaluate(
        rules,
        purpose=Purpose.DECISION,
        counts={
            Counted.YES_VOTES.value: tally.get(Answer.YES, 0),
            Counted.VOTES_CAST.value: votes_cast,
            Counted.ATTENDEES.value: totals.get(Basis.ATTENDEES.value, 0),
        },
        totals=totals,
    )
    verdict = _("Passed.") if outcome.met else _("Not passed.")
    parts.append(f"{verdict} {outcome.explain()}")
    return outcome.met, " ".join(parts)


def _advisory_sentence(body_rule: BodyRule | None) -> str:
    if body_rule is not None and body_rule.advisory:
        text = _("This body is advisory: its vote is recorded as advice and decides nothing in law.")
    else:
        text = _("The rules set no majority for this body: the result is recorded, not decided by the app.")
    citation = body_rule.citation if body_rule is not None else ""
    return f"{text} — {citation}" if citation else text


def _explain_election(
    poll: Poll,
    *,
    body_rule: BodyRule | None,
    options: list[PollOption],
    counts: Mapping[str, int],
    votes_cast: int,
) -> tuple[bool | None, str]:
    outcome = election_outcome(
        poll, body_rule=body_rule, options=options, counts=counts, votes_cast=votes_cast
    )
    entitled = poll.entitled_count or 0
    parts = [
        _("%(cast)d of the %(entitled)d entitled cast a ballot.") % {"cast": votes_cast, "entitled": entitled}
    ]
    if poll.round > 1:
        parts.append(
            ngettext(
                "Round %(round)d, for %(seats)d seat: the second-round rule applies.",
                "Round %(round)d, for %(seats)d seats: the second-round rule applies.",
                outcome.seats,
            )
            % {"round": poll.round, "seats": outcome.seats}
        )
    if outcome.valid.figures:
        valid_words = _("The election is valid.") if outcome.valid.met else _("The election is not valid.")
        parts.append(f"{valid_words} {outcome.valid.explain()}")
        if not outcome.valid.met:
            parts.append(
                _(
                    "An election that is not valid elects no one: "
                    "this round is held again with the same candidates."
                )
            )
    if not outcome.decided:
        for line in outcome.lines:
            parts.append(
                ngettext("%(name)s: %(n)d vote.", "%(name)s: %(n)d votes.", line.votes)
                % {"name": line.option.label, "n": line.votes}
            )
        parts.append(_advisory_sentence(body_rule))
        return None, " ".join(parts)
    for line in outcome.lines:
        if line.elected:
            status = _("elected")
        elif line.tied:
            status = _("tied, not elected")
        else:
            status = _("not elected")
        detail = line.outcome.explain() if outcome.valid.met else ""
        parts.append(
            _("%(name)s (%(status)s): %(detail)s")
            % {"name": line.option.label, "status": status, "detail": detail}
            if detail
            else ngettext("%(name)s: %(n)d vote.", "%(name)s: %(n)d votes.", line.votes)
            % {"name": line.option.label, "n": line.votes}
        )
    if outcome.tied:
        parts.append(
            _("%(names)s are tied for the last seat: none of them is elected, and a further round is needed.")
            % {"names": _(", ").join(line.option.label for line in outcome.tied)}
        )
    left = outcome.seats - len(outcome.elected)
    if outcome.valid.met and left > 0:
        parts.append(
            ngettext(
                "%(n)d seat is left unfilled: a further round among the candidates not elected is needed.",
                "%(n)d seats are left unfilled: a further round among the candidates not elected is needed.",
                left,
            )
            % {"n": left}
        )
    passed = outcome.valid.met and left == 0
    return passed, " ".join(parts)


def result_of(poll: Poll, *, session: Session, counts: Mapping[str, int], votes_cast: int) -> PollResult:
    """Apply the body's rule to the counts, against the totals frozen at the opening; the
    explanation in Chinese and in English, with figures and citations."""
    body_rule = council_rules(session.council)
    options = poll_options(poll)
    clean = {str(option.pk): int(counts.get(str(option.pk), 0)) for option in options}
    explained: dict[str, str] = {}
    passed: bool | None = None
    for language in ("zh-hans", "en"):
        with translation.override(language):
            if poll.kind == PollKind.YES_NO:
                passed, text = _explain_motion(
                    poll, body_rule=body_rule, tally=_yes_no_counts(options, clean), votes_cast=votes_cast
                )
            else:
                passed, text = _explain_election(
                    poll, body_rule=body_rule, options=options, counts=clean, votes_cast=votes_cast
                )
            explained[language] = text
    elected: frozenset[int] = frozenset()
    tied: frozenset[int] = frozenset()
    valid: bool | None = None
    if poll.kind != PollKind.YES_NO:
        outcome = election_outcome(
            poll, body_rule=body_rule, options=options, counts=clean, votes_cast=votes_cast
        )
        elected = frozenset(line.option.pk for line in outcome.elected)
        tied = frozenset(line.option.pk for line in outcome.tied)
        valid = outcome.valid.met
    return PollResult(
        votes_cast=votes_cast,
        counts=clean,
        passed=passed,
        explanation_zh=explained["zh-hans"],
        explanation_en=explained["en"],
        elected_option_ids=elected,
        tied_option_ids=tied,
        election_valid=valid,
    )


def closed_election_outcome(poll: Poll) -> ElectionOutcome | None:
    """Who a closed election poll elected, recomputed from its stored counts and frozen totals
    under the body's CURRENT rules. Only for polls closed before the close stored its validity
    (`ELECTION_VALID`); everything else reads what the close stored."""
    if poll.state != PollState.CLOSED or poll.kind == PollKind.YES_NO:
        return None
    session = Session.objects.select_related("council__village").get(items__polls=poll)
    return election_outcome(
        poll,
        body_rule=council_rules(session.council),
        options=poll_options(poll),
        counts=poll.counts or {},
        votes_cast=poll.votes_cast or 0,
    )


def election_round_valid(poll: Poll) -> bool:
    """Whether a closed election poll was a valid round (Art. 15: more than half of the
    registered voters voted), as stored at its close."""
    stored = (poll.totals or {}).get(ELECTION_VALID)
    if isinstance(stored, bool):
        return stored
    outcome = closed_election_outcome(poll)  # closed before the validity was stored
    return outcome is None or outcome.valid.met


@dataclass(frozen=True)
class ElectionProgress:
    elected_person_ids: frozenset[int]
    last_round: int | None  # the last VALID round held; None before any


def election_progress(item: ElectionItem) -> ElectionProgress:
    """Who the closed polls of an election have elected so far, and the last valid round held.
    A poll that was not a valid election (too few of the registered voters voted) elected
    nobody and does not count as a round: Art. 15 has it held again."""
    elected: set[int] = set()
    last_round = None
    for poll in (
        Poll.objects.filter(item=item, state=PollState.CLOSED).prefetch_related("options").order_by("id")
    ):
        if not election_round_valid(poll):
            continue
        # Who was elected is stored at the close, not recomputed under today's rules.
        elected |= {o.candidate_id for o in poll.options.all() if o.elected and o.candidate_id}
        last_round = poll.round
    return ElectionProgress(elected_person_ids=frozenset(elected), last_round=last_round)


# ---- What the pages show ----


def session_polls(session: Session) -> QuerySet[Poll]:
    return (
        Poll.objects.filter(item__session=session)
        .select_related("item")
        .prefetch_related(Prefetch("options", queryset=PollOption.objects.order_by("position")))
        .order_by("id")
    )


def item_polls(item: AgendaItem) -> list[Poll]:
    return list(
        Poll.objects.filter(item_id=item.pk)
        .prefetch_related(Prefetch("options", queryset=PollOption.objects.order_by("position")))
        .order_by("id")
    )


def poll_progress(poll: Poll) -> dict[str, int]:
    figures = PollVoter.objects.filter(poll=poll).aggregate(
        entitled=Count("pk"), voted=Count("pk", filter=Q(has_voted=True))
    )
    return {"voted": figures["voted"], "entitled": figures["entitled"]}


@dataclass
class ResultBar:
    label: str
    votes: int
    max: int
    elected: bool = False
    tied: bool = False


@dataclass
class VoterView:
    """The viewer's place on the roll: their own ballot and those they hold a proxy for."""

    person: Person | None
    own: PollVoter | None = None
    proxies: list[PollVoter] = field(default_factory=list)
    own_choices: list[str] = field(default_factory=list)


def result_bars(poll: Poll, options: list[PollOption]) -> list[ResultBar]:
    """One bar per option with its number (only once the vote is closed). Reads only what the
    close stored (counts, `PollOption.elected`, the tied ids in `totals`): no query, no rule.
    A poll closed before the tied ids were stored shows no "tied" badge; its stored explanation
    says who tied."""
    if poll.state != PollState.CLOSED:
        return []
    counts = poll.counts or {}
    top = max([int(counts.get(str(o.pk), 0)) for o in options] + [poll.votes_cast or 0, 1])
    stored_tied = (poll.totals or {}).get(TIED)
    tied = {pk for pk in stored_tied if isinstance(pk, int)} if isinstance(stored_tied, list) else set()
    return [
        ResultBar(
            label=option.label,
            votes=int(counts.get(str(option.pk), 0)),
            max=top,
            elected=bool(option.elected),
            tied=option.pk in tied,
        )
        for option in options
    ]


def voter_view(poll: Poll, person: Person | None) -> VoterView:
    return voter_views([poll], person)[poll.pk]


def voter_views(polls: Sequence[Poll], person: Person | None) -> dict[int, VoterView]:
    """The viewer's place on the roll of each poll, in three queries whatever the number of polls
    (the session page shows every vote of the session)."""
    views = {poll.pk: VoterView(person=person) for poll in polls}
    started = [poll for poll in polls if poll.state != PollState.CREATED]
    if person is None or not started:
        return views
    rows = (
        PollVoter.objects.filter(poll__in=started)
        .filter(Q(person=person, proxy_holder__isnull=True) | Q(proxy_holder=person))
        .select_related("person")
    )
    for row in rows:
        view = views[row.poll_id]
        if row.person_id == person.pk and row.proxy_holder_id is None and view.own is None:
            view.own = row
        if row.proxy_holder_id == person.pk:
            view.proxies.append(row)
    named = [
        poll.pk
        for poll in started
        if not poll.secret and (own := views[poll.pk].own) is not None and own.has_voted
    ]
    if named:
        ballots = {
            ballot.poll_id: ballot for ballot in Ballot.objects.filter(poll_id__in=named, voter=person)
        }
        if ballots:
            labels = {o.pk: o.label for o in PollOption.objects.filter(poll_id__in=list(ballots))}
            for poll_id, ballot in ballots.items():
                views[poll_id].own_choices = [labels.get(pk, "?") for pk in ballot.choices]
    return views


def poll_explanation(poll: Poll) -> str:
    language = translation.get_language() or "zh-hans"
    return poll.explanation_zh if language.startswith("zh") else poll.explanation_en


def poll_page(poll: Poll, *, person: Person | None, me: VoterView | None = None) -> dict[str, Any]:
    """Everything the poll page and the session's poll panel show about one poll (`me`: the
    viewer's place on its roll, if already read with `voter_views` for several polls)."""
    options = list(poll.options.all()) if hasattr(poll, "_prefetched_objects_cache") else poll_options(poll)
    return {
        "poll": poll,
        "options": options,
        "progress": poll_progress(poll) if poll.state == PollState.OPEN else None,
        "me": me if me is not None else voter_view(poll, person),
        "bars": result_bars(poll, options),
        "explanation": poll_explanation(poll) if poll.state == PollState.CLOSED else "",
    }
