"""The landing page: anonymous visitors, villagers of one village and of several."""

from django.test import Client
from django.urls import reverse

from villagegov.models import Person, Village
from villagegov.testing import client_for, make_person, make_village


def test_anonymous_sees_the_landing_page(db: None) -> None:
    response = Client().get(reverse("home"))
    assert response.status_code == 200
    assert reverse("account_login") in response.content.decode()


def test_a_villager_of_one_village_goes_to_its_dashboard(village: Village, resident_client: Client) -> None:
    response = resident_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("village_dashboard", args=[village.admin_code])


def test_a_villager_of_several_villages_chooses(
    village: Village, other_village: Village, resident: Person
) -> None:
    Person.objects.create(
        village=other_village, name=resident.name, gender=resident.gender, user=resident.user
    )
    response = client_for(resident).get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    for each in (village, other_village):
        assert reverse("village_dashboard", args=[each.admin_code]) in page


def test_someone_who_left_their_only_village_is_not_sent_there(village: Village, resident: Person) -> None:
    resident.left_on = resident.joined_on
    resident.save()
    response = client_for(resident).get(reverse("home"))
    assert response.status_code == 200
    assert reverse("village_dashboard", args=[village.admin_code]) not in response.content.decode()


def test_an_account_on_no_roster_is_told_to_ask_for_an_invitation(db: None) -> None:
    person = make_person(make_village(), with_account=True)
    person.delete()
    response = client_for(person).get(reverse("home"))
    assert response.status_code == 200
    assert response.context["my_villages"] == []
