"""Who sees which question: the committee, officials and the addressee all of them; residents
only answered ones and those unanswered past their due date, never one still within its time."""

import pytest
from django.test import Client
from django.urls import reverse

from supervision.tests.disclosure_testing import make_question, supervisor, user_of
from villagegov.models import Body, CouncilSeat, Person, Role, Village
from villagegov.testing import ROLES_SINCE, client_for, council_of, make_person

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def questions(village: Village, official: Person) -> dict[str, object]:
    asker = user_of(supervisor(village))
    return {
        "pending": make_question(
            village, asked_by=asker, person=official, text="尚在期限内的质询", due_in_days=3
        ),
        "due_today": make_question(
            village, asked_by=asker, person=official, text="今天到期的质询", due_in_days=0
        ),
        "overdue": make_question(
            village, asked_by=asker, person=official, text="逾期未答的质询", due_in_days=-1
        ),
        "answered": make_question(
            village, asked_by=asker, person=official, text="已答复的质询", answered=True
        ),
    }


def _list(village: Village) -> str:
    return reverse("question_list", args=[village.admin_code])


def _detail(village: Village, question: object) -> str:
    return reverse("question_detail", args=[village.admin_code, question.pk])  # type: ignore[attr-defined]


def test_residents_see_answered_and_overdue_only(
    village: Village, resident_client: Client, questions: dict[str, object]
) -> None:
    text = resident_client.get(_list(village)).content.decode()
    assert "已答复的质询" in text and "逾期未答的质询" in text
    assert "尚在期限内的质询" not in text and "今天到期的质询" not in text
    assert "unanswered, overdue" in text
    assert resident_client.get(_detail(village, questions["pending"])).status_code == 404
    assert resident_client.get(_detail(village, questions["due_today"])).status_code == 404
    overdue = resident_client.get(_detail(village, questions["overdue"]))
    assert overdue.status_code == 200 and "unanswered, overdue" in overdue.content.decode()
    assert resident_client.get(_detail(village, questions["answered"])).status_code == 200


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.COMMITTEE_MEMBER, Role.CLERK])
def test_the_committee_and_officials_see_all(
    village: Village, questions: dict[str, object], role: Role
) -> None:
    client = client_for(make_person(village, roles=(role,), with_account=True))
    text = client.get(_list(village)).content.decode()
    assert all(q in text for q in ("尚在期限内的质询", "今天到期的质询", "逾期未答的质询", "已答复的质询"))
    assert client.get(_detail(village, questions["pending"])).status_code == 200


def test_the_addressee_sees_their_question_within_its_time(village: Village, official: Person) -> None:
    accountant = make_person(village, roles=(Role.ACCOUNTANT,), with_account=True)
    question = make_question(
        village, asked_by=user_of(supervisor(village)), person=accountant, text="给报账员的质询"
    )
    client = client_for(accountant)
    assert "给报账员的质询" in client.get(_list(village)).content.decode()
    assert client.get(_detail(village, question)).status_code == 200
    other = make_person(village, roles=(Role.ACCOUNTANT,), with_account=True)
    assert client_for(other).get(_detail(village, question)).status_code == 404


def test_a_member_of_the_body_sees_its_question(village: Village) -> None:
    board = council_of(village, Body.BOARD)
    member = make_person(village, with_account=True)
    CouncilSeat.objects.create(council=board, person=member, starts_on=ROLES_SINCE)
    question = make_question(
        village, asked_by=user_of(supervisor(village)), council=board, text="给理事会的质询"
    )
    assert client_for(member).get(_detail(village, question)).status_code == 200
    assert "给理事会的质询" in client_for(member).get(_list(village)).content.decode()


def test_strangers_see_nothing(
    village: Village, other_village: Village, outsider_client: Client, questions: dict[str, object]
) -> None:
    assert outsider_client.get(_list(village)).status_code == 404
    assert outsider_client.get(_detail(village, questions["answered"])).status_code == 404
    assert outsider_client.get(_detail(other_village, questions["answered"])).status_code == 404
    assert "已答复的质询" not in outsider_client.get(_list(other_village)).content.decode()
    assert Client().get(_list(village)).status_code == 302
