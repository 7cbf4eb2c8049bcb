"""The list of a village's councils."""

from datetime import date

from django.test import Client
from django.urls import reverse

from villagegov.models import Body, Council, CouncilSeat, Gender, Role, Village
from villagegov.testing import make_person


def url(village: Village) -> str:
    return reverse("council_list", args=[village.admin_code])


def representatives_meeting(village: Village, *, women: int, men: int) -> Council:
    meeting = Council.objects.create(village=village, body=Body.REPRESENTATIVES_MEETING, name="村民代表会议")
    for index in range(women + men):
        gender = Gender.FEMALE if index < women else Gender.MALE
        person = make_person(village, roles=(Role.REPRESENTATIVE,), gender=gender)
        CouncilSeat.objects.create(council=meeting, person=person, starts_on=date(2024, 1, 1))
    return meeting


def test_lists_councils_with_members_and_composition(village: Village, resident_client: Client) -> None:
    representatives_meeting(village, women=2, men=4)
    Council.objects.create(village=village, body=Body.VILLAGERS_ASSEMBLY, name="全体村民会议")
    response = resident_client.get(url(village))
    assert response.status_code == 200
    page = response.content.decode()
    assert "村民代表会议" in page and "全体村民会议" in page
    summaries = {s.council.name: s for s in response.context["summaries"]}
    assert summaries["村民代表会议"].member_count == 6
    # The resident account itself is the one adult villager besides the six representatives.
    assert summaries["全体村民会议"].member_count == 7
    assert 'class="badge badge-ok"' in page  # two women of six is a third
    assert "council_create" not in page and reverse("council_create", args=[village.admin_code]) not in page


def test_shows_a_composition_that_falls_short(village: Village, official_client: Client) -> None:
    representatives_meeting(village, women=1, men=5)
    page = official_client.get(url(village)).content.decode()
    assert 'class="badge badge-bad"' in page
    assert reverse("council_create", args=[village.admin_code]) in page


def test_queries_do_not_grow_with_councils(
    village: Village, official_client: Client, django_assert_max_num_queries: object
) -> None:
    for number in range(15):
        meeting = Council.objects.create(
            village=village, body=Body.DELIBERATION_COUNCIL, name=f"议事会{number}"
        )
        CouncilSeat.objects.create(council=meeting, person=make_person(village), starts_on=date(2024, 1, 1))
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        assert official_client.get(url(village)).status_code == 200


def test_empty_list(village: Village, resident_client: Client) -> None:
    response = resident_client.get(url(village))
    assert response.status_code == 200
    assert 'class="empty"' in response.content.decode()


def test_other_village_and_anonymous(village: Village, outsider_client: Client) -> None:
    Council.objects.create(village=village, body=Body.BOARD, name="保密理事会")
    response = outsider_client.get(url(village))
    assert response.status_code == 404
    assert "保密理事会" not in response.content.decode()
    response = Client().get(url(village))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_lists_the_assemblies_first(village: Village, resident_client: Client) -> None:
    Council.objects.create(village=village, body=Body.BOARD, name="理事会")
    Council.objects.create(village=village, body=Body.REPRESENTATIVES_MEETING, name="代表会议")
    Council.objects.create(village=village, body=Body.VILLAGERS_ASSEMBLY, name="村民会议")
    summaries = resident_client.get(url(village)).context["summaries"]
    assert [s.council.name for s in summaries] == ["村民会议", "代表会议", "理事会"]
