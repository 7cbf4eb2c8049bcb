"""Writes of votes (表决): creating, opening and closing a poll, casting a ballot, entering the
counts of a show of hands or of paper ballots.

Ballots are the hot path (thousands in seconds): `ballot_cast` takes no lock on the session or
the poll row for update and writes no audit record. It holds a SHARE lock on the poll row
(PostgreSQL) so that `poll_close`, which takes the row FOR UPDATE, waits for the ballots in
flight: a ballot is either in the count or refused, never half-counted. For a secret poll the roll
row is flipped and the choices go to the intake (`BallotIntake`) with nothing that links the two;
the close moves the intake into the box (`SecretBallot`) in a shuffled order, in its own
transaction, so no boxed ballot shares a row version (PostgreSQL's xmin) or a physical position
with the casting that marked its voter.
"""

import json
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.events import EventType, poll_progress_end, poll_progress_touch, session_event_send
from consultations.models import (
    AgendaItem,
    Answer,
    Attendance,
    Ballot,
    BallotChange,
    BallotIntake,
    ElectionCandidate,
    ElectionItem,
    ItemState,
    MotionItem,
    Poll,
    PollKind,
    PollMethod,
    PollOption,
    PollState,
    PollVoter,
    SecretBallot,
    Session,
    SessionState,
    WrittenProxy,
)
from consultations.selectors.agenda import matter_refusal
from consultations.selectors.attendance import session_quorum
from consultations.selectors.polls import ELECTION_VALID, TIED, PollResult, election_progress, result_of
from consultations.selectors.sessions import session_day
from consultations.services.locks import session_lock
from villagegov.bulk_sql import rows_insert, rows_update
from villagegov.models import Basis, Body, Person, User
from villagegov.permissions import Action, can
from villagegov.selectors.councils import council_totals
from villagegov.services.audit import audit_record, snapshot

AUDITED_FIELDS = [
    "id",
    "item_id",
    "question",
    "kind",
    "method",
    "secret",
    "max_choices",
    "allow_change",
    "round",
    "state",
    "opened_at",
    "closed_at",
    "entitled_count",
    "totals",
    "votes_cast",
    "counts",
    "passed",
    "tellers",
]
CLIENT_ID_MAX = 64
QUESTION_MAX = 300
TELLERS_MAX = 300
BULK_BATCH = 250  # rows per UPDATE … CASE of a bulk update (its cost grows with the square)
BOX_BATCH = 1000  # rows per INSERT when the intake is moved into the box

_shuffler = secrets.SystemRandom()


@dataclass(frozen=True)
class BallotReceipt:
    """What a voter is told once their ballot is committed (never what they chose)."""

    poll_id: int
    client_id: str
    duplicate: bool


def _refuse_unless_runs_polls(actor: User, session: Session) -> None:
    if not can(actor, Action.RUN_POLLS, session.council.village):
        raise ValidationError(_("Only the chair or the clerk can run votes."))


# ---- Creating a poll ----


@transaction.atomic
def poll_create(
    *,
    actor: User,
    item: AgendaItem,
    question: str,
    method: str = PollMethod.ELECTRONIC,
    secret: bool = False,
    allow_change: bool = False,
) -> Poll:
    """A vote on a motion (in favour / against / abstain) or an election (the candidates; one
    choice for one seat, up to `seats` choices otherwise). After an election that left seats
    unfilled, the next poll on it is a further round among the candidates not elected, for the
    seats left, under the second-round rule."""
    session = session_lock(item.session_id)
    _refuse_unless_runs_polls(actor, session)
    item = AgendaItem.objects.get(pk=item.pk)  # the concrete kind, fresh
    if session.state == SessionState.CLOSED:
        raise ValidationError(_("This session is closed: no more votes can be held."))
    if item.state == ItemState.DONE:
        raise ValidationError(_("This agenda item is finished: no more votes can be held on it."))
    if not isinstance(item, MotionItem | ElectionItem):
        raise ValidationError(_("Only a motion or an election can be put to the vote."))
    question = question.strip()
    if not question:
        raise ValidationError(_("Enter the question put to the vote."))
    if len(question) > QUESTION_MAX:
        raise ValidationError(_("The question is too long (at most 300 characters)."))
    if method not in PollMethod.values:
        raise ValidationError(_("Choose how the vote is taken."))
    if secret and method == PollMethod.SHOW_OF_HANDS:
        raise ValidationError(_("A show of hands cannot be secret: choose paper or electronic ballots."))
    if allow_change and (secret or method != PollMethod.ELECTRONIC):
        raise ValidationError(
            _(
                "Only named electronic ballots can be changed before the close; "
                "secret and paper ones are final."
            )
        )
    if Poll.objects.filter(item=item).exclude(state=PollState.CLOSED).exists():
        raise ValidationError(_("This item already has a vote that is not closed."))
    poll = Poll(
        item=item,
        question=question,
        method=method,
        secret=secret,
        allow_change=allow_change,
        created_by=actor,
    )
    if isinstance(item, MotionItem):
        refusal = matter_refusal(council=session.council, matter=item.matter)
        if refusal is not None:
            raise ValidationError(refusal)
        poll.kind = PollKind.YES_NO
        poll.max_choices = 1
        poll.save()
        for position, answer in enumerate(Answer, start=1):
            PollOption.objects.create(poll=poll, position=position, label=str(answer.label), answer=answer)
    else:
        candidates, seats, round_number = _election_field(item)
        if not candidates:
            raise ValidationError(_("Add the candidates before the election is put to the vote."))
        poll.round = round_number
        poll.kind = PollKind.SINGLE_CHOICE if seats == 1 else PollKind.MULTIPLE_CHOICE
        poll.max_choices = seats
        poll.save()
        for position, person in enumerate(candidates, start=1):
            PollOption.objects.create(poll=poll, position=position, label=person.name, candidate=person)
    audit_record(
        actor=actor,
        village=session.council.village,
        action="poll.create",
        target=poll,
        after=snapshot(poll, AUDITED_FIELDS),
    )
    return poll


def _election_field(item: ElectionItem) -> tuple[list[Person], int, int]:
    """The candidates, the seats to fill and the round of the next poll on an election.

    An election round that was not valid (Art. 15: no more than half of the registered voters
    voted) elected nobody and is held again: the next poll keeps its round number, its seats and
    all its candidates, as if the invalid poll had not been held (`election_progress` skips it).
    A further round after a valid one is among every candidate not yet elected, for the seats
    left. The law says the further round's candidates are those not elected "with the most
    votes", but how many of them is set by each province's election rules, not the Organic Law:
    the app does not cut the list, the chair removes candidates before the further round if the
    province's rules require it."""
    candidates = [
        c.person
        for c in ElectionCandidate.objects.filter(election=item).select_related("person").order_by("id")
    ]
    progress = election_progress(item)
    if progress.last_round is None:
        return candidates, item.seats, 1
    seats_left = item.seats - len(progress.elected_person_ids)
    if seats_left <= 0:
        raise ValidationError(_("Every seat of this election is filled."))
    remaining = [p for p in candidates if p.pk not in progress.elected_person_ids]
    return remaining, min(seats_left, max(len(remaining), 1)), progress.last_round + 1


# ---- Opening ----


@transaction.atomic
def poll_open(*, actor: User, poll: Poll) -> Poll:
    """Open the vote: only in an open session, on its current item, one vote at a time, and only
    with a quorum. The roll is frozen now: the people present (and, at a members' assembly,
    those absent who gave a written proxy to someone who is present: a proxy whose holder is
    absent does not vote), and every total the body's rule needs."""
    session = session_lock(poll.item.session_id)
    _refuse_unless_runs_polls(actor, session)
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    item_state = AgendaItem.objects.filter(pk=poll.item_id).values_list("state", flat=True).get()
    if poll.state != PollState.CREATED:
        raise ValidationError(_("This vote has already been opened."))
    if session.state != SessionState.OPEN:
        raise ValidationError(_("A vote can only be opened while the session is in progress."))
    if item_state != ItemState.CURRENT:
        raise ValidationError(_("Take this item up first: a vote opens only on the current item."))
    if Poll.objects.filter(item__session=session, state=PollState.OPEN).exists():
        raise ValidationError(_("Another vote of this session is open: close it first."))
    quorum = session_quorum(session)
    if not quorum.met:
        raise ValidationError(
            _("The quorum is not met, so the vote cannot open. %(figures)s") % {"figures": quorum.explain()}
        )
    council = session.council
    present = list(Attendance.objects.filter(session=session).values_list("person_id", flat=True))
    roll = [PollVoter(poll=poll, person_id=person_id) for person_id in present]
    if council.body == Body.MEMBERS_ASSEMBLY:
        proxies = WrittenProxy.objects.filter(session=session, holder_id__in=present).exclude(
            grantor_id__in=present
        )
        roll += [
            PollVoter(poll=poll, person_id=proxy.grantor_id, proxy_holder_id=proxy.holder_id)
            for proxy in proxies
        ]
    PollVoter.objects.bulk_create(roll)
    day = session_day(session)
    totals = council_totals(council, on=day)
    totals[Basis.ATTENDEES.value] = len(roll)
    totals[Basis.REGISTERED_VOTERS.value] = totals[Basis.ADULT_VILLAGERS.value]
    poll.state = PollState.OPEN
    poll.opened_at = timezone.now()
    poll.entitled_count = len(roll)
    poll.totals = totals
    poll.save(update_fields=["state", "opened_at", "entitled_count", "totals"])
    audit_record(
        actor=actor,
        village=council.village,
        action="poll.open",
        target=poll,
        after=snapshot(poll, AUDITED_FIELDS),
    )
    session_event_send(
        session=session, type=EventType.POLL_OPENED, data={"poll": poll.pk, "item": poll.item_id}
    )
    return poll


# ---- Casting a ballot ----


def _poll_state_shared(poll_id: int) -> str | None:
    """The poll's state, read under a lock that lets other ballots through but makes the close
    wait (PostgreSQL: FOR SHARE); SQLite serialises writers anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT state FROM consultations_poll WHERE id = %s FOR SHARE", [poll_id])
            row = cursor.fetchone()
        return row[0] if row else None
    return (
        Poll.objects.select_for_update().filter(pk=poll_id).order_by().values_list("state", flat=True).first()
    )


def _clean_choices(poll: Poll, choices: Sequence[int], valid: set[int]) -> list[int]:
    if isinstance(choices, str | bytes) or not all(
        isinstance(c, int) and not isinstance(c, bool) for c in choices
    ):
        raise ValidationError(_("These are not options of this vote."))
    chosen = list(choices)
    if not chosen:
        raise ValidationError(_("Choose an answer before you vote."))
    if len(set(chosen)) != len(chosen):
        raise ValidationError(_("Choose each option only once."))
    if len(chosen) > poll.max_choices:
        raise ValidationError(_("You can choose at most %(n)d.") % {"n": poll.max_choices})
    if not set(chosen) <= valid:
        raise ValidationError(_("These are not options of this vote."))
    return sorted(chosen)


@dataclass(frozen=True)
class BallotRequest:
    """One ballot to cast: who casts it, the options chosen, the client's id of this attempt
    (makes a resend harmless), and with `for_person` whose written proxy it is cast under."""

    actor: User
    choices: Sequence[int]
    client_id: str = ""
    for_person: Person | None = None


@transaction.atomic
def ballot_cast(
    *,
    actor: User,
    poll: Poll,
    choices: Sequence[int],
    client_id: str = "",
    for_person: Person | None = None,
) -> BallotReceipt:
    """Cast the actor's ballot (or, with `for_person`, the ballot of someone whose written proxy
    the actor holds). Resending the same `client_id` after it was recorded changes nothing and
    answers duplicate=True. Called by the poll page; the live consumer casts through
    `ballots_cast`, the same rules for many ballots in one transaction."""
    request = BallotRequest(actor=actor, choices=choices, client_id=client_id, for_person=for_person)
    try:
        outcome = ballots_cast(poll=poll, ballots=[request])[0]
    except IntegrityError:  # the unique constraint, should the roll's lock ever be bypassed
        raise ValidationError(_("This ballot has already been cast.")) from None
    if isinstance(outcome, ValidationError):
        raise outcome
    return outcome


@transaction.atomic
def ballots_cast(*, poll: Poll, ballots: Sequence[BallotRequest]) -> list[BallotReceipt | ValidationError]:
    """Cast several ballots of one poll in one transaction (the live consumer gathers those of a
    few milliseconds): each is answered with its receipt or the refusal `ballot_cast` would raise,
    in order, and a refused one changes nothing. Set-based: the poll is read once under the SHARE
    lock that makes its close wait, the voters' roll rows are locked FOR UPDATE in one query (in
    the order of their keys, so two processes' batches cannot deadlock), and the writes are bulk.
    Secret choices go to the intake, which only the close reads and moves into the box."""
    outcomes: list[BallotReceipt | ValidationError | None] = [None] * len(ballots)
    valid_requests: list[int] = []
    for index, request in enumerate(ballots):
        if not isinstance(request.client_id, str) or len(request.client_id) > CLIENT_ID_MAX:
            outcomes[index] = ValidationError(_("The request id is not valid."))
        else:
            valid_requests.append(index)
    if not valid_requests:
        return [outcome for outcome in outcomes if outcome is not None]
    state = _poll_state_shared(poll.pk)
    poll = Poll.objects.select_related("item__session__council__village").get(pk=poll.pk)
    # A poll that is not open refuses every ballot, except a resend of one already recorded: that
    # is answered as the duplicate it is (the phone lost the first answer, the poll closed since).
    refusal: ValidationError | None = None
    if state != PollState.OPEN:
        refusal = ValidationError(_("This vote is not open."))
    elif poll.method != PollMethod.ELECTRONIC:
        refusal = ValidationError(
            _("This vote is counted in the hall (show of hands or paper), not on phones.")
        )
    if refusal is not None and not any(ballots[index].client_id for index in valid_requests):
        for index in valid_requests:
            outcomes[index] = refusal
        return [outcome for outcome in outcomes if outcome is not None]
    session = poll.item.session
    village = session.council.village
    # person_in for every actor in one query: their own entry on the roster, not left. Plain
    # values, not model instances, here and below: a thousand of them a batch (bulk_sql).
    user_ids = {request.actor.pk for request in ballots if request.actor.is_authenticated}
    me_of: dict[int, int] = {}  # user id → person id
    for person_id, user_id in Person.objects.filter(
        village=village, user_id__any_of=user_ids, left_on__isnull=True
    ).values_list("pk", "user_id"):
        me_of.setdefault(user_id, person_id)
    wanted = set(me_of.values()) | {
        request.for_person.pk for request in ballots if request.for_person is not None
    }
    # Lock only these voters' rows (two phones of one voter queue here, nobody else does). No
    # default ordering: PollVoter's joins the poll, and FOR UPDATE would lock it too.
    roll_rows = [
        _RollEntry(*values)
        for values in PollVoter.objects.filter(poll=poll, person_id__any_of=wanted)
        .order_by("pk")
        .select_for_update(of=("self",))
        .values_list("pk", "person_id", "proxy_holder_id", "has_voted", "client_id")
    ]
    own_row: dict[int, _RollEntry] = {}
    for row in roll_rows:
        own_row.setdefault(row.person_id, row)
    valid_options = set(PollOption.objects.filter(poll=poll).values_list("pk", flat=True))
    stored: dict[int, Ballot] = {}
    if not poll.secret and refusal is None and poll.allow_change:
        stored = {
            b.voter_id: b
            for b in Ballot.objects.filter(poll=poll, voter_id__any_of=[r.person_id for r in roll_rows])
        }
    now = timezone.now()
    new_ballots: dict[int, _NewBallot] = {}  # voter id → the ballot this batch stores
    changed: dict[int, Ballot] = {}
    changes: list[BallotChange] = []
    intake: list[list[int]] = []
    marked: dict[int, _RollEntry] = {}
    for index in valid_requests:
        request = ballots[index]
        me = me_of.get(request.actor.pk) if request.actor.is_authenticated else None
        try:
            roll: _RollEntry | None = None
            if me is not None:
                if request.for_person is None:
                    roll = own_row.get(me)
                else:
                    roll = next(
                        (
                            row
                            for row in roll_rows
                            if row.person_id == request.for_person.pk and row.proxy_holder_id == me
                        ),
                        None,
                    )
            client_id = request.client_id
            if roll is not None and roll.has_voted and client_id and roll.client_id == client_id:
                outcomes[index] = BallotReceipt(poll_id=poll.pk, client_id=client_id, duplicate=True)
                continue
            if refusal is not None:
                raise refusal
            if me is None:
                raise ValidationError(_("Only people on this village's roster can vote."))
            if request.for_person is not None and roll is not None:
                holder_row = own_row.get(me)
                if holder_row is None or holder_row.proxy_holder_id is not None:
                    # A written proxy is used in the hall: its holder must be on the roll
                    # themselves (present when the vote opened).
                    raise ValidationError(
                        _(
                            "You were not present when this vote opened, so you cannot cast "
                            "the ballot of %(name)s either."
                        )
                        % {"name": request.for_person.name}
                    )
            if roll is None:
                if request.for_person is not None:
                    raise ValidationError(
                        _("You do not hold a written proxy of %(name)s for this vote.")
                        % {"name": request.for_person.name}
                    )
                raise ValidationError(
                    _("You were not present when this vote opened, so you are not on its voter roll.")
                )
            chosen = _clean_choices(poll, request.choices, valid_options)
            if poll.secret:
                if roll.has_voted:
                    raise ValidationError(_("This ballot has already been cast."))
                intake.append(chosen)
            elif roll.has_voted and not poll.allow_change:
                raise ValidationError(_("This ballot has already been cast."))
            elif (fresh := new_ballots.get(roll.person_id)) is not None:
                # Changed again in the same batch, before it was stored: its change is
                # recorded once it has an id, as one at a time would.
                fresh.earlier.append(fresh.choices)
                fresh.choices, fresh.cast_by_id, fresh.client_id = chosen, me, client_id
            elif (ballot := stored.get(roll.person_id)) is not None:
                # A ballot changed twice in one batch keeps each previous choice, as one at a time would.
                changes.append(BallotChange(ballot=ballot, previous_choices=ballot.choices, changed_at=now))
                ballot.choices = chosen
                ballot.cast_by_id = me
                ballot.cast_at = now
                ballot.client_id = client_id
                changed[ballot.pk] = ballot
            else:
                new_ballots[roll.person_id] = _NewBallot(
                    voter_id=roll.person_id, cast_by_id=me, choices=chosen, client_id=client_id
                )
            roll.has_voted = True
            roll.client_id = client_id
            marked[roll.pk] = roll
            outcomes[index] = BallotReceipt(poll_id=poll.pk, client_id=client_id, duplicate=False)
        except ValidationError as error:
            outcomes[index] = error
    if intake:
        # Sealed until the close, which moves the intake into the box (`_box_the_intake`).
        _shuffler.shuffle(intake)
        _intake_insert(poll, intake)
    if changes:
        BallotChange.objects.bulk_create(changes)
        Ballot.objects.bulk_update(
            list(changed.values()), ["choices", "cast_by", "cast_at", "client_id"], batch_size=BULK_BATCH
        )
    if new_ballots:
        # The roll rows are locked: no one else can insert these voters' ballots meanwhile; the
        # unique constraint stays the last word (IntegrityError rolls the whole batch back).
        _ballots_insert(poll, list(new_ballots.values()), cast_at=now)
    if marked:
        rows_update(
            table=PollVoter._meta.db_table,
            set_sql="has_voted = TRUE, client_id = batch.client_id",
            key=("id", "bigint"),
            columns=[("client_id", "varchar")],
            rows=[(row.pk, row.client_id) for row in marked.values()],
        )
        poll_progress_touch(session_id=session.pk, poll_id=poll.pk)
    return [outcome for outcome in outcomes if outcome is not None]


@dataclass(slots=True)
class _RollEntry:
    """A voter's roll row as the batch reads and marks it (PollVoter's columns)."""

    pk: int
    person_id: int
    proxy_holder_id: int | None
    has_voted: bool
    client_id: str


@dataclass(slots=True)
class _NewBallot:
    """A named ballot the batch stores, and the choices it had earlier in the same batch."""

    voter_id: int
    cast_by_id: int
    choices: list[int]
    client_id: str
    earlier: list[list[int]] = field(default_factory=list)


def _ballots_insert(poll: Poll, ballots: list[_NewBallot], *, cast_at: datetime) -> None:
    rows_insert(
        table=Ballot._meta.db_table,
        fixed={"poll_id": poll.pk, "cast_at": connection.ops.adapt_datetimefield_value(cast_at)},
        columns=[
            ("voter_id", "bigint"),
            ("cast_by_id", "bigint"),
            ("choices", "jsonb"),
            ("client_id", "varchar"),
        ],
        rows=[(b.voter_id, b.cast_by_id, json.dumps(b.choices), b.client_id) for b in ballots],
    )
    changed_again = {b.voter_id: b.earlier for b in ballots if b.earlier}
    if changed_again:
        stored = Ballot.objects.filter(poll=poll, voter_id__any_of=list(changed_again))
        BallotChange.objects.bulk_create(
            BallotChange(ballot_id=pk, previous_choices=previous, changed_at=cast_at)
            for voter_id, pk in stored.values_list("voter_id", "pk")
            for previous in changed_again[voter_id]
        )


def _intake_insert(poll: Poll, intake: list[list[int]]) -> None:
    id_field = BallotIntake._meta.pk
    assert id_field is not None
    rows_insert(
        table=BallotIntake._meta.db_table,
        fixed={"poll_id": poll.pk},
        columns=[("id", "uuid"), ("choices", "jsonb")],
        rows=[
            (id_field.get_db_prep_value(uuid.uuid4(), connection), json.dumps(chosen)) for chosen in intake
        ],
    )


# ---- Closing ----


def _store_result(*, actor: User, poll: Poll, session: Session, result: PollResult, action: str) -> Poll:
    before = snapshot(poll, AUDITED_FIELDS)
    poll.state = PollState.CLOSED
    poll.closed_at = timezone.now()
    poll.votes_cast = result.votes_cast
    poll.counts = result.counts
    poll.passed = result.passed
    poll.explanation_zh = result.explanation_zh
    poll.explanation_en = result.explanation_en
    if poll.kind != PollKind.YES_NO:
        # Stored with the result, so the pages and the next round read them, not today's rules:
        # whether the round was valid (an invalid one is held again) and who tied at the last seat.
        poll.totals = {
            **(poll.totals or {}),
            ELECTION_VALID: result.election_valid,
            TIED: sorted(result.tied_option_ids),
        }
    poll.save(
        update_fields=[
            "state",
            "closed_at",
            "totals",
            "votes_cast",
            "counts",
            "passed",
            "explanation_zh",
            "explanation_en",
            "tellers",
        ]
    )
    if poll.kind != PollKind.YES_NO:
        PollOption.objects.filter(poll=poll).update(elected=False)
        PollOption.objects.filter(poll=poll, pk__in=result.elected_option_ids).update(elected=True)
    audit_record(
        actor=actor,
        village=session.council.village,
        action=action,
        target=poll,
        before=before,
        after=snapshot(poll, AUDITED_FIELDS) | {"elected": sorted(result.elected_option_ids)},
        # The result with its options, ballots and roll, final from now on.
        seal=[poll],
    )
    # Before the close event: no progress broadcast may still be on its way to every socket.
    poll_progress_end(poll_id=poll.pk)
    session_event_send(
        session=session,
        type=EventType.POLL_CLOSED,
        data={"poll": poll.pk, "passed": poll.passed, "votes_cast": poll.votes_cast, "counts": poll.counts},
    )
    return poll


def _lock_open_poll(actor: User, poll: Poll) -> tuple[Poll, Session]:
    # FOR UPDATE waits for the ballots in flight (they hold the row FOR SHARE).
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    session = Session.objects.select_related("council__village").get(
        pk=Poll.objects.values_list("item__session_id", flat=True).get(pk=poll.pk)
    )
    _refuse_unless_runs_polls(actor, session)
    if poll.state != PollState.OPEN:
        raise ValidationError(_("This vote is not open."))
    return poll, session


def _box_the_intake(poll: Poll) -> None:
    """Move a secret poll's intake into the ballot box, under the poll's FOR UPDATE lock and in
    the close's transaction: read, shuffle, insert in the shuffled order, delete the intake. Every
    boxed ballot then carries the close's row version (PostgreSQL's xmin), not that of the
    transaction that marked its voter on the roll, and the box's physical order is random."""
    sealed = list(BallotIntake.objects.filter(poll=poll).values_list("pk", "choices"))
    if not sealed:
        return
    _shuffler.shuffle(sealed)
    SecretBallot.objects.bulk_create(
        [SecretBallot(poll=poll, choices=choices) for _pk, choices in sealed], batch_size=BOX_BATCH
    )
    BallotIntake.objects.filter(poll=poll).delete()


@transaction.atomic
def poll_close(*, actor: User, poll: Poll) -> Poll:
    """Close an electronic vote: count the ballots and apply the body's rule to the figures
    frozen at the opening. A secret vote's intake is moved into the box first and counted there."""
    poll, session = _lock_open_poll(actor, poll)
    if poll.method != PollMethod.ELECTRONIC:
        raise ValidationError(
            _("Enter the counts of the show of hands or of the paper ballots to close this vote.")
        )
    if poll.secret:
        _box_the_intake(poll)
    counts = {str(pk): 0 for pk in PollOption.objects.filter(poll=poll).values_list("pk", flat=True)}
    box = SecretBallot.objects.filter(poll=poll) if poll.secret else Ballot.objects.filter(poll=poll)
    for chosen in box.values_list("choices", flat=True).iterator():
        for option_id in chosen:
            key = str(option_id)
            if key in counts:
                counts[key] += 1
    votes_cast = PollVoter.objects.filter(poll=poll, has_voted=True).count()
    result = result_of(poll, session=session, counts=counts, votes_cast=votes_cast)
    return _store_result(actor=actor, poll=poll, session=session, result=result, action="poll.close")


@transaction.atomic
def poll_count_record(
    *,
    actor: User,
    poll: Poll,
    counts: Mapping[int, int],
    tellers: str,
    votes_cast: int | None = None,
) -> Poll:
    """Enter the counts of a show of hands or of paper ballots, with the tellers' names, and close
    the vote with the same rule as an electronic one. For a motion, votes cast are the hands or
    ballots counted (in favour + against + abstain); for an election, the ballots cast."""
    poll, session = _lock_open_poll(actor, poll)
    if poll.method == PollMethod.ELECTRONIC:
        raise ValidationError(_("This vote is cast on phones: close it to count the ballots."))
    tellers = tellers.strip()
    if not tellers:
        raise ValidationError(_("Enter the names of the tellers (计票人、监票人)."))
    if len(tellers) > TELLERS_MAX:
        raise ValidationError(_("The tellers' names are too long (at most 300 characters)."))
    entitled = poll.entitled_count or 0
    options = list(PollOption.objects.filter(poll=poll))
    if set(counts) != {option.pk for option in options}:
        raise ValidationError(_("Enter a count for every option."))
    for option in options:
        value = counts[option.pk]
        if not isinstance(value, int) or value < 0 or value > entitled:
            raise ValidationError(
                _("Each count must be between 0 and %(entitled)d, the number entitled to vote.")
                % {"entitled": entitled}
            )
    total = sum(counts[option.pk] for option in options)
    if poll.kind == PollKind.YES_NO:
        if total > entitled:
            raise ValidationError(
                _(
                    "In favour, against and abstain add up to %(total)d, "
                    "more than the %(entitled)d entitled to vote."
                )
                % {"total": total, "entitled": entitled}
            )
        cast = total
    else:
        if votes_cast is None or votes_cast < 0 or votes_cast > entitled:
            raise ValidationError(
                _("Enter the number of ballots cast, between 0 and %(entitled)d.") % {"entitled": entitled}
            )
        for option in options:
            if counts[option.pk] > votes_cast:
                raise ValidationError(
                    _("%(name)s cannot have more votes than the %(cast)d ballots cast.")
                    % {"name": option.label, "cast": votes_cast}
                )
        if total > votes_cast * poll.max_choices:
            raise ValidationError(
                _(
                    "The votes add up to more than the ballots cast allow "
                    "(%(cast)d ballots of up to %(k)d choices)."
                )
                % {"cast": votes_cast, "k": poll.max_choices}
            )
        cast = votes_cast
    poll.tellers = tellers
    result = result_of(poll, session=session, counts={str(k): v for k, v in counts.items()}, votes_cast=cast)
    return _store_result(actor=actor, poll=poll, session=session, result=result, action="poll.count_record")
