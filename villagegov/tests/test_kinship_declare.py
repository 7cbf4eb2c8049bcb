"""Declaring close kinship: the service and the form on the person's page."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from villagegov.models import (
    AuditRecord,
    Kinship,
    Person,
    Relation,
    User,
    Village,
)
from villagegov.services.roster import kinship_declare
from villagegov.testing import make_person, make_village

pytestmark = pytest.mark.usefixtures("english")


def _url(person: Person) -> str:
    return reverse("kinship_declare", args=[person.village.admin_code, person.pk])


def _pairs() -> set[tuple[int, int, str]]:
    return set(Kinship.objects.values_list("person_id", "relative_id", "relation"))


def test_service_stores_both_directions(village: Village, actor: User) -> None:
    mother, son = make_person(village), make_person(village)
    kinship_declare(actor=actor, person=son, relative=mother, relation=Relation.PARENT)
    assert _pairs() == {(son.pk, mother.pk, "parent"), (mother.pk, son.pk, "child")}
    record = AuditRecord.objects.get(action="kinship.declare")
    assert record.after is not None
    assert record.after["inverse"]["relation"] == "child"


@pytest.mark.parametrize(
    ("relation", "inverse"),
    [
        (Relation.SPOUSE, "spouse"),
        (Relation.SIBLING, "sibling"),
        (Relation.GRANDPARENT, "grandchild"),
        (Relation.GRANDCHILD, "grandparent"),
        (Relation.CHILD, "parent"),
    ],
)
def test_service_stores_the_inverse_relation(
    village: Village, actor: User, relation: Relation, inverse: str
) -> None:
    person, relative = make_person(village), make_person(village)
    kinship_declare(actor=actor, person=person, relative=relative, relation=relation)
    assert Kinship.objects.get(person=relative, relative=person).relation == inverse


def test_service_refuses_a_pair_already_declared_either_way(village: Village, actor: User) -> None:
    wife, husband = make_person(village, name="阿芳"), make_person(village, name="阿强")
    kinship_declare(actor=actor, person=wife, relative=husband, relation=Relation.SPOUSE)
    with pytest.raises(ValidationError, match="阿强 is already declared as 阿芳's spouse"):
        kinship_declare(actor=actor, person=wife, relative=husband, relation=Relation.SIBLING)
    with pytest.raises(ValidationError, match="阿芳 is already declared as 阿强's spouse"):
        kinship_declare(actor=actor, person=husband, relative=wife, relation=Relation.PARENT)
    assert Kinship.objects.count() == 2


def test_service_refuses_self_and_other_village(village: Village, actor: User) -> None:
    person = make_person(village)
    with pytest.raises(ValidationError, match="own relative"):
        kinship_declare(actor=actor, person=person, relative=person, relation=Relation.SIBLING)
    with pytest.raises(ValidationError, match="same village"):
        kinship_declare(
            actor=actor, person=person, relative=make_person(make_village()), relation=Relation.SIBLING
        )
    assert not Kinship.objects.exists()


def test_page_declares_by_pick_from_the_list(village: Village, official_client: Client) -> None:
    person = make_person(village, name="陈伯")
    make_person(village, name="陈明")
    namesake = make_person(village, name="陈明")
    page = official_client.get(
        reverse("person_detail", args=[village.admin_code, person.pk])
    ).content.decode()
    assert f'value="陈明 (#{namesake.pk})"' in page
    response = official_client.post(_url(person), {"relation": "child", "relative": f"陈明 (#{namesake.pk})"})
    assert response.status_code == 302
    assert _pairs() == {(person.pk, namesake.pk, "child"), (namesake.pk, person.pk, "parent")}


def test_page_declares_by_unique_name(village: Village, official_client: Client) -> None:
    person, sister = make_person(village), make_person(village, name="李秀英")
    response = official_client.post(_url(person), {"relation": "sibling", "relative": " 李秀英 "})
    assert response.status_code == 302
    assert (person.pk, sister.pk, "sibling") in _pairs()


def test_page_asks_to_pick_when_a_name_is_shared(village: Village, official_client: Client) -> None:
    person = make_person(village)
    make_person(village, name="陈明")
    make_person(village, name="陈明")
    response = official_client.post(_url(person), {"relation": "sibling", "relative": "陈明"})
    assert response.status_code == 400
    assert "Several people are called" in response.content.decode()
    assert not Kinship.objects.exists()


@pytest.mark.parametrize("relative", ["nobody", "#0", "x (#99999999999999999)", "", "somebody else (#{pk})"])
def test_page_bad_relative_changes_nothing(village: Village, official_client: Client, relative: str) -> None:
    person = make_person(village)
    relative = relative.format(pk=make_person(village, name="李秀英").pk)
    response = official_client.post(_url(person), {"relation": "sibling", "relative": relative})
    assert response.status_code == 400
    assert b"errorlist" in response.content
    assert not Kinship.objects.exists()


def test_page_refuses_relative_of_another_village_and_self(
    village: Village, other_village: Village, official_client: Client
) -> None:
    person = make_person(village)
    stranger = make_person(other_village, name="外村人")
    for relative in [f"外村人 (#{stranger.pk})", f"{person.name} (#{person.pk})"]:
        response = official_client.post(_url(person), {"relation": "spouse", "relative": relative})
        assert response.status_code == 400
    assert not Kinship.objects.exists()


def test_page_shows_duplicate_declaration(village: Village, official_client: Client) -> None:
    person, relative = make_person(village), make_person(village, name="李秀英")
    Kinship.objects.create(person=person, relative=relative, relation=Relation.SPOUSE)
    Kinship.objects.create(person=relative, relative=person, relation=Relation.SPOUSE)
    response = official_client.post(
        _url(person), {"relation": "sibling", "relative": f"李秀英 (#{relative.pk})"}
    )
    assert response.status_code == 400
    assert "already declared as" in response.content.decode()
    assert Kinship.objects.count() == 2


def test_access(
    village: Village,
    other_village: Village,
    official_client: Client,
    resident_client: Client,
    outsider_client: Client,
    client: Client,
) -> None:
    person, relative = make_person(village), make_person(village)
    data = {"relation": "sibling", "relative": f"#{relative.pk}"}
    assert resident_client.post(_url(person), data).status_code == 403
    assert outsider_client.post(_url(person), data).status_code == 404
    assert client.post(_url(person), data).status_code == 302
    stranger = make_person(other_village)
    url = reverse("kinship_declare", args=[village.admin_code, stranger.pk])
    assert official_client.post(url, data).status_code == 404
    assert not Kinship.objects.exists()
