from assets.chart import FIRST_LEVEL
from assets.models import Account, Collective
from assets.services.collective import collective_install
from villagegov.models import Village
from villagegov.testing import make_village


def test_a_new_village_gets_its_collective_and_the_first_level_chart(db: None) -> None:
    village = make_village(name="新塘村")
    collective = Collective.objects.get(village=village)
    assert collective.name == "新塘村股份经济联合社"
    assert collective.vouchers_need_review  # on by default
    codes = list(Account.objects.filter(village=village).values_list("code", flat=True))
    assert codes == [account.code for account in FIRST_LEVEL]
    assert Account.objects.get(village=village, code="311").name == "公积公益金"
    assert Account.objects.get(village=village, code="152").normal_side == "credit"  # contra-asset


def test_installing_again_changes_nothing(village: Village) -> None:
    before = Account.objects.filter(village=village).count()
    collective_install(village=village)
    collective_install(village=village)
    assert Account.objects.filter(village=village).count() == before
    assert Collective.objects.filter(village=village).count() == 1


def test_the_chart_has_the_codes_domain_md_names() -> None:
    by_code = {account.code: account for account in FIRST_LEVEL}
    named = {
        "101": "库存现金",
        "102": "银行存款",
        "112": "应收款",
        "151": "固定资产",
        "152": "累计折旧",
        "211": "应付款",
        "311": "公积公益金",
        "321": "本年收益",
        "322": "收益分配",
        "501": "经营收入",
        "502": "投资收益",
        "503": "补助收入",
        "511": "经营支出",
        "513": "管理费用",
        "514": "公益支出",
    }
    assert {code: by_code[code].name for code in named} == named
    assert len(by_code) == len(FIRST_LEVEL)  # no code twice
    assert all(account.name_en for account in FIRST_LEVEL)
