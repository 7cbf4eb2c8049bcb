"""Formal questions (质询) of the supervision committee to an official or a body, with an answer
due; the answer is recorded once and the asker is told."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from supervision.models import Question
from supervision.selectors.questions import may_answer, question_addressees, question_councils
from supervision.services import TOO_LONG, notification_language
from villagegov.formats import local_date
from villagegov.models import Council, Person, User, Village
from villagegov.permissions import Action, can, person_in
from villagegov.selectors.councils import council_members
from villagegov.services.audit import audit_record, audited_update, snapshot
from villagegov.services.notifications import notification_send
from villagegov.services.text import clean_text

TEXT_MAX_LENGTH = 5000
ANSWER_MAX_LENGTH = 5000
# A due date further ahead than this is a mistake, not a deadline.
MAX_DAYS_AHEAD = 366


def _link(question: Question) -> str:
    return reverse("question_detail", args=[question.village.admin_code, question.pk])


@transaction.atomic
def question_ask(
    *,
    actor: User,
    village: Village,
    text: str,
    due_on: date,
    person: Person | None = None,
    council: Council | None = None,
) -> Question:
    """A member of the supervision committee asks an official (`person`) or a body (`council`)
    a formal question, answer due by `due_on` (tomorrow at the earliest). The addressee, or the
    body's members, are told."""
    if not can(actor, Action.ASK_QUESTIONS, village):
        raise ValidationError(_("Only members of the supervision committee ask formal questions."))
    if (person is None) == (council is None):
        raise ValidationError(_("Address the question either to one official or to one body."))
    today = timezone.localdate()
    if person is not None and not question_addressees(village, on=today).filter(pk=person.pk).exists():
        raise ValidationError(
            _("%(name)s holds no office in this village that answers questions.") % {"name": person.name}
        )
    if council is not None and not question_councils(village).filter(pk=council.pk).exists():
        raise ValidationError(
            _("Questions can be addressed only to a body of this village that has members.")
        )
    earliest = today + timedelta(days=1)
    if due_on < earliest:
        raise ValidationError(
            _("The answer can be due on %(date)s at the earliest.") % {"date": local_date(earliest)}
        )
    if due_on > today + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(_("The answer must be due within a year."))
    text = clean_text(
        text, max_length=TEXT_MAX_LENGTH, too_long=str(TOO_LONG), empty=_("Write the question.")
    )
    question = Question.objects.create(
        village=village,
        addressed_to_person=person,
        addressed_to_council=council,
        text=text,
        due_on=due_on,
        asked_by=actor,
        asked_at=timezone.now(),
    )
    audit_record(
        actor=actor, village=village, action="question.ask", target=question, after=snapshot(question)
    )
    recipients = (
        Person.objects.filter(pk=person.pk) if person is not None else council_members(council, on=today)  # type: ignore[arg-type]
    )
    with notification_language():
        message = _(
            "The supervision committee asks a formal question, answer due by %(date)s: “%(text)s”"
        ) % {
            "date": local_date(due_on),
            "text": Truncator(text).chars(80),
        }
    notification_send(village=village, people=recipients, message=message, link=_link(question))
    return question


@transaction.atomic
def question_answer(*, actor: User, question: Question, answer: str) -> Question:
    """The addressed official answers (for a body, one of its members in office: `may_answer`),
    once; the committee member who asked is told."""
    locked = Question.objects.select_for_update().select_related("village").get(pk=question.pk)
    village = locked.village
    person = person_in(actor, village)
    if not may_answer(locked, person):
        raise ValidationError(
            _("Only the official or a member of the body the question is addressed to answers it.")
        )
    if locked.answered_at is not None:
        raise ValidationError(_("This question has already been answered."))
    answer = clean_text(
        answer, max_length=ANSWER_MAX_LENGTH, too_long=str(TOO_LONG), empty=_("Write the answer.")
    )
    changes = {"answer": answer, "answered_by": actor, "answered_at": timezone.now()}
    audited_update(locked, actor=actor, village=village, action="question.answer", changes=changes)
    asker = person_in(locked.asked_by, village)
    if asker is not None:
        with notification_language():
            message = _("Your formal question was answered: “%(text)s”") % {
                "text": Truncator(locked.text).chars(60)
            }
        notification_send(
            village=village, people=Person.objects.filter(pk=asker.pk), message=message, link=_link(locked)
        )
    return locked
