"""The collective's part of the demo village, added by `seed_demo` after consultations and
supervision: the share register, the asset register with leases (one in arrears), two years of
books reviewed by the committee and posted, and last year's distribution decided by the members'
assembly, cleared by the committee, paid out and its result published.

Everything goes through the services, as the accountant, the officials and the committee would,
with two exceptions said where they happen: the share register is opened from the members the
core's roster already lists, and the plan's publication is dated back so that the members'
assembly held as the demo loads comes the 10 days after it that the law asks.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from assets.imports import ImportRow
from assets.models import (
    Account,
    Asset,
    DistributionPlan,
    Membership,
    PaymentMethod,
    ShareChange,
    Voucher,
)
from assets.services.contracts import RentSchedule, contract_create, rent_receipt_record
from assets.services.distributions import (
    distribution_draft,
    distribution_pay_start,
    distribution_propose,
    distribution_publish,
    distribution_result_publish,
    payments_record_all,
)
from assets.services.ledger import opening_balance_import, voucher_create, voucher_post, voucher_submit
from assets.services.register import asset_create, valuation_record
from consultations.demo import (
    demo_chair,
    demo_meeting_close,
    demo_meeting_open,
    demo_motion_carry,
    demo_user_with_role,
)
from consultations.matters import Matter
from consultations.models import MotionItem, Resolution
from consultations.selectors.agenda import ItemKind
from consultations.services.agenda import agenda_item_create
from consultations.services.delegations import delegation_record
from supervision.demo import demo_supervisors, sign_by_majority
from supervision.models import DisclosureItem
from supervision.services.reviews import review_create
from villagegov.models import Body, Council, Role, RoleAssignment, User, Village
from villagegov.services.audit import audit_record

REGISTER_OPENED = date(2024, 1, 1)
OPENING_DAY = date(2025, 1, 1)
PLAN_YEAR = 2025
NOTICE_DAYS = 12  # the plan was published this many days before the members' assembly

# (kind, code, name, category, location, acquired, value, the kind's own fields)
ASSETS: list[tuple[str, str, str, str, str, date, str, dict[str, object]]] = [
    (
        "land",
        "TD-001",
        "村南耕地",
        "resource",
        "村南洋田片",
        date(1999, 1, 1),
        "0.00",
        {"area_mu": Decimal("126.50"), "land_use": "arable"},
    ),
    (
        "land",
        "TD-002",
        "东头鱼塘",
        "resource",
        "村东水口",
        date(1999, 1, 1),
        "0.00",
        {"area_mu": Decimal("35.20"), "land_use": "water"},
    ),
    (
        "land",
        "TD-003",
        "工业园地块",
        "operating",
        "榕树围工业园",
        date(2008, 6, 1),
        "3200000.00",
        {"area_mu": Decimal("48.00"), "land_use": "construction"},
    ),
    (
        "building",
        "FW-001",
        "工业园一号厂房",
        "operating",
        "榕树围工业园1号",
        date(2010, 9, 1),
        "4600000.00",
        {"floor_area_m2": Decimal("6800.00")},
    ),
    (
        "building",
        "FW-002",
        "工业园二号厂房",
        "operating",
        "榕树围工业园2号",
        date(2012, 3, 1),
        "3900000.00",
        {"floor_area_m2": Decimal("5200.00")},
    ),
    (
        "building",
        "FW-003",
        "新村临街商铺",
        "operating",
        "新村大道18号",
        date(2015, 5, 1),
        "1800000.00",
        {"floor_area_m2": Decimal("960.00")},
    ),
    (
        "building",
        "FW-004",
        "村委会办公楼",
        "non_operating",
        "村委会",
        date(2006, 1, 1),
        "1200000.00",
        {"floor_area_m2": Decimal("1450.00")},
    ),
    (
        "building",
        "FW-005",
        "文化广场",
        "non_operating",
        "村中心",
        date(2018, 10, 1),
        "860000.00",
        {"floor_area_m2": Decimal("3200.00")},
    ),
    (
        "equipment",
        "SB-001",
        "村道路灯",
        "non_operating",
        "全村主干道",
        date(2019, 4, 1),
        "310000.00",
        {"model_name": "LED 60W 太阳能路灯", "quantity": 124},
    ),
    (
        "investment",
        "TZ-001",
        "镇联社物业公司股权",
        "operating",
        "东坑镇",
        date(2016, 1, 1),
        "1500000.00",
        {"investee": "东坑镇联合物业发展有限公司", "stake_percent": Decimal("6.00")},
    ),
    (
        "fund",
        "ZJ-001",
        "村道维修专项资金",
        "non_operating",
        "农村信用社",
        date(2024, 12, 1),
        "200000.00",
        {"bank": "东莞农村商业银行东坑支行", "purpose": "村道维修"},
    ),
]

# (asset code, number, lessee, phone, start, end, yearly rent, paid in the year's quarters)
LEASES: list[tuple[str, str, str, str, date, date, str, str]] = [
    (
        "FW-001",
        "ZL-2023-01",
        "东莞市恒达五金制品有限公司",
        "0769-8288 1001",
        date(2023, 1, 1),
        date(2027, 12, 31),
        "816000.00",
        "quarter",
    ),
    (
        "FW-002",
        "ZL-2024-02",
        "东莞市新粤包装材料有限公司",
        "0769-8288 1002",
        date(2024, 1, 1),
        date(2028, 12, 31),
        "624000.00",
        "quarter",
    ),
    (
        "FW-003",
        "ZL-2022-03",
        "陈记粮油商行",
        "138 2921 7703",
        date(2022, 1, 1),
        date(2027, 1, 31),
        "172800.00",
        "month",
    ),
    (
        "TD-002",
        "CB-2021-01",
        "何永强（养殖户）",
        "139 2920 4408",
        date(2021, 3, 1),
        date(2031, 2, 28),
        "52800.00",
        "year",
    ),
]
# The shop's tenant paid until the summer and owes the months since: the lease in arrears.
SHOP_PAID_UNTIL = date(2026, 7, 31)

# Each month's vouchers: (summary, debit account, credit account, amount in yuan).
MONTHLY = [
    ("收到厂房租金", "102", "501", "120000.00"),
    ("收到商铺租金", "102", "501", "14400.00"),
    ("支付村干部误工补贴和办公经费", "513", "102", "38600.00"),
    ("支付村道保洁和路灯电费", "514", "102", "21800.00"),
]
QUARTERLY = [("收到上级村级组织运转补助", "102", "503", "45000.00")]
YEARLY = [("收到镇联社物业公司分红", "102", "502", "96000.00")]

OPENING = [
    ("101", "12860.00", ""),
    ("102", "2864300.00", ""),
    ("151", "15680000.00", ""),
    ("141", "1500000.00", ""),
    ("152", "", "3920000.00"),
    ("211", "", "186400.00"),
    ("301", "", "14200000.00"),
    ("311", "", "1750760.00"),
]


def _members(village: Village, actor: User) -> None:
    """Open the share register from the members the roster already lists (the 2019 固化 of the
    shares: one 人口股 each, half a 劳龄股 more for those born before 1975), in one audit record."""
    terms = (
        RoleAssignment.objects.filter(
            person__village=village, role=Role.COLLECTIVE_MEMBER, membership__isnull=True
        )
        .select_related("person")
        .order_by("person__pk")
    )
    now = timezone.now()
    memberships = []
    for number, term in enumerate(terms, start=1):
        born = term.person.birth_date
        shares = Decimal("1.50") if born is not None and born.year < 1975 else Decimal("1.00")
        memberships.append(
            Membership(
                village=village,
                person=term.person,
                number=number,
                role_term=term,
                shares=shares,
                joined_on=term.starts_on,
                join_reason="founding",
                note="2019年股份固化时的原始成员",
                recorded_by=actor,
                recorded_at=now,
            )
        )
    Membership.objects.bulk_create(memberships)
    ShareChange.objects.bulk_create(
        ShareChange(
            membership=membership,
            effective_on=membership.joined_on,
            shares_before=Decimal("0.00"),
            shares_after=membership.shares,
            reason="原始股份（2019年股份固化）",
            recorded_by=actor,
            recorded_at=now,
        )
        for membership in Membership.objects.filter(village=village)
    )
    audit_record(
        actor=actor,
        village=village,
        action="membership.register_opened",
        target=village.collective,
        after={"members": len(memberships), "shares": str(sum(m.shares for m in memberships))},
    )


def _register(village: Village, actor: User) -> None:
    for kind, code, name, category, location, acquired, value, fields in ASSETS:
        values = {
            "code": code,
            "name": name,
            "category": category,
            "location": location,
            "acquired_on": acquired,
            "acquisition_value": Decimal(value),
            **fields,
        }
        asset = asset_create(actor=actor, village=village, kind=kind, values=values)
        if code == "TD-003":
            valuation_record(
                actor=actor,
                asset=asset,
                valued_on=date(2025, 6, 30),
                value=Decimal("5760000.00"),
                basis="东莞市某资产评估事务所评估报告（2025年6月）",
            )


def _lease_resolution(village: Village, chair_user: User, clerk: User) -> Resolution:
    """Today's representatives' meeting approves the leasing of the collective's property, which
    the village charter lets them decide (授权 of Art. 24)."""
    delegation_record(
        actor=chair_user,
        village=village,
        matter=Matter.PROPERTY_DISPOSAL,
        body=Body.REPRESENTATIVES_MEETING,
        granted_on=date(2023, 3, 15),
        document="村民自治章程第十二条（2023年3月15日村民会议通过）",
    )
    council = Council.objects.get(village=village, body=Body.REPRESENTATIVES_MEETING)
    session = demo_meeting_open(
        council=council, chair=demo_chair(village), title="集体物业出租事项议事会", clerk=clerk
    )
    item = agenda_item_create(
        actor=chair_user,
        session=session,
        kind=ItemKind.MOTION,
        title="集体厂房、商铺和鱼塘出租方案",
        text="工业园一号、二号厂房，新村临街商铺和东头鱼塘按评估租金公开招租，租期不超过五年，"
        "租金按季或按月收取，合同报监委会备案并在村务公开栏公开。",
        matter=Matter.PROPERTY_DISPOSAL,
    )
    assert isinstance(item, MotionItem)
    poll = demo_motion_carry(
        actor=chair_user,
        item=item,
        question="是否同意集体物业出租方案？",
        tellers="计票人：黄丽珍；监票人：陈国栋",
    )
    return demo_meeting_close(
        actor=chair_user,
        clerk=clerk,
        session=session,
        poll=poll,
        notes="会议审议了集体物业出租方案，代表们要求商铺欠租须在年底前清缴。",
    )


def _leases(village: Village, actor: User, resolution: Resolution) -> None:
    today = timezone.localdate()
    for code, number, lessee, phone, starts_on, ends_on, rent, period in LEASES:
        asset = Asset.objects.get(village=village, code=code)
        per_period = {"year": 1, "half": 2, "quarter": 4, "month": 12}[period]
        contract = contract_create(
            actor=actor,
            village=village,
            asset=asset,
            kind="contracting" if code.startswith("TD") else "lease",
            number=number,
            counterparty=lessee,
            counterparty_phone=phone,
            starts_on=starts_on,
            ends_on=ends_on,
            schedule=RentSchedule(
                amount=(Decimal(rent) / per_period).quantize(Decimal("0.01")),
                period=period,
                first_due_on=starts_on,
            ),
            resolution=resolution,
            publish=number == "ZL-2024-02",
        )
        paid_until = SHOP_PAID_UNTIL if code == "FW-003" else today
        for instalment in contract.instalments.filter(due_on__lte=min(paid_until, today)).order_by("due_on"):
            rent_receipt_record(
                actor=actor,
                contract=contract,
                received_on=instalment.due_on,
                amount=instalment.amount,
                method=PaymentMethod.BANK,
                reference=f"{number}-{instalment.due_on:%Y%m}",
            )


def _post(village: Village, voucher: Voucher, accountant: User, supervisors: list[User]) -> None:
    """Send the voucher for review; the committee reviews it and signs; the accountant posts it."""
    voucher_submit(actor=accountant, voucher=voucher)
    review = review_create(
        actor=supervisors[0],
        village=village,
        kind="voucher",
        title=f"审核凭证：{voucher.summary}",
        summary="核对原始单据、金额和经手人签字。",
        fields={
            "voucher_number": f"{voucher.date:%Y-%m}-{voucher.pk}",
            "voucher_date": voucher.date,
            "amount": voucher.debit_total,
        },
        subject=voucher,
    )
    sign_by_majority(review, supervisors)
    voucher_post(actor=accountant, voucher=voucher)


def _books(village: Village, accountant: User, supervisors: list[User]) -> None:
    accounts = {account.code: account for account in Account.objects.filter(village=village)}
    rows = [
        ImportRow(line, {"code": code, "debit": debit, "credit": credit})
        for line, (code, debit, credit) in enumerate(OPENING, start=2)
    ]
    opening = opening_balance_import(actor=accountant, village=village, day=OPENING_DAY, rows=rows)
    _post(village, opening, accountant, supervisors)
    today = timezone.localdate()
    month = date(2025, 1, 1)
    while month <= today.replace(day=1):
        entries = list(MONTHLY)
        if month.month in (3, 6, 9, 12):
            entries += QUARTERLY
        if month.month == 12:
            entries += YEARLY
        for day_of_month, (summary, debit, credit, amount) in enumerate(entries, start=5):
            day = month.replace(day=day_of_month)
            if day > today:
                break
            money = Decimal(amount)
            voucher = voucher_create(
                actor=accountant,
                village=village,
                date=day,
                summary=summary,
                attachments=2,
                lines=[
                    (accounts[debit], summary, money, Decimal(0)),
                    (accounts[credit], summary, Decimal(0), money),
                ],
            )
            # This month's last voucher waits for the committee, as the month's work would.
            if month == today.replace(day=1) and day_of_month == 5 + len(entries) - 1:
                voucher_submit(actor=accountant, voucher=voucher)
            else:
                _post(village, voucher, accountant, supervisors)
        month = (month + timedelta(days=32)).replace(day=1)


def _distribution(
    village: Village, chair_user: User, accountant: User, supervisors: list[User], clerk: User
) -> None:
    plan = distribution_draft(
        actor=accountant,
        village=village,
        year=PLAN_YEAR,
        title=f"{PLAN_YEAR}年度股份分红方案",
        record_date=date(PLAN_YEAR, 12, 31),
        losses_made_up=Decimal("0.00"),
    )
    distribution_publish(actor=accountant, plan=plan)
    # Published 12 days before the members' assembly that the demo holds today (the history of
    # a real village: the app stamps the publication with the time it happens).
    published_at = timezone.now() - timedelta(days=NOTICE_DAYS)
    DistributionPlan.objects.filter(pk=plan.pk).update(published_at=published_at)
    DisclosureItem.objects.filter(village=village, title__contains=plan.title).update(
        published_at=published_at
    )
    plan.refresh_from_db()
    council = Council.objects.get(village=village, body=Body.MEMBERS_ASSEMBLY)
    session = demo_meeting_open(
        council=council,
        chair=demo_chair(village),
        title=f"{PLAN_YEAR}年度股份经济联合社成员大会",
        clerk=clerk,
    )
    plan = distribution_propose(actor=chair_user, plan=plan, session=session)
    assert plan.motion is not None
    poll = demo_motion_carry(
        actor=chair_user,
        item=plan.motion,
        question=f"是否同意{PLAN_YEAR}年度股份分红方案？",
        tellers="计票人：何敏良；监票人：梁监委",
    )
    demo_meeting_close(
        actor=chair_user,
        clerk=clerk,
        session=session,
        poll=poll,
        notes="报账员说明了分红方案的收益来源和公积公益金提取比例，成员无异议。",
    )
    review = review_create(
        actor=supervisors[0],
        village=village,
        kind="distribution",
        title=f"审核{PLAN_YEAR}年度股份分红方案",
        summary="核对方案与账簿的本年收益、公积公益金提取和分配明细。",
        fields={"plan_year": PLAN_YEAR, "amount": plan.distributable},
        subject=plan,
    )
    sign_by_majority(review, supervisors)
    distribution_pay_start(actor=accountant, plan=plan)
    payments_record_all(
        actor=accountant,
        plan=plan,
        paid_on=timezone.localdate(),
        method=PaymentMethod.BANK,
        reference="东莞农商银行批量代发",
    )
    distribution_result_publish(actor=accountant, plan=plan)


def demo_build(*, village: Village) -> None:
    """Idempotent: a village with a share register is left as it is."""
    if Membership.objects.filter(village=village).exists():
        return
    chair = demo_chair(village)
    assert chair.user is not None
    clerk = demo_user_with_role(village, Role.CLERK)
    accountant = demo_user_with_role(village, Role.ACCOUNTANT)
    supervisors = demo_supervisors(village, clerk)
    _members(village, chair.user)
    _register(village, accountant)
    _leases(village, accountant, _lease_resolution(village, chair.user, clerk))
    _books(village, accountant, supervisors)
    _distribution(village, chair.user, accountant, supervisors, clerk)
