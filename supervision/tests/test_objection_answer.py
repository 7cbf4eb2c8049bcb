"""Answering an objection: officials only, once; the objector is told."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from supervision.services.disclosure import objection_answer
from supervision.tests.disclosure_testing import make_item, make_objection, user_of
from villagegov.models import AuditRecord, Notification, Person, User, Village
from villagegov.tests.hostile_testing import in_chinese, refusal_text

pytestmark = pytest.mark.usefixtures("english")


def test_an_official_answers_and_the_objector_is_told(
    village: Village, official: Person, resident: Person, actor: User
) -> None:
    objection = make_objection(make_item(village, by=actor), resident)
    answered = objection_answer(actor=actor, objection=objection, answer=" 预算已经审核。 ")
    assert answered.answer == "预算已经审核。" and answered.answered_by == actor
    assert list(Notification.objects.values_list("person_id", flat=True)) == [resident.pk]
    assert AuditRecord.objects.filter(action="objection.answer").count() == 1


def test_refused_a_second_time(village: Village, resident: Person, actor: User) -> None:
    objection = make_objection(make_item(village, by=actor), resident, answered_by=actor)
    with pytest.raises(ValidationError, match="already been answered"):
        objection_answer(actor=actor, objection=objection, answer="再答")
    objection.refresh_from_db()
    assert objection.answer == "已说明。"


def test_refused_to_the_objector_and_without_text(village: Village, resident: Person, actor: User) -> None:
    objection = make_objection(make_item(village, by=actor), resident)
    with pytest.raises(ValidationError, match="Only village officials"):
        objection_answer(actor=user_of(resident), objection=objection, answer="我自己答")
    with pytest.raises(ValidationError, match="Write the answer"):
        objection_answer(actor=actor, objection=objection, answer="")
    objection.refresh_from_db()
    assert objection.answered_at is None


def _url(village: Village, pk: int) -> str:
    return reverse("objection_answer", args=[village.admin_code, pk])


def test_page_answers(village: Village, resident: Person, actor: User, official_client: Client) -> None:
    item = make_item(village, by=actor)
    objection = make_objection(item, resident)
    page = official_client.get(reverse("disclosure_detail", args=[village.admin_code, item.pk]))
    assert _url(village, objection.pk) in page.content.decode()
    response = official_client.post(_url(village, objection.pk), {"answer": "已经审核"})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.answer == "已经审核"
    assert official_client.post(_url(village, objection.pk), {"answer": "再答"}).status_code == 400


def test_page_refuses_bad_input_and_strangers(
    village: Village,
    resident: Person,
    actor: User,
    official_client: Client,
    resident_client: Client,
    outsider_client: Client,
    other_village: Village,
) -> None:
    objection = make_objection(make_item(village, by=actor), resident)
    assert official_client.post(_url(village, objection.pk), {"answer": ""}).status_code == 400
    assert official_client.get(_url(village, objection.pk)).status_code == 405
    assert resident_client.post(_url(village, objection.pk), {"answer": "答"}).status_code == 403
    assert outsider_client.post(_url(village, objection.pk), {"answer": "答"}).status_code == 404
    assert outsider_client.post(_url(other_village, objection.pk), {"answer": "答"}).status_code == 404
    assert Client().post(_url(village, objection.pk), {"answer": "答"}).status_code == 302
    objection.refresh_from_db()
    assert objection.answered_at is None


def test_page_says_in_chinese_why_an_answered_objection_takes_no_answer(
    village: Village, resident: Person, actor: User, official_client: Client
) -> None:
    objection = make_objection(make_item(village, by=actor), resident, answered_by=actor)
    with in_chinese():
        response = official_client.post(_url(village, objection.pk), {"answer": ""})
    assert response.status_code == 400
    assert "这个字段是必填项。" in refusal_text(response.content.decode())
    objection.refresh_from_db()
    assert objection.answer == "已说明。"
