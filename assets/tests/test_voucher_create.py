"""Recording a voucher: balanced lines on the most detailed accounts of the village's chart."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.models import Account, Voucher, VoucherKind, VoucherState
from assets.services.ledger import voucher_create
from assets.tests.ledger_testing import keeper_user, line, make_account, make_keeper
from villagegov.models import AuditRecord, Person, Village
from villagegov.testing import client_for, make_village

pytestmark = pytest.mark.usefixtures("english")

DAY = date(2024, 3, 15)


def _create(village: Village, lines: list, **kwargs: object) -> Voucher:
    values: dict = {"date": DAY, "summary": "收到租金", "attachments": 1} | kwargs
    return voucher_create(actor=keeper_user(village), village=village, lines=lines, **values)


def test_a_balanced_voucher_is_a_numberless_draft_of_its_year(village: Village) -> None:
    voucher = _create(village, [line(village, "101", "1200.50"), line(village, "50101", 0, "1200.50")])
    assert voucher.state == VoucherState.DRAFT and voucher.kind == VoucherKind.ORDINARY
    assert voucher.number is None and voucher.year == 2024
    assert voucher.debit_total == voucher.credit_total == Decimal("1200.50")
    assert [(x.account.code, x.debit, x.credit) for x in voucher.lines.order_by("position")] == [
        ("101", Decimal("1200.50"), Decimal("0.00")),
        ("50101", Decimal("0.00"), Decimal("1200.50")),
    ]
    assert AuditRecord.objects.filter(action="voucher.ordinary_create", target_id=str(voucher.pk)).exists()


def test_unbalanced_lines_are_refused_naming_both_sums(village: Village) -> None:
    with pytest.raises(ValidationError) as refusal:
        _create(village, [line(village, "101", "100"), line(village, "501", 0, "99.99")])
    assert "¥100.00" in str(refusal.value) and "¥99.99" in str(refusal.value)
    assert not Voucher.objects.filter(village=village).exists()


@pytest.mark.parametrize(
    "lines",
    [
        [("101", "100", "0")],
        [("101", "100", "100"), ("501", "0", "0")],
        [("101", "-100", "0"), ("501", "0", "-100")],
        [("101", "100.001", "0"), ("501", "0", "100.001")],
    ],
    ids=["one line", "both sides and none", "negative", "past the fen"],
)
def test_malformed_lines_are_refused(village: Village, lines: list) -> None:
    with pytest.raises(ValidationError):
        _create(village, [(make_account(village, code), "", Decimal(d), Decimal(c)) for code, d, c in lines])
    assert not Voucher.objects.filter(village=village).exists()


def test_a_parent_with_sub_accounts_is_refused_post_to_the_detail(village: Village) -> None:
    make_account(village, "10201", "工商银行")
    with pytest.raises(ValidationError, match="sub-accounts"):
        _create(village, [line(village, "102", "100"), line(village, "501", 0, "100")])


def test_an_account_out_of_use_or_of_another_village_is_refused(
    village: Village, other_village: Village
) -> None:
    retired = make_account(village, "50109", "旧科目", active=False)
    with pytest.raises(ValidationError, match="no longer in use"):
        _create(village, [line(village, "101", "100"), (retired, "", Decimal(0), Decimal(100))])
    foreign = Account.objects.get(village=other_village, code="501")
    with pytest.raises(ValidationError, match="not in this village"):
        _create(village, [line(village, "101", "100"), (foreign, "", Decimal(0), Decimal(100))])


def test_a_date_after_today_and_an_empty_summary_are_refused(village: Village) -> None:
    lines = [line(village, "101", "100"), line(village, "501", 0, "100")]
    with pytest.raises(ValidationError, match="after today"):
        _create(village, lines, date=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError, match="summary"):
        _create(village, lines, summary="  ")


def test_only_those_who_keep_the_books_record(village: Village, resident: Person) -> None:
    assert resident.user is not None
    with pytest.raises(ValidationError, match="keep the books"):
        voucher_create(
            actor=resident.user,
            village=village,
            date=DAY,
            summary="x",
            attachments=0,
            lines=[line(village, "101", "1"), line(village, "501", 0, "1")],
        )


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2)
sides = st.lists(
    st.tuples(st.sampled_from(["101", "112", "511", "501", "211"]), st.booleans(), amounts),
    min_size=1,
    max_size=6,
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=sides, balance=st.booleans())
def test_any_accepted_voucher_balances(rows: list, balance: bool) -> None:
    village = make_village()
    lines = [
        line(village, code, amount if debit else 0, 0 if debit else amount) for code, debit, amount in rows
    ]
    debits = sum((x[2] for x in lines), Decimal(0))
    credits = sum((x[3] for x in lines), Decimal(0))
    if balance and debits != credits:
        gap = debits - credits
        lines.append(line(village, "102", 0, gap) if gap > 0 else line(village, "102", -gap, 0))
    try:
        voucher = _create(village, lines)
    except ValidationError:
        assert len(lines) < 2 or sum(x[2] for x in lines) != sum(x[3] for x in lines)
        return
    stored = list(voucher.lines.all())
    assert (
        sum(x.debit for x in stored)
        == sum(x.credit for x in stored)
        == voucher.debit_total
        == voucher.credit_total
    )
    assert all((x.debit > 0) != (x.credit > 0) for x in stored)


# --- the page --------------------------------------------------------------------------------


def _url(village: Village) -> str:
    return reverse("voucher_create", args=[village.admin_code])


def test_the_form_has_eight_rows_and_more_on_request(village: Village) -> None:
    client = client_for(make_keeper(village))
    page = client.get(_url(village))
    assert page.status_code == 200 and 'name="account_8"' in page.text and 'name="account_9"' not in page.text
    assert 'name="account_12"' in client.get(_url(village) + "?lines=12").text
    assert 'name="account_51"' not in client.get(_url(village) + "?lines=999").text


def _post(village: Village, **rows: object) -> dict:
    data = {"date": "2024-03-15", "summary": "收到租金", "attachments": "2", "rows": "8"}
    data |= {key: str(value) for key, value in rows.items()}
    return data


def test_posting_the_form_saves_a_draft_ignoring_blank_rows(village: Village) -> None:
    cash, income = (Account.objects.get(village=village, code=code) for code in ("101", "501"))
    response = client_for(make_keeper(village)).post(
        _url(village),
        _post(village, account_1=cash.pk, debit_1="300.10", account_3=income.pk, credit_3="300.10"),
    )
    voucher = Voucher.objects.get(village=village)
    assert response.status_code == 302 and response["Location"].endswith(f"/ledger/vouchers/{voucher.pk}/")
    assert voucher.lines.count() == 2 and voucher.debit_total == Decimal("300.10")
    assert voucher.attachments == 2


def test_an_unbalanced_form_is_refused_with_both_sums_and_nothing_saved(village: Village) -> None:
    cash, income = (Account.objects.get(village=village, code=code) for code in ("101", "501"))
    response = client_for(make_keeper(village)).post(
        _url(village), _post(village, account_1=cash.pk, debit_1="300", account_2=income.pk, credit_2="200")
    )
    assert response.status_code == 400 and "¥300.00" in response.text and "¥200.00" in response.text
    assert not Voucher.objects.exists()


def test_amounts_without_an_account_are_refused(village: Village) -> None:
    response = client_for(make_keeper(village)).post(_url(village), _post(village, debit_1="5", credit_2="5"))
    assert response.status_code == 400 and not Voucher.objects.exists()


@pytest.mark.parametrize("amount", ["1e30", "NaN", "Infinity", "-1e999999"])
def test_amounts_the_books_cannot_hold_are_refused_not_crashing(village: Village, amount: str) -> None:
    cash, income = make_account(village, "101"), make_account(village, "501")
    with pytest.raises(ValidationError, match="Line 1"):
        _create(village, [(cash, "", amount, Decimal(0)), (income, "", Decimal(0), amount)])
    assert not Voucher.objects.exists()
    response = client_for(make_keeper(village)).post(
        _url(village), _post(village, account_1=cash.pk, debit_1=amount, account_2=income.pk, credit_2=amount)
    )
    assert response.status_code == 400 and not Voucher.objects.exists()


def test_fifty_rows_are_one_list_of_accounts_read_once(
    village: Village, django_assert_max_num_queries
) -> None:
    """The accounts' <option>s are read and rendered once for all the rows; a row keeps its choice."""
    for number in range(1, 60):
        make_account(village, f"102{number:02d}", f"银行{number}")
    client = client_for(make_keeper(village))
    with django_assert_max_num_queries(12):
        page = client.get(_url(village) + "?lines=50")
    assert page.status_code == 200 and 'name="account_50"' in page.text
    assert page.text.count('<option value="">---------</option>') == 50
    assert page.text.count(">10259 银行59</option>") == 50
    bank = Account.objects.get(village=village, code="10259")
    data = _post(village, account_7=bank.pk, debit_7="5", account_8="999999999", credit_8="5", summary_9="x")
    refused = client.post(_url(village), data | {"rows": "50"})
    assert refused.status_code == 400 and not Voucher.objects.exists()
    assert refused.text.count(f'<option value="{bank.pk}" selected>') == 1
    assert "Select a valid choice" in refused.text or "选择一个有效的选项" in refused.text


def test_permissions(village: Village, resident: Person, outsider: Person) -> None:
    cash, income = (Account.objects.get(village=village, code=code) for code in ("101", "501"))
    data = _post(village, account_1=cash.pk, debit_1="1", account_2=income.pk, credit_2="1")
    assert client_for(resident).post(_url(village), data).status_code == 403
    assert client_for(outsider).post(_url(village), data).status_code == 404
    anonymous = client_for(resident).__class__().post(_url(village), data)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert not Voucher.objects.exists()
