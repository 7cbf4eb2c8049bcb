"""Adding a person to the roster: the service and the page."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from villagegov.models import AuditRecord, Household, Person, Role, User, Village
from villagegov.services.roster import person_create
from villagegov.testing import TOMORROW, client_for, make_person, make_village, on_run

pytestmark = pytest.mark.usefixtures("english")


def _url(village: Village) -> str:
    return reverse("person_create", args=[village.admin_code])


def test_service_creates_person_with_audit(village: Village, actor: User) -> None:
    household = Household.objects.create(village=village, number="001")
    person = person_create(
        actor=actor,
        village=village,
        name=" 张三 ",
        gender="M",
        birth_date=date(1980, 5, 1),
        phone="138 0013-8000",
        household=household,
    )
    assert person.name == "张三"
    assert person.phone == "13800138000"
    assert person.joined_on == timezone.localdate()
    assert person.is_registered_resident
    record = AuditRecord.objects.get(action="person.create")
    assert record.target_id == str(person.pk)
    assert record.after is not None
    assert record.after["name"] == "张三"
    assert record.village_id == village.pk


def test_service_refuses_household_of_another_village(village: Village, actor: User) -> None:
    elsewhere = Household.objects.create(village=make_village(), number="001")
    with pytest.raises(ValidationError, match="not in this village"):
        person_create(actor=actor, village=village, name="张三", gender="M", household=elsewhere)
    assert not Person.objects.filter(name="张三").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"birth_date": TOMORROW}, "future"),
        ({"joined_on": TOMORROW}, "future"),
        ({"birth_date": date(2000, 1, 2), "joined_on": date(2000, 1, 1)}, "before they were born"),
        ({"phone": "call me"}, "digits"),
        ({"name": "  "}, "name"),
        ({"gender": "X"}, "gender"),
    ],
)
def test_service_refuses_bad_values(village: Village, actor: User, changes: dict, message: str) -> None:
    values = {"name": "张三", "gender": "M"} | {k: on_run(v) for k, v in changes.items()}
    with pytest.raises(ValidationError, match=message):
        person_create(actor=actor, village=village, **values)
    assert not AuditRecord.objects.filter(action="person.create").exists()


def test_page_creates_and_redirects(village: Village, official_client: Client) -> None:
    household = Household.objects.create(village=village, number="007")
    assert official_client.get(_url(village)).status_code == 200
    response = official_client.post(
        _url(village),
        {
            "name": "王五",
            "gender": "F",
            "birth_date": "1990-03-04",
            "phone": "13900000000",
            "household": household.pk,
            "is_registered_resident": "on",
            "joined_on": "2010-01-01",
        },
    )
    person = Person.objects.get(name="王五")
    assert response.status_code == 302
    assert response["Location"] == reverse("person_detail", args=[village.admin_code, person.pk])
    assert person.household == household
    assert person.birth_date == date(1990, 3, 4)


@pytest.mark.parametrize(
    "bad",
    [
        {"birth_date": "1990-13-45"},
        {"joined_on": ""},
        {"gender": ""},
        {"household": "99999999999999999999999"},
    ],
)
def test_page_bad_input_changes_nothing(village: Village, official_client: Client, bad: dict) -> None:
    data = {"name": "王五", "gender": "F", "joined_on": "2010-01-01"} | bad
    response = official_client.post(_url(village), data)
    assert response.status_code == 400
    assert b"errorlist" in response.content
    assert not Person.objects.filter(name="王五").exists()


def test_page_refuses_household_of_another_village(
    village: Village, other_village: Village, official_client: Client
) -> None:
    elsewhere = Household.objects.create(village=other_village, number="001")
    response = official_client.post(
        _url(village), {"name": "王五", "gender": "F", "joined_on": "2010-01-01", "household": elsewhere.pk}
    )
    assert response.status_code == 400
    assert not Person.objects.filter(name="王五").exists()


def test_service_error_shown_on_form(village: Village, official_client: Client) -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = official_client.post(_url(village), {"name": "王五", "gender": "F", "joined_on": tomorrow})
    assert response.status_code == 400
    assert "future" in response.content.decode()
    assert not Person.objects.filter(name="王五").exists()


def test_access(village: Village, resident_client: Client, outsider_client: Client, client: Client) -> None:
    assert resident_client.get(_url(village)).status_code == 403
    assert resident_client.post(_url(village), {"name": "x", "gender": "F"}).status_code == 403
    assert outsider_client.get(_url(village)).status_code == 404
    assert client.get(_url(village)).status_code == 302
    assert not Person.objects.filter(name="x").exists()


def test_viewer_without_manage_role_refused(village: Village) -> None:
    supervisor = make_person(village, roles=(Role.SUPERVISOR,), with_account=True)
    assert client_for(supervisor).get(_url(village)).status_code == 403


def test_household_page_link_preselects_the_household(village: Village, official_client: Client) -> None:
    household = Household.objects.create(village=village, number="007")
    response = official_client.get(_url(village), {"household": household.pk})
    assert response.context["form"]["household"].value() == str(household.pk)
    assert official_client.get(_url(village), {"household": "junk"}).status_code == 200
