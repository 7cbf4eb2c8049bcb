"""Asking a formal question (质询): a supervisor, to an official or a body, due tomorrow at the
earliest; the addressee (or the body's members) is told."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from supervision.models import Question
from supervision.services.questions import question_ask
from supervision.tests.disclosure_testing import supervisor, user_of
from villagegov.models import AuditRecord, Body, Notification, Person, Role, Village
from villagegov.testing import client_for, council_of, make_person

pytestmark = pytest.mark.usefixtures("english")


def _tomorrow():
    return timezone.localdate() + timedelta(days=1)


def test_a_supervisor_asks_an_official_who_is_told(village: Village, official: Person) -> None:
    asker = supervisor(village)
    question = question_ask(
        actor=user_of(asker), village=village, person=official, text=" 请说明招标情况 ", due_on=_tomorrow()
    )
    assert question.text == "请说明招标情况" and question.addressed_to_person == official
    assert list(Notification.objects.values_list("person_id", flat=True)) == [official.pk]
    assert AuditRecord.objects.filter(action="question.ask").count() == 1


def test_a_question_to_a_body_tells_its_members(village: Village, official: Person) -> None:
    asker = supervisor(village)
    clerk = make_person(village, roles=(Role.CLERK,))
    committee = council_of(village, Body.VILLAGE_COMMITTEE)
    question_ask(actor=user_of(asker), village=village, council=committee, text="问", due_on=_tomorrow())
    assert set(Notification.objects.values_list("person_id", flat=True)) == {official.pk}
    assert clerk.pk not in set(Notification.objects.values_list("person_id", flat=True))


def test_refused_to_anyone_but_a_supervisor(village: Village, official: Person, resident: Person) -> None:
    with pytest.raises(ValidationError, match="Only members of the supervision committee"):
        question_ask(actor=user_of(official), village=village, person=official, text="问", due_on=_tomorrow())
    assert not Question.objects.exists()


def test_refused_a_due_date_before_tomorrow_or_beyond_a_year(village: Village, official: Person) -> None:
    asker = user_of(supervisor(village))
    with pytest.raises(ValidationError, match="at the earliest"):
        question_ask(actor=asker, village=village, person=official, text="问", due_on=timezone.localdate())
    with pytest.raises(ValidationError, match="within a year"):
        question_ask(
            actor=asker,
            village=village,
            person=official,
            text="问",
            due_on=timezone.localdate() + timedelta(days=400),
        )
    assert not Question.objects.exists()


def test_refused_to_a_plain_resident_or_both_or_neither(
    village: Village, official: Person, resident: Person
) -> None:
    asker = user_of(supervisor(village))
    committee = council_of(village, Body.VILLAGE_COMMITTEE)
    with pytest.raises(ValidationError, match="holds no office"):
        question_ask(actor=asker, village=village, person=resident, text="问", due_on=_tomorrow())
    with pytest.raises(ValidationError, match="either to one official or to one body"):
        question_ask(
            actor=asker, village=village, person=official, council=committee, text="问", due_on=_tomorrow()
        )
    with pytest.raises(ValidationError, match="either to one official or to one body"):
        question_ask(actor=asker, village=village, text="问", due_on=_tomorrow())
    assert not Question.objects.exists()


def test_refused_to_the_assembly_the_committee_itself_and_another_village(
    village: Village, other_village: Village, outsider: Person
) -> None:
    asker = user_of(supervisor(village))
    for council in (
        council_of(village, Body.VILLAGERS_ASSEMBLY),
        council_of(village, Body.SUPERVISION_COMMITTEE),
        council_of(other_village, Body.VILLAGE_COMMITTEE),
    ):
        with pytest.raises(ValidationError, match="body of this village"):
            question_ask(actor=asker, village=village, council=council, text="问", due_on=_tomorrow())
    with pytest.raises(ValidationError, match="holds no office"):
        question_ask(actor=asker, village=village, person=outsider, text="问", due_on=_tomorrow())
    assert not Question.objects.exists()


def test_refused_without_a_text(village: Village, official: Person) -> None:
    with pytest.raises(ValidationError, match="Write the question"):
        question_ask(
            actor=user_of(supervisor(village)), village=village, person=official, text=" ", due_on=_tomorrow()
        )


# --- The page ------------------------------------------------------------------------------------


def _url(village: Village) -> str:
    return reverse("question_ask", args=[village.admin_code])


def test_page_asks_and_redirects(village: Village, official: Person) -> None:
    client = client_for(supervisor(village))
    page = client.get(_url(village))
    assert page.status_code == 200
    assert official.name in page.content.decode()
    response = client.post(
        _url(village), {"official": official.pk, "question": "问", "due_on": _tomorrow().isoformat()}
    )
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("question_detail", args=[village.admin_code, question.pk])


@pytest.mark.parametrize(
    "data",
    [
        {"question": "问", "due_on": "TOMORROW"},
        {"official": "OFFICIAL", "council": "COUNCIL", "question": "问", "due_on": "TOMORROW"},
        {"official": "OFFICIAL", "question": "", "due_on": "TOMORROW"},
        {"official": "OFFICIAL", "question": "问", "due_on": "TODAY"},
        {"official": "OFFICIAL", "question": "问", "due_on": "nonsense"},
        {"official": "99999999999999999999999", "question": "问", "due_on": "TOMORROW"},
        {"official": "RESIDENT", "question": "问", "due_on": "TOMORROW"},
    ],
)
def test_page_refuses_bad_input_with_400(
    village: Village, official: Person, resident: Person, data: dict[str, str]
) -> None:
    client = client_for(supervisor(village))
    values = {
        "TOMORROW": _tomorrow().isoformat(),
        "TODAY": timezone.localdate().isoformat(),
        "OFFICIAL": str(official.pk),
        "RESIDENT": str(resident.pk),
        "COUNCIL": str(council_of(village, Body.VILLAGE_COMMITTEE).pk),
    }
    response = client.post(_url(village), {k: values.get(v, v) for k, v in data.items()})
    assert response.status_code == 400
    assert not Question.objects.exists()


def test_page_permissions(
    village: Village,
    official: Person,
    official_client: Client,
    resident_client: Client,
    outsider_client: Client,
) -> None:
    data = {"official": official.pk, "question": "问", "due_on": _tomorrow().isoformat()}
    assert official_client.post(_url(village), data).status_code == 403
    assert resident_client.get(_url(village)).status_code == 403
    assert outsider_client.post(_url(village), data).status_code == 404
    assert Client().post(_url(village), data).status_code == 302
    assert not Question.objects.exists()
