"""Reads of formal questions (质询): whom they may be addressed to, and who sees which.

The committee, the officials and the addressee (for a body, its members) see every question.
Residents see a question once it is answered or once its due date has passed unanswered
("unanswered, overdue"), never one still within its time."""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from supervision.models import Question
from supervision.selectors.committee import action_holders
from villagegov.models import ROSTER_BODIES, Body, Council, CouncilSeat, Person, Role, Village
from villagegov.permissions import Action, roles_of_person
from villagegov.selectors.councils import council_members, seat_in_force

QUESTION_PAGE_SIZE = 20

# Who sees every question, whatever its state: the committee and the officials.
SEES_ALL_QUESTIONS = frozenset({Role.SUPERVISOR, Role.COMMITTEE_MEMBER, Role.CLERK})


def question_addressees(village: Village, *, on: date | None = None) -> QuerySet[Person]:
    """The officials a question may be addressed to: people on the roster who hold, that day, a
    role that answers questions (village-committee members, the clerk, the accountant)."""
    return action_holders(village, Action.ANSWER_QUESTIONS, on=on or timezone.localdate()).order_by(
        "name", "pk"
    )


def question_councils(village: Village) -> QuerySet[Council]:
    """The bodies a question may be addressed to: the village's councils with seats, except the
    committee itself (the assemblies have no one to answer for them)."""
    return (
        Council.objects.filter(village=village)
        .exclude(body__in=[*ROSTER_BODIES, Body.SUPERVISION_COMMITTEE])
        .order_by("body", "name", "pk")
    )


def is_council_member(council: Council, person: Person | None, *, on: date | None = None) -> bool:
    """Whether `person` is a member of `council` on `on` (today): the members a question to it is
    sent to, `council_members`."""
    if person is None:
        return False
    return council_members(council, on=on or timezone.localdate()).filter(pk=person.pk).exists()


def sees_all_questions(person: Person | None) -> bool:
    return person is not None and bool(roles_of_person(person) & SEES_ALL_QUESTIONS)


def visible_questions(
    village: Village, *, person: Person | None, today: date | None = None
) -> QuerySet[Question]:
    """The village's questions the person may read, newest first."""
    day = today or timezone.localdate()
    questions = Question.objects.filter(village=village).select_related(
        "addressed_to_person", "addressed_to_council"
    )
    if sees_all_questions(person):
        return questions
    public = Q(answered_at__isnull=False) | Q(due_on__lt=day)
    if person is not None:
        seated = CouncilSeat.objects.filter(seat_in_force(on=day), person=person).values("council_id")
        public |= Q(addressed_to_person=person) | Q(addressed_to_council__in=seated)
    return questions.filter(public)


def visible_question(
    village: Village, question_id: int, *, person: Person | None, today: date | None = None
) -> Question | None:
    return visible_questions(village, person=person, today=today).filter(pk=question_id).first()


def is_overdue(question: Question, *, today: date | None = None) -> bool:
    """Unanswered past its due date."""
    return question.answered_at is None and question.due_on < (today or timezone.localdate())


def may_answer(question: Question, person: Person | None, *, on: date | None = None) -> bool:
    """Who answers a question, the one rule of the page and of the service: the official it is
    addressed to; for a body, a member of that body in office (so the village committee's members
    answer only the questions to the village committee)."""
    if person is None or person.village_id != question.village_id:
        return False
    if question.addressed_to_person_id is not None:
        return question.addressed_to_person_id == person.pk
    council = question.addressed_to_council
    assert council is not None
    return is_council_member(council, person, on=on)
