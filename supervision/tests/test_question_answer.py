"""Answering a formal question: the addressee (for a body, a member of it in office), once; the
asker is told."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.tests.attendance_testing import seat
from supervision.models import Question
from supervision.selectors.questions import may_answer
from supervision.services.questions import question_answer
from supervision.tests.disclosure_testing import make_question, supervisor, user_of
from villagegov.models import AuditRecord, Body, CouncilSeat, Notification, Person, Role, Village
from villagegov.testing import client_for, council_of, make_person

pytestmark = pytest.mark.usefixtures("english")


def test_the_addressee_answers_and_the_asker_is_told(village: Village, official: Person) -> None:
    asker = supervisor(village)
    question = make_question(village, asked_by=user_of(asker), person=official)
    answered = question_answer(actor=user_of(official), question=question, answer=" 已按规定招标。 ")
    assert answered.answer == "已按规定招标。" and answered.answered_at is not None
    assert list(Notification.objects.values_list("person_id", flat=True)) == [asker.pk]
    assert AuditRecord.objects.filter(action="question.answer").count() == 1


def test_only_the_addressed_official_answers_a_personal_question(village: Village, official: Person) -> None:
    clerk = make_person(village, roles=(Role.CLERK,), with_account=True)
    question = make_question(village, asked_by=user_of(supervisor(village)), person=official)
    with pytest.raises(ValidationError, match="Only the official"):
        question_answer(actor=user_of(clerk), question=question, answer="代答")
    question.refresh_from_db()
    assert question.answered_at is None


def test_for_a_body_only_a_member_in_office_answers(village: Village, official: Person) -> None:
    board = council_of(village, Body.BOARD)
    member = seat(board, make_person(village, name="董事", with_account=True))
    clerk = make_person(village, roles=(Role.CLERK,), with_account=True)
    question = make_question(village, asked_by=user_of(supervisor(village)), council=board)
    # Neither an official nor a member of the village committee answers for another body.
    for stranger in (
        official,
        clerk,
        seat(council_of(village, Body.VILLAGE_COMMITTEE), make_person(village)),
    ):
        assert not may_answer(question, stranger)
    with pytest.raises(ValidationError, match="Only the official or a member of the body"):
        question_answer(actor=user_of(clerk), question=question, answer="答")
    assert may_answer(question, member)
    assert question_answer(actor=user_of(member), question=question, answer="答").answered_at


def test_the_village_committees_members_answer_questions_to_the_village_committee(village: Village) -> None:
    committee = council_of(village, Body.VILLAGE_COMMITTEE)
    member = seat(committee, make_person(village, name="村委委员", with_account=True))
    question = make_question(village, asked_by=user_of(supervisor(village)), council=committee)
    assert question_answer(actor=user_of(member), question=question, answer="答").answered_at


def test_a_member_whose_term_ended_no_longer_answers(village: Village) -> None:
    board = council_of(village, Body.BOARD)
    former = make_person(village, with_account=True)
    CouncilSeat.objects.create(
        council=board,
        person=former,
        starts_on=timezone.localdate() - timedelta(days=400),
        ends_on=timezone.localdate() - timedelta(days=1),
    )
    question = make_question(village, asked_by=user_of(supervisor(village)), council=board)
    assert not may_answer(question, former)


def test_refused_a_second_time_and_without_text(village: Village, official: Person) -> None:
    question = make_question(village, asked_by=user_of(supervisor(village)), person=official)
    with pytest.raises(ValidationError, match="Write the answer"):
        question_answer(actor=user_of(official), question=question, answer="")
    question_answer(actor=user_of(official), question=question, answer="答")
    with pytest.raises(ValidationError, match="already been answered"):
        question_answer(actor=user_of(official), question=question, answer="再答")
    question.refresh_from_db()
    assert question.answer == "答"


def _url(village: Village, pk: int) -> str:
    return reverse("question_answer", args=[village.admin_code, pk])


def test_page_answers(village: Village, official: Person, official_client: Client) -> None:
    question = make_question(village, asked_by=user_of(supervisor(village)), person=official)
    page = official_client.get(reverse("question_detail", args=[village.admin_code, question.pk]))
    assert _url(village, question.pk) in page.content.decode()
    response = official_client.post(_url(village, question.pk), {"answer": "答"})
    assert response.status_code == 302
    assert official_client.post(_url(village, question.pk), {"answer": "再答"}).status_code == 400
    assert official_client.get(_url(village, question.pk)).status_code == 405


def test_page_refuses_bad_input_and_strangers(
    village: Village,
    other_village: Village,
    official: Person,
    official_client: Client,
    resident_client: Client,
    outsider_client: Client,
) -> None:
    question = make_question(village, asked_by=user_of(supervisor(village)), person=official)
    assert official_client.post(_url(village, question.pk), {"answer": ""}).status_code == 400
    # A resident who may not see the question yet finds nothing; once it is overdue they see it,
    # and the service refuses their answer.
    assert resident_client.post(_url(village, question.pk), {"answer": "答"}).status_code == 404
    Question.objects.filter(pk=question.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    assert resident_client.post(_url(village, question.pk), {"answer": "答"}).status_code == 400
    assert outsider_client.post(_url(village, question.pk), {"answer": "答"}).status_code == 404
    assert outsider_client.post(_url(other_village, question.pk), {"answer": "答"}).status_code == 404
    assert Client().post(_url(village, question.pk), {"answer": "答"}).status_code == 302
    other_official = make_person(village, roles=(Role.CLERK,), with_account=True)
    assert client_for(other_official).post(_url(village, question.pk), {"answer": "答"}).status_code == 400
    assert Question.objects.get().answered_at is None
