"""The chair's or clerk's attendance page: checking in people without phones."""

import pytest
from django.test import Client
from django.urls import reverse

from consultations.models import Attendance, CheckInMethod, Session, SessionState
from consultations.selectors.attendance import SEARCH_LIMIT
from consultations.tests.attendance_testing import assembly, make_session, representatives_meeting, seat
from villagegov.models import Household, Person, Village, VillagerGroup
from villagegov.testing import client_for, make_person

pytestmark = pytest.mark.usefixtures("english")


def url(session: Session, village: Village | None = None) -> str:
    village = village or session.council.village
    return reverse("attendance_record", args=[village.admin_code, session.pk])


@pytest.fixture
def session(village: Village) -> Session:
    return make_session(representatives_meeting(village))


@pytest.fixture
def namesakes(session: Session, village: Village) -> list[Person]:
    group = VillagerGroup.objects.create(village=village, number=3, name="三组")
    return [
        seat(
            session.council,
            make_person(
                village,
                name="李明",
                household=Household.objects.create(village=village, group=group, number=number),
            ),
        )
        for number in ("0301", "0302")
    ]


def test_lists_members_not_present_with_household_and_group(
    session: Session, namesakes: list[Person], official_client: Client
) -> None:
    other = seat(session.council, make_person(session.council.village, name="赵六"))
    response = official_client.get(url(session), {"q": "李"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("李明") >= 2 and "0301" in html and "0302" in html and "三组" in html
    assert other.name not in html
    assert "赵六" in official_client.get(url(session)).content.decode()


def test_checks_someone_in(session: Session, namesakes: list[Person], official: Person) -> None:
    client = client_for(official)
    response = client.post(url(session) + "?q=%E6%9D%8E", {"person": namesakes[1].pk})
    assert response.status_code == 302 and response["Location"].endswith("?q=%E6%9D%8E")
    attendance = Attendance.objects.get(session=session)
    assert (attendance.person, attendance.method, attendance.recorded_by) == (
        namesakes[1],
        CheckInMethod.CLERK,
        official.user,
    )
    html = client.get(url(session)).content.decode()
    present = html.split('id="present-heading"')[1]
    assert "0302" in present and "checked in by the chair or clerk" in present


def test_shows_at_most_fifty(village: Village, official_client: Client) -> None:
    session = make_session(assembly(village))
    for _ in range(SEARCH_LIMIT + 2):
        make_person(village, name="张")
    html = official_client.get(url(session), {"q": "张"}).content.decode()
    assert html.count('name="person"') == SEARCH_LIMIT
    assert "Only the first 50" in html


@pytest.mark.parametrize("value", ["", "abc", "-1", "0", "1.5", "99999999999999999999999999", "1e9"])
def test_bad_person_values(session: Session, official_client: Client, value: str) -> None:
    response = official_client.post(url(session), {"person": value})
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not Attendance.objects.exists()


def test_people_not_entitled_or_of_another_village(
    session: Session, village: Village, other_village: Village, official_client: Client
) -> None:
    foreign = make_person(other_village)
    response = official_client.post(url(session), {"person": foreign.pk})
    assert response.status_code == 400
    assert "not on this village&#x27;s roster" in response.content.decode()
    not_member = make_person(village, name="钱七")
    response = official_client.post(url(session), {"person": not_member.pk})
    assert response.status_code == 400
    assert "钱七 is not a member of" in response.content.decode()
    assert not Attendance.objects.exists()


def test_already_present(session: Session, namesakes: list[Person], official_client: Client) -> None:
    official_client.post(url(session), {"person": namesakes[0].pk})
    response = official_client.post(url(session), {"person": namesakes[0].pk})
    assert response.status_code == 400 and "already checked in at" in response.content.decode()
    assert Attendance.objects.count() == 1


def test_closed_session_takes_no_check_ins(village: Village, official_client: Client) -> None:
    session = make_session(representatives_meeting(village), state=SessionState.CLOSED)
    member = seat(session.council, make_person(village))
    response = official_client.get(url(session))
    assert "already closed" in response.content.decode() and 'name="person"' not in response.content.decode()
    response = official_client.post(url(session), {"person": member.pk})
    assert response.status_code == 400 and "already closed" in response.content.decode()
    assert not Attendance.objects.exists()


def test_resident_without_role_is_403(
    session: Session, namesakes: list[Person], resident_client: Client
) -> None:
    assert resident_client.get(url(session)).status_code == 403
    assert resident_client.post(url(session), {"person": namesakes[0].pk}).status_code == 403
    assert not Attendance.objects.exists()


def test_other_village_is_404(
    session: Session, other_village: Village, official_client: Client, outsider_client: Client
) -> None:
    foreign = make_session(representatives_meeting(other_village))
    assert official_client.get(url(foreign, session.council.village)).status_code == 404
    assert outsider_client.get(url(session)).status_code == 404


def test_anonymous_goes_to_login(session: Session) -> None:
    response = Client().get(url(session))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
