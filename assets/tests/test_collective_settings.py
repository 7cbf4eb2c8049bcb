"""The collective's settings: its name, the reserve rate and whether vouchers wait for the
supervision committee's review."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from assets.models import Collective
from assets.services.members import collective_update
from assets.tests.members_testing import make_collective
from villagegov.models import AuditRecord, Person, User, Village

pytestmark = pytest.mark.usefixtures("english")


def test_update_changes_the_settings_and_is_audited(village: Village, actor: User) -> None:
    collective = make_collective(village)
    collective_update(
        actor=actor,
        collective=collective,
        name=" 东坑股份经济合作社 ",
        reserve_rate=Decimal("15.5"),
        vouchers_need_review=False,
    )
    collective.refresh_from_db()
    assert (collective.name, collective.reserve_rate, collective.vouchers_need_review) == (
        "东坑股份经济合作社",
        Decimal("15.50"),
        False,
    )
    record = AuditRecord.objects.get(action="collective.update")
    assert record.before is not None and record.after is not None
    assert record.before["vouchers_need_review"] is True and record.after["vouchers_need_review"] is False


@pytest.mark.parametrize(
    ("name", "rate", "message"),
    [
        ("", "10", "registered name"),
        ("社", "-1", "0 to 100"),
        ("社", "100.01", "0 to 100"),
        ("社", "1.001", "two decimal"),
    ],
)
def test_refused_bad_values(village: Village, actor: User, name: str, rate: str, message: str) -> None:
    collective = make_collective(village)
    with pytest.raises(ValidationError, match=message):
        collective_update(
            actor=actor,
            collective=collective,
            name=name,
            reserve_rate=Decimal(rate),
            vouchers_need_review=True,
        )
    assert Collective.objects.get(pk=collective.pk).reserve_rate == Decimal(10)


def test_refused_to_a_non_manager(village: Village, resident: Person) -> None:
    collective = make_collective(village)
    assert resident.user is not None
    with pytest.raises(ValidationError, match="Only the village committee"):
        collective_update(
            actor=resident.user,
            collective=collective,
            name="改",
            reserve_rate=Decimal(5),
            vouchers_need_review=False,
        )


def _url(village: Village) -> str:
    return reverse("collective_settings", args=[village.admin_code])


def test_the_page_shows_and_saves_the_settings(village: Village, official_client: Client) -> None:
    make_collective(village)
    page = official_client.get(_url(village))
    assert page.status_code == 200 and "股份经济联合社" in page.content.decode()
    response = official_client.post(_url(village), {"name": "新名", "reserve_rate": "12"})
    assert response.status_code == 302
    collective = Collective.objects.get(village=village)
    assert (collective.name, collective.reserve_rate, collective.vouchers_need_review) == ("新名", 12, False)
    # Turning the review off says what it means.
    assert "without the supervision committee's review" in official_client.get(_url(village)).content.decode()


def test_every_new_village_has_its_collective(village: Village, official_client: Client) -> None:
    collective = Collective.objects.get(village=village)
    assert official_client.get(_url(village)).context["form"].initial["name"] == collective.name


def test_the_page_never_creates_a_missing_collective(village: Village, official_client: Client) -> None:
    # A view does not write: the collective comes with the village (assets.apps, migration 0002).
    Collective.objects.filter(village=village).delete()
    assert official_client.get(_url(village)).status_code == 404
    response = official_client.post(
        _url(village), {"name": "社", "reserve_rate": "10", "vouchers_need_review": "on"}
    )
    assert response.status_code == 404 and not Collective.objects.exists()
    assert not AuditRecord.objects.exists()


def test_a_refused_change_is_400_and_changes_nothing(village: Village, official_client: Client) -> None:
    make_collective(village)
    assert official_client.post(_url(village), {"name": "社", "reserve_rate": "101"}).status_code == 400
    assert official_client.post(_url(village), {"name": "  ", "reserve_rate": "5"}).status_code == 400
    assert Collective.objects.get(village=village).reserve_rate == 10


def test_managers_of_this_village_only(
    village: Village, resident_client: Client, outsider_client: Client
) -> None:
    make_collective(village)
    data = {"name": "改", "reserve_rate": "1"}
    assert resident_client.get(_url(village)).status_code == 403
    assert resident_client.post(_url(village), data).status_code == 403
    assert outsider_client.post(_url(village), data).status_code == 404
    assert Client().get(_url(village)).status_code == 302
    assert Collective.objects.get(village=village).name != "改"
