"""decision_step_record: the six steps of 四议两公开 strictly in order, with dates, vote and publication."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.models import (
    DecisionProcess,
    DecisionStep,
    ElectionItem,
    Poll,
    PollState,
    Session,
    SessionState,
)
from consultations.selectors.decisions import decision_polls
from consultations.services.decisions import decision_create, decision_poll_refusal, decision_step_record
from consultations.tests.attendance_testing import assembly, make_session, representatives_meeting
from consultations.tests.minutes_testing import delegate, make_closed_poll, make_resolution, record_steps
from villagegov.models import AuditRecord, Body, Person, Role, User, Village
from villagegov.testing import client_for, council_of, make_person

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def process(village: Village, actor: User) -> DecisionProcess:
    return decision_create(actor=actor, village=village, title="村道修建", matter="collective_project")


@pytest.fixture
def session(village: Village, official: Person) -> Session:
    return make_session(representatives_meeting(village), state=SessionState.CLOSED, chair=official)


@pytest.fixture
def poll(session: Session, village: Village, actor: User) -> Poll:
    """A vote on the process's matter in the representatives' meeting, which the assembly delegated."""
    delegate(village, "collective_project", Body.REPRESENTATIVES_MEETING, actor)
    return make_closed_poll(session, matter="collective_project")


@pytest.fixture
def plain(village: Village, actor: User) -> DecisionProcess:
    """A major decision that names no reserved matter."""
    return decision_create(actor=actor, village=village, title="村规民约宣传")


def record(process: DecisionProcess, actor: User, step: int, **overrides: object) -> DecisionStep:
    values: dict[str, object] = {
        "held_on": timezone.localdate(),
        "participants": "党支部",
        "document": "记录",
        "poll": None,
    }
    values.update(overrides)
    return decision_step_record(actor=actor, process=process, step=step, **values)  # type: ignore[arg-type]


def url(process: DecisionProcess) -> str:
    return reverse("decision_step_record", args=[process.village.admin_code, process.pk])


def test_all_six_steps_in_order_each_audited(process: DecisionProcess, actor: User, poll: Poll) -> None:
    make_resolution(poll, published_by=actor)
    record_steps(process, actor, upto=6, poll=poll)
    steps = list(DecisionStep.objects.filter(process=process).order_by("step"))
    assert [s.step for s in steps] == [1, 2, 3, 4, 5, 6]
    assert steps[3].poll == poll and steps[4].poll == poll
    assert AuditRecord.objects.filter(action="decision.step_record").count() == 6


def test_a_step_before_the_previous_is_refused_naming_it(process: DecisionProcess, actor: User) -> None:
    record(process, actor, 1)
    with pytest.raises(ValidationError, match=r"Record “joint discussion of the two committees.*” first"):
        record(process, actor, 3)
    assert DecisionStep.objects.filter(process=process).count() == 1


def test_the_first_step_cannot_be_skipped(process: DecisionProcess, actor: User) -> None:
    with pytest.raises(ValidationError, match="Record “proposal by the party branch"):
        record(process, actor, 2)


def test_a_step_is_recorded_once(process: DecisionProcess, actor: User) -> None:
    record(process, actor, 1)
    with pytest.raises(ValidationError, match="already recorded"):
        record(process, actor, 1)


@pytest.mark.parametrize("step", [0, 7, -1])
def test_no_such_step(process: DecisionProcess, actor: User, step: int) -> None:
    with pytest.raises(ValidationError, match="no such step"):
        record(process, actor, step)


def test_date_not_in_the_future(process: DecisionProcess, actor: User) -> None:
    with pytest.raises(ValidationError, match="cannot be in the future"):
        record(process, actor, 1, held_on=timezone.localdate() + timedelta(days=1))


def test_date_not_before_the_previous_step(process: DecisionProcess, actor: User) -> None:
    record(process, actor, 1, held_on=timezone.localdate() - timedelta(days=3))
    with pytest.raises(ValidationError, match="cannot be before that of the step before it"):
        record(process, actor, 2, held_on=timezone.localdate() - timedelta(days=4))
    record(process, actor, 2, held_on=timezone.localdate() - timedelta(days=3))  # the same day is fine


def test_who_and_document_are_required(process: DecisionProcess, actor: User) -> None:
    with pytest.raises(ValidationError, match="Say who took part"):
        record(process, actor, 1, participants="  ")
    with pytest.raises(ValidationError, match="document of this step"):
        record(process, actor, 1, document="")


def test_step_six_needs_the_document_of_the_result(process: DecisionProcess, actor: User, poll: Poll) -> None:
    make_resolution(poll, published_by=actor)
    record_steps(process, actor, upto=5, poll=poll)
    with pytest.raises(ValidationError, match="document of the result of carrying it out"):
        record(process, actor, 6, document=" ")


def test_decision_step_needs_a_vote(process: DecisionProcess, actor: User) -> None:
    record_steps(process, actor, upto=3)
    with pytest.raises(ValidationError, match="Choose the vote"):
        record(process, actor, 4)


def test_decision_step_refuses_a_failed_vote(process: DecisionProcess, actor: User, session: Session) -> None:
    record_steps(process, actor, upto=3)
    failed = make_closed_poll(session, passed=False, matter="collective_project")
    with pytest.raises(ValidationError, match="closed vote that passed"):
        record(process, actor, 4, poll=failed)


def test_decision_step_refuses_an_open_vote(process: DecisionProcess, actor: User, session: Session) -> None:
    record_steps(process, actor, upto=3)
    running = make_closed_poll(session, state=PollState.OPEN, matter="collective_project")
    with pytest.raises(ValidationError, match="closed vote that passed"):
        record(process, actor, 4, poll=running)


def test_without_a_matter_another_body_is_refused(
    plain: DecisionProcess, actor: User, village: Village, official: Person
) -> None:
    record_steps(plain, actor, upto=3)
    committee = make_session(
        council_of(village, Body.VILLAGE_COMMITTEE), state=SessionState.CLOSED, chair=official
    )
    with pytest.raises(ValidationError, match="villagers' assembly or villager representatives' meeting"):
        record(plain, actor, 4, poll=make_closed_poll(committee))


def test_without_a_matter_the_representatives_vote_is_accepted(
    plain: DecisionProcess, actor: User, session: Session
) -> None:
    record_steps(plain, actor, upto=3)
    poll = make_closed_poll(session)
    assert record(plain, actor, 4, poll=poll).poll == poll


def test_decision_step_refuses_another_villages_vote(
    process: DecisionProcess, actor: User, other_village: Village
) -> None:
    record_steps(process, actor, upto=3)
    chair = make_person(other_village, with_account=True)
    foreign = make_session(assembly(other_village), state=SessionState.CLOSED, chair=chair)
    with pytest.raises(ValidationError, match="this village's"):
        record(process, actor, 4, poll=make_closed_poll(foreign, matter="collective_project"))


def test_decision_step_refuses_an_election(plain: DecisionProcess, actor: User, session: Session) -> None:
    record_steps(plain, actor, upto=3)
    election = ElectionItem.objects.create(
        session=session,
        position=50,
        title="补选村民代表",
        office="村民代表",
        created_by=session.created_by,
    )
    with pytest.raises(ValidationError, match="is an election"):
        record(plain, actor, 4, poll=make_closed_poll(session, item=election))


def test_decision_step_accepts_the_villagers_assembly(
    process: DecisionProcess, actor: User, village: Village, official: Person
) -> None:
    record_steps(process, actor, upto=3)
    meeting = make_session(assembly(village), state=SessionState.CLOSED, chair=official)
    poll = make_closed_poll(meeting, matter="collective_project")
    assert record(process, actor, 4, poll=poll).poll == poll


def test_the_motion_must_be_on_the_processs_matter(
    process: DecisionProcess, actor: User, village: Village, official: Person
) -> None:
    record_steps(process, actor, upto=3)
    meeting = make_session(assembly(village), state=SessionState.CLOSED, chair=official)
    for matter in ("", "homestead_plan"):
        with pytest.raises(ValidationError, match="motion is not about collective economic projects"):
            record(process, actor, 4, poll=make_closed_poll(meeting, matter=matter))
    assert DecisionStep.objects.filter(process=process).count() == 3


def test_the_representatives_decide_an_art_24_matter_only_when_delegated(
    process: DecisionProcess, actor: User, session: Session, village: Village
) -> None:
    record_steps(process, actor, upto=3)
    poll = make_closed_poll(session, matter="collective_project")
    with pytest.raises(ValidationError, match="only when it was delegated"):
        record(process, actor, 4, poll=poll)
    delegate(village, "collective_project", Body.REPRESENTATIVES_MEETING, actor)
    assert record(process, actor, 4, poll=poll).poll == poll


def test_a_distribution_needs_the_members_assembly(village: Village, actor: User, official: Person) -> None:
    distribution = decision_create(
        actor=actor, village=village, title="年终分红", matter="collective_distribution"
    )
    record_steps(distribution, actor, upto=3)
    villagers = make_session(assembly(village), state=SessionState.CLOSED, chair=official)
    with pytest.raises(ValidationError, match="cannot decide"):
        record(distribution, actor, 4, poll=make_closed_poll(villagers, matter="collective_distribution"))
    members = make_session(
        council_of(village, Body.MEMBERS_ASSEMBLY), state=SessionState.CLOSED, chair=official
    )
    poll = make_closed_poll(members, matter="collective_distribution")
    assert record(distribution, actor, 4, poll=poll).poll == poll


def test_a_charter_needs_the_villagers_assembly(
    village: Village, actor: User, official: Person, session: Session
) -> None:
    charter = decision_create(actor=actor, village=village, title="修订村规民约", matter="charter_or_compact")
    record_steps(charter, actor, upto=3)
    with pytest.raises(ValidationError, match="cannot decide"):
        record(charter, actor, 4, poll=make_closed_poll(session, matter="charter_or_compact"))
    meeting = make_session(assembly(village), state=SessionState.CLOSED, chair=official)
    poll = make_closed_poll(meeting, matter="charter_or_compact")
    assert record(charter, actor, 4, poll=poll).poll == poll


def test_the_select_offers_exactly_the_acceptable_votes(
    village: Village, actor: User, official: Person, other_village: Village
) -> None:
    reps = make_session(representatives_meeting(village), state=SessionState.CLOSED, chair=official)
    villagers = make_session(assembly(village), state=SessionState.CLOSED, chair=official)
    members = make_session(
        council_of(village, Body.MEMBERS_ASSEMBLY), state=SessionState.CLOSED, chair=official
    )
    committee = make_session(
        council_of(village, Body.VILLAGE_COMMITTEE), state=SessionState.CLOSED, chair=official
    )
    foreign = make_session(
        assembly(other_village),
        state=SessionState.CLOSED,
        chair=make_person(other_village, with_account=True),
    )
    delegate(village, "homestead_plan", Body.REPRESENTATIVES_MEETING, actor)
    election = ElectionItem.objects.create(
        session=villagers, position=60, title="选举", office="组长", created_by=villagers.created_by
    )
    matters = ["", "homestead_plan", "collective_project", "charter_or_compact", "collective_distribution"]
    polls = [make_closed_poll(villagers, item=election)]
    for meeting in (reps, villagers, members, committee, foreign):
        for matter in matters:
            polls.append(make_closed_poll(meeting, matter=matter))
        polls.append(make_closed_poll(meeting, matter="homestead_plan", passed=False))
    for matter in matters:
        process = DecisionProcess.objects.create(
            village=village, title=f"事项{matter}", matter=matter, created_by=actor
        )
        offered = set(decision_polls(village, matter=matter))
        acceptable = {
            poll
            for poll in Poll.objects.select_related("item__session__council")
            if decision_poll_refusal(poll, process) is None
        }
        assert offered == acceptable and offered, matter
    assert {p.item.session for p in decision_polls(village, matter="homestead_plan")} == {reps, villagers}
    assert {p.item.session for p in decision_polls(village)} == {reps, villagers}


def test_the_decision_is_dated_the_local_day_its_vote_closed(
    process: DecisionProcess, actor: User, session: Session, village: Village
) -> None:
    delegate(village, "collective_project", Body.REPRESENTATIVES_MEETING, actor)
    # 20:00 UTC on the 1st is 04:00 on the 2nd in China: the vote's day is the 2nd.
    closed = timezone.localtime(timezone.now()).replace(hour=4, minute=0) - timedelta(days=5)
    poll = make_closed_poll(session, matter="collective_project", closed_at=closed)
    vote_day = closed.date()
    for step in (1, 2, 3):
        record(process, actor, step, held_on=vote_day - timedelta(days=1))
    with pytest.raises(ValidationError, match=r"day its vote closed, .* \(you gave"):
        record(process, actor, 4, poll=poll, held_on=vote_day - timedelta(days=1))
    assert record(process, actor, 4, poll=poll, held_on=vote_day).held_on == vote_day


def test_a_vote_before_the_review_cannot_be_the_decision(
    process: DecisionProcess, actor: User, session: Session, village: Village
) -> None:
    delegate(village, "collective_project", Body.REPRESENTATIVES_MEETING, actor)
    poll = make_closed_poll(
        session, matter="collective_project", closed_at=timezone.now() - timedelta(days=5)
    )
    for step in (1, 2, 3):
        record(process, actor, step, held_on=timezone.localdate() - timedelta(days=2))
    with pytest.raises(ValidationError, match=r"closed on .*, before “review by the party members"):
        record(process, actor, 4, poll=poll, held_on=timezone.localdate(poll.closed_at))
    assert DecisionStep.objects.filter(process=process).count() == 3


def test_the_publication_is_not_dated_before_the_resolution_was_published(
    process: DecisionProcess, actor: User, session: Session, village: Village
) -> None:
    delegate(village, "collective_project", Body.REPRESENTATIVES_MEETING, actor)
    vote_day = timezone.localdate() - timedelta(days=4)
    poll = make_closed_poll(
        session, matter="collective_project", closed_at=timezone.now() - timedelta(days=4)
    )
    make_resolution(poll, published_by=actor, published_at=timezone.now() - timedelta(days=1))
    for step in (1, 2, 3):
        record(process, actor, step, held_on=vote_day)
    record(process, actor, 4, poll=poll, held_on=vote_day)
    with pytest.raises(ValidationError, match=r"was published on .*cannot be before that"):
        record(process, actor, 5, held_on=vote_day + timedelta(days=1))
    assert record(process, actor, 5, held_on=timezone.localdate() - timedelta(days=1)).step == 5


def test_only_those_who_record_decisions_may_record_a_step(
    process: DecisionProcess, resident: Person
) -> None:
    assert resident.user is not None
    with pytest.raises(ValidationError, match="record major decisions"):
        record(process, resident.user, 1)
    assert not DecisionStep.objects.exists()


def test_publication_step_needs_a_resolution(process: DecisionProcess, actor: User, poll: Poll) -> None:
    record_steps(process, actor, upto=4, poll=poll)
    with pytest.raises(ValidationError, match="has no resolution yet"):
        record(process, actor, 5)


def test_publication_step_needs_it_published(process: DecisionProcess, actor: User, poll: Poll) -> None:
    record_steps(process, actor, upto=4, poll=poll)
    make_resolution(poll)
    with pytest.raises(ValidationError, match="is not published yet"):
        record(process, actor, 5)
    assert DecisionStep.objects.filter(process=process).count() == 4


def test_page_records_the_next_step(process: DecisionProcess, official_client: Client) -> None:
    data = {
        "step": "1",
        "held_on": timezone.localdate().isoformat(),
        "participants": "党支部",
        "document": "提议书",
    }
    response = official_client.post(url(process), data)
    assert response.status_code == 302
    assert DecisionStep.objects.get(process=process).document == "提议书"


def test_page_refusal_and_bad_input_are_400(process: DecisionProcess, official_client: Client) -> None:
    today = timezone.localdate().isoformat()
    out_of_order = {"step": "3", "held_on": today, "participants": "x", "document": "y"}
    response = official_client.post(url(process), out_of_order)
    assert response.status_code == 400 and "first: the steps run in order" in response.content.decode()
    for bad in (
        {},
        {"step": "9"},
        {"step": "1", "held_on": "2024-02-30"},
        {"step": "1e309", "poll": "2" * 30},
    ):
        assert official_client.post(url(process), bad).status_code == 400
    assert not DecisionStep.objects.exists()


def test_page_party_branch_may_record(process: DecisionProcess, village: Village) -> None:
    member = make_person(village, roles=(Role.PARTY_BRANCH_MEMBER,), with_account=True)
    data = {
        "step": "1",
        "held_on": timezone.localdate().isoformat(),
        "participants": "党支部",
        "document": "提议",
    }
    assert client_for(member).post(url(process), data).status_code == 302


def test_page_roles_villages_and_anonymous(
    process: DecisionProcess,
    resident_client: Client,
    outsider_client: Client,
    other_village: Village,
    official_client: Client,
) -> None:
    data = {"step": "1", "held_on": timezone.localdate().isoformat(), "participants": "x", "document": "y"}
    assert official_client.get(url(process)).status_code == 405
    assert resident_client.post(url(process), data).status_code == 403
    assert outsider_client.post(url(process), data).status_code == 404
    foreign = reverse("decision_step_record", args=[other_village.admin_code, process.pk])
    assert outsider_client.post(foreign, data).status_code == 404
    response = Client().post(url(process), data)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not DecisionStep.objects.exists()
