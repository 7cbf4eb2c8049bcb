"""Adding a sub-account (明细科目) to the chart."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assets.models import Account, AccountKind, Side
from assets.services.ledger import account_create
from assets.tests.ledger_testing import keeper_user, make_keeper, make_voucher
from villagegov.models import Person, Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


def _parent(village: Village, code: str) -> Account:
    return Account.objects.get(village=village, code=code)


def test_a_sub_account_extends_its_parents_code_and_takes_its_kind(village: Village) -> None:
    account = account_create(
        actor=keeper_user(village),
        village=village,
        parent=_parent(village, "152"),
        code_suffix="01",
        name="房屋折旧",
    )
    assert (account.code, account.kind, account.normal_side) == ("15201", AccountKind.ASSET, Side.CREDIT)
    deeper = account_create(
        actor=keeper_user(village), village=village, parent=account, code="1520103", name="办公楼"
    )
    assert deeper.code == "1520103" and deeper.parent == account


@pytest.mark.parametrize("suffix", ["1", "001", "00", "ab", "０１"])
def test_the_code_is_two_more_digits(village: Village, suffix: str) -> None:
    with pytest.raises(ValidationError, match="two more digits"):
        account_create(
            actor=keeper_user(village),
            village=village,
            parent=_parent(village, "102"),
            code_suffix=suffix,
            name="x",
        )


def test_codes_are_unique_and_start_with_the_parents(village: Village) -> None:
    actor = keeper_user(village)
    account_create(
        actor=actor, village=village, parent=_parent(village, "102"), code_suffix="01", name="工行"
    )
    with pytest.raises(ValidationError, match="already used"):
        account_create(
            actor=actor, village=village, parent=_parent(village, "102"), code_suffix="01", name="农行"
        )
    with pytest.raises(ValidationError, match="starts with"):
        account_create(
            actor=actor, village=village, parent=_parent(village, "102"), code="10102", name="农行"
        )


def test_an_account_with_entries_gets_no_children_and_says_why(village: Village) -> None:
    make_voucher(village, [("101", 5, 0), ("501", 0, 5)], posted=False)
    with pytest.raises(ValidationError, match="already has entries"):
        account_create(
            actor=keeper_user(village),
            village=village,
            parent=_parent(village, "501"),
            code_suffix="01",
            name="租金",
        )
    assert not Account.objects.filter(village=village, code="50101").exists()


def test_the_parent_is_of_this_village(village: Village, other_village: Village) -> None:
    with pytest.raises(ValidationError, match="this village"):
        account_create(
            actor=keeper_user(village),
            village=village,
            parent=_parent(other_village, "101"),
            code_suffix="01",
            name="x",
        )


def _url(village: Village) -> str:
    return reverse("account_create", args=[village.admin_code])


def test_the_form(village: Village) -> None:
    client = client_for(make_keeper(village))
    assert client.get(_url(village)).status_code == 405
    data = {"parent": _parent(village, "501").pk, "code_suffix": "03", "name": "租金收入", "name_en": "Rent"}
    response = client.post(_url(village), data)
    assert response.status_code == 302
    assert Account.objects.get(village=village, code="50103").name == "租金收入"
    again = client.post(_url(village), data)
    assert again.status_code == 400 and "already used" in again.text


def test_permissions(village: Village, resident: Person, outsider: Person) -> None:
    data = {"parent": _parent(village, "501").pk, "code_suffix": "03", "name": "租金收入"}
    assert client_for(resident).post(_url(village), data).status_code == 403
    assert client_for(outsider).post(_url(village), data).status_code == 404
    assert not Account.objects.filter(village=village, code="50103").exists()
