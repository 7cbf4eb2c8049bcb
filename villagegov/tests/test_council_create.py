"""Creating a council: the service's rules and the page."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse

from villagegov.models import AuditRecord, Body, Council, User, Village, VillagerGroup
from villagegov.services.councils import council_create

pytestmark = pytest.mark.usefixtures("english")


def url(village: Village) -> str:
    return reverse("council_create", args=[village.admin_code])


def made_here(village: Village) -> QuerySet[Council]:
    """The village's councils but the village committee the official's seat is on (make_person)."""
    return Council.objects.filter(village=village).exclude(body=Body.VILLAGE_COMMITTEE)


def test_creates_and_audits(village: Village, actor: User) -> None:
    council = council_create(actor=actor, village=village, body=Body.SUPERVISION_COMMITTEE, name=" 村监委 ")
    assert council.name == "村监委"
    record = AuditRecord.objects.get(action="council.create")
    assert record.target_id == str(council.pk)
    assert record.village == village
    assert record.after is not None
    assert record.after["body"] == Body.SUPERVISION_COMMITTEE


def test_a_second_village_committee_is_refused(village: Village, actor: User) -> None:
    # The official sits on the village's committee already.
    with pytest.raises(ValidationError, match="already has its village committee"):
        council_create(actor=actor, village=village, body=Body.VILLAGE_COMMITTEE, name="第二村委会")
    assert Council.objects.filter(village=village).count() == 1


def test_group_meeting_needs_a_group_of_the_village(
    village: Village, other_village: Village, actor: User
) -> None:
    with pytest.raises(ValidationError, match="villager group"):
        council_create(actor=actor, village=village, body=Body.VILLAGER_GROUP_MEETING, name="一组会议")
    foreign = VillagerGroup.objects.create(village=other_village, number=1, name="外村一组")
    with pytest.raises(ValidationError, match="not in this village"):
        council_create(
            actor=actor,
            village=village,
            body=Body.VILLAGER_GROUP_MEETING,
            name="一组会议",
            group=foreign,
        )
    group = VillagerGroup.objects.create(village=village, number=1, name="第一村民小组")
    council = council_create(
        actor=actor, village=village, body=Body.VILLAGER_GROUP_MEETING, name="一组会议", group=group
    )
    assert council.group == group
    with pytest.raises(ValidationError, match="already has its group meeting"):
        council_create(
            actor=actor,
            village=village,
            body=Body.VILLAGER_GROUP_MEETING,
            name="一组会议二",
            group=group,
        )


def test_only_a_group_meeting_belongs_to_a_group(village: Village, actor: User) -> None:
    group = VillagerGroup.objects.create(village=village, number=1, name="第一村民小组")
    with pytest.raises(ValidationError, match="Only a villager group meeting"):
        council_create(actor=actor, village=village, body=Body.BOARD, name="理事会", group=group)
    assert not made_here(village).exists()


def test_names_are_unique_and_statutory_bodies_single(village: Village, actor: User) -> None:
    council_create(actor=actor, village=village, body=Body.VILLAGERS_ASSEMBLY, name="村民会议")
    with pytest.raises(ValidationError, match="already has a council named"):
        council_create(actor=actor, village=village, body=Body.DELIBERATION_COUNCIL, name="村民会议")
    with pytest.raises(ValidationError, match="already has its"):
        council_create(actor=actor, village=village, body=Body.VILLAGERS_ASSEMBLY, name="第二个村民会议")
    # Consultation forms may meet in several councils.
    council_create(actor=actor, village=village, body=Body.DELIBERATION_COUNCIL, name="一组议事会")
    council_create(actor=actor, village=village, body=Body.DELIBERATION_COUNCIL, name="二组议事会")
    assert made_here(village).count() == 3
    assert AuditRecord.objects.filter(action="council.create").count() == 3


def test_refuses_an_empty_name(village: Village, actor: User) -> None:
    with pytest.raises(ValidationError, match="name"):
        council_create(actor=actor, village=village, body=Body.BOARD, name="   ")


def test_page_creates_the_council(village: Village, official_client: Client) -> None:
    response = official_client.get(url(village))
    assert response.status_code == 200
    response = official_client.post(
        url(village), {"body": Body.REPRESENTATIVES_MEETING, "name": "村民代表会议"}
    )
    council = made_here(village).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("council_detail", args=[village.admin_code, council.pk])
    assert council.body == Body.REPRESENTATIVES_MEETING


def test_page_shows_errors_and_changes_nothing(village: Village, official_client: Client) -> None:
    response = official_client.post(url(village), {"body": "no_such_body", "name": ""})
    assert response.status_code == 400
    assert response.context["form"].errors
    response = official_client.post(url(village), {"body": Body.VILLAGER_GROUP_MEETING, "name": "小组会议"})
    assert response.status_code == 400
    assert "villager group" in response.content.decode()
    assert not made_here(village).exists()
    assert not AuditRecord.objects.exists()


def test_page_refuses_a_group_of_another_village(
    village: Village, other_village: Village, official_client: Client
) -> None:
    foreign = VillagerGroup.objects.create(village=other_village, number=1, name="外村一组")
    response = official_client.post(
        url(village), {"body": Body.VILLAGER_GROUP_MEETING, "name": "小组会议", "group": foreign.pk}
    )
    assert response.status_code == 400
    assert not made_here(village).exists()


def test_resident_may_not_create(village: Village, resident_client: Client) -> None:
    assert resident_client.post(url(village), {"body": Body.BOARD, "name": "理事会"}).status_code == 403
    assert not made_here(village).exists()


def test_other_village_and_anonymous(village: Village, outsider_client: Client) -> None:
    assert outsider_client.post(url(village), {"body": Body.BOARD, "name": "理事会"}).status_code == 404
    response = Client().post(url(village), {"body": Body.BOARD, "name": "理事会"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not made_here(village).exists()
