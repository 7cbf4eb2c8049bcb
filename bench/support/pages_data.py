"""The village at scale for bench/pages.py: the demo village (seed_demo's, 988 people) with a
villagers' assembly (村民会议) of thousands present, dozens of agenda items and closed votes,
years of disclosure, reviews and findings, a ledger of 10,000 posted vouchers and a distribution
plan shared among 5,000 members. The votes go through the services (the roll, the batched
ballots, the close: the rows the pages read are the ones the app writes), and so does the
distribution plan (drafted and published); the rest is bulk-written. Call after django.setup()."""

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

BALLOT_BATCH = 1000  # as the live consumer's batcher, at most


@dataclass(frozen=True)
class Scale:
    attendees: int = 2000
    agenda_items: int = 50
    closed_polls: int = 20
    speakers: int = 40
    disclosure_items: int = 500
    objections: int = 200
    reviews: int = 300
    findings: int = 1000
    questions: int = 50
    vouchers: int = 10000  # posted, two lines each, over last year and this one
    members: int = 5000  # on the share register (the demo's ~683 and new ones): the plan's table


@dataclass
class Built:
    village_code: str
    session_id: int
    villager_user_id: int  # present at the session, has voted on the open poll
    chair_user_id: int  # chairs the session (the hall screen)
    supervisor_user_id: int  # chairs the supervision committee
    accountant_user_id: int  # the demo's accountant (报账员): the collective's pages
    account_id: int  # 102 bank deposits (银行存款): its ledger
    plan_id: int  # this year's plan shared among `members`
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def build(scale: Scale) -> Built:
    import time

    from villagegov.management.commands.seed_demo import build_app_demos
    from villagegov.services.demo import demo_village_build

    seconds: dict[str, float] = {}
    started = time.perf_counter()
    village = demo_village_build().village
    build_app_demos(village)
    seconds["seed_demo"] = time.perf_counter() - started
    started = time.perf_counter()
    meeting = _assembly(village, scale)
    seconds["assembly"] = time.perf_counter() - started
    started = time.perf_counter()
    supervisor = _supervision(village, scale, residents=meeting["people"])
    seconds["supervision"] = time.perf_counter() - started
    accountant = _accountant(village)
    started = time.perf_counter()
    account = _ledger(village, scale, accountant=accountant)
    seconds["ledger"] = time.perf_counter() - started
    started = time.perf_counter()
    _share_register(village, scale, actor=accountant)
    seconds["members"] = time.perf_counter() - started
    started = time.perf_counter()
    plan = _distribution(village, accountant=accountant)
    seconds["distribution"] = time.perf_counter() - started
    return Built(
        village_code=village.admin_code,
        session_id=meeting["session"].pk,
        villager_user_id=meeting["villager"].pk,
        chair_user_id=meeting["chair"].pk,
        supervisor_user_id=supervisor.pk,
        accountant_user_id=accountant.pk,
        account_id=account.pk,
        plan_id=plan.pk,
        counts={**_counts(village, meeting["session"]), **_assets_counts(village, plan)},
        seconds={key: round(value, 1) for key, value in seconds.items()},
    )


def _committee_chair(village: Any) -> Any:
    from villagegov.models import Body, Council, SeatPosition

    today = timezone.localdate()
    seat = (
        Council.objects.get(village=village, body=Body.VILLAGE_COMMITTEE)
        .seats.select_related("person__user")
        .filter(position=SeatPosition.CHAIR, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .get()
    )
    assert seat.person.user is not None
    return seat.person


def _assembly(village: Any, scale: Scale) -> dict[str, Any]:
    """An open villagers' assembly with `attendees` new adults with accounts checked in, the
    agenda, `closed_polls` votes closed (everyone voting, through the services), one open vote
    on the current item that half have voted on, and speakers waiting."""
    from django.contrib.auth.hashers import make_password

    from consultations.models import (
        Attendance,
        CheckInMethod,
        ItemState,
        MotionItem,
        PollOption,
        SessionState,
        SpeakerRequest,
        SpeakerState,
    )
    from consultations.services.polls import BallotRequest, ballots_cast, poll_close, poll_create, poll_open
    from consultations.tests.attendance_testing import make_session
    from villagegov.models import Body, Gender, Person, User
    from villagegov.testing import council_of

    chair = _committee_chair(village)
    chair_user = chair.user
    council = council_of(village, Body.VILLAGERS_ASSEMBLY)
    session = make_session(council, state=SessionState.OPEN, chair=chair)
    session.title = "2026年村民会议"
    session.save(update_fields=["title"])
    password = make_password(secrets.token_hex(16))
    with transaction.atomic():
        users = User.objects.bulk_create(
            [User(username=f"pages{i}", password=password) for i in range(scale.attendees)], batch_size=1000
        )
        people = Person.objects.bulk_create(
            [
                Person(
                    village=village,
                    name=f"村民{i}",
                    gender=Gender.FEMALE if i % 2 else Gender.MALE,
                    birth_date=date(1950 + i % 50, 1 + i % 12, 1),
                    is_registered_resident=True,
                    joined_on=date(2000, 1, 1),
                    user=user,
                )
                for i, user in enumerate(users)
            ],
            batch_size=1000,
        )
        now = timezone.now()
        Attendance.objects.bulk_create(
            [
                Attendance(
                    session=session,
                    person=person,
                    checked_in_at=now,
                    method=CheckInMethod.CLERK,
                    recorded_by=chair_user,
                )
                for person in people
            ],
            batch_size=1000,
        )
        items = [
            MotionItem.objects.create(
                session=session,
                position=position,
                title=f"议题{position}：村道硬化第{position}段",
                text="同意按预算出资修建本段村道。",
                state=ItemState.PENDING,
                created_by=chair_user,
            )
            for position in range(1, scale.agenda_items + 1)
        ]
    for number, item in enumerate(items[: scale.closed_polls + 1]):
        MotionItem.objects.filter(pk=item.pk).update(state=ItemState.CURRENT, started_at=timezone.now())
        poll = poll_open(
            actor=chair_user,
            poll=poll_create(actor=chair_user, item=item, question=f"是否同意{item.title}？"),
        )
        options = list(PollOption.objects.filter(poll=poll).order_by("position").values_list("pk", flat=True))
        last = number == scale.closed_polls  # the current item: its vote stays open, half have voted
        voters = users[: len(users) // 2] if last else users
        for start in range(0, len(voters), BALLOT_BATCH):
            batch = voters[start : start + BALLOT_BATCH]
            requests = [
                BallotRequest(actor=user, choices=[options[(start + i) % 3 if i % 5 else 0]])
                for i, user in enumerate(batch)
            ]
            refused = [o for o in ballots_cast(poll=poll, ballots=requests) if isinstance(o, ValidationError)]
            if refused:
                raise RuntimeError(f"ballots refused: {refused[:3]}")
        if not last:
            poll_close(actor=chair_user, poll=poll)
            MotionItem.objects.filter(pk=item.pk).update(state=ItemState.DONE, ended_at=timezone.now())
    current = items[scale.closed_polls]
    now = timezone.now()
    SpeakerRequest.objects.bulk_create(
        [
            SpeakerRequest(
                item=current,
                person=person,
                requested_at=now,
                state=SpeakerState.SPEAKING if index == 0 else SpeakerState.WAITING,
                started_at=now if index == 0 else None,
            )
            for index, person in enumerate(people[: scale.speakers])
        ]
    )
    return {"session": session, "chair": chair_user, "villager": users[0], "people": people}


def _supervision(village: Any, scale: Scale, *, residents: list[Any]) -> Any:
    """Disclosure items over two years in every section (corrections, objections), reviews of
    every kind (half concluded and signed), findings in every state, questions past due.
    Returns the user of the committee's chair."""
    from consultations.models import Session
    from supervision.models import (
        DisclosureItem,
        DisclosureObjection,
        DisclosureSection,
        Finding,
        FindingState,
        Question,
        ReviewState,
        SignOff,
        SignOffDecision,
    )
    from supervision.selectors.committee import committee_in_office
    from supervision.selectors.disclosure import complete_periods
    from supervision.selectors.reviews import REVIEW_KINDS
    from supervision.tests.reviews_testing import make_review
    from villagegov.services.audit import audit_record

    today = timezone.localdate()
    now = timezone.now()
    members = committee_in_office(village, on=today)
    chair = members[0].person
    assert chair.user is not None
    publisher = _committee_chair(village).user
    sections = list(DisclosureSection)
    quarters = complete_periods(today, monthly=False, count=8)
    months = complete_periods(today, monthly=True, count=24)

    def published(n: int) -> datetime:
        return now - timedelta(hours=3 * n + 1)

    with transaction.atomic():
        originals = []
        corrections = max(1, scale.disclosure_items // 10)
        for n in range(scale.disclosure_items - corrections):
            section = sections[n % len(sections)]
            period: tuple[date | None, date | None] = (None, None)
            if section == DisclosureSection.FINANCES:
                month = months[(n // len(sections)) % len(months)]
                period = (month.start, month.end)
            elif section == DisclosureSection.GENERAL:
                quarter = quarters[(n // len(sections)) % len(quarters)]
                period = (quarter.start, quarter.end)
            originals.append(
                DisclosureItem(
                    village=village,
                    section=section,
                    title=f"{section.label}公示第{n}号",
                    body="公示内容：收入、支出与结余，经村务监督委员会审核。" * 5,
                    period_start=period[0],
                    period_end=period[1],
                    published_by=publisher,
                    published_at=published(n),
                )
            )
        originals = DisclosureItem.objects.bulk_create(originals, batch_size=500)
        DisclosureItem.objects.bulk_create(
            [
                DisclosureItem(
                    village=village,
                    section=item.section,
                    title=f"更正：{item.title}",
                    body="更正后的公示内容。",
                    period_start=item.period_start,
                    period_end=item.period_end,
                    corrects=item,
                    published_by=publisher,
                    published_at=item.published_at + timedelta(hours=1),
                )
                for item in originals[:: max(1, len(originals) // corrections)][:corrections]
            ]
        )
        DisclosureObjection.objects.bulk_create(
            [
                DisclosureObjection(
                    item=originals[n % len(originals)],
                    person=residents[n % len(residents)],
                    text="支出偏高，请说明。",
                    raised_at=now,
                    answer="已说明。" if n % 2 else "",
                    answered_by=publisher if n % 2 else None,
                    answered_at=now if n % 2 else None,
                )
                for n in range(scale.objections)
            ]
        )

        kinds = list(REVIEW_KINDS)
        meeting = Session.objects.filter(council__village=village).order_by("pk").first()
        reviews = []
        for n in range(scale.reviews):
            kind = kinds[n % len(kinds)]
            fields: dict[str, Any] = {}
            if kind == "disclosure_check":
                quarter = quarters[n % len(quarters)]
                fields = {"period_start": quarter.start, "period_end": quarter.end}
            elif kind == "meeting":
                fields = {"session": meeting}
            concluded = n % 2 == 0
            reviews.append(
                make_review(
                    village,
                    kind,
                    by=members[n % len(members)].person,
                    title=f"审核第{n}号",
                    state=ReviewState.CONCLUDED if concluded else ReviewState.OPEN,
                    **fields,
                )
            )
        majority = len(members) // 2 + 1
        sign_offs = SignOff.objects.bulk_create(
            [
                SignOff(review=review, member=member.person, decision=SignOffDecision.SIGN, signed_at=now)
                for n, review in enumerate(reviews)
                for member in members[: majority if n % 2 == 0 else 1]
            ]
        )
        # Sealed as the service seals a sign-off, all in one record: verify_audit_log passes.
        audit_record(
            actor=chair.user, village=village, action="bench.sign_offs", target=village, seal=sign_offs
        )
        states = [FindingState.OPEN, FindingState.OPEN, FindingState.ANSWERED, FindingState.VERIFIED]
        Finding.objects.bulk_create(
            [
                Finding(
                    review=reviews[n % len(reviews)],
                    description=f"第{n}项：报账凭证缺少经手人签字",
                    required_action="补齐签字并重新报账",
                    responsible=residents[n % len(residents)],
                    deadline=today + timedelta(days=(n % 60) - 20),  # a third of the open ones overdue
                    state=states[n % len(states)],
                    created_by=chair.user,
                    created_at=now,
                )
                for n in range(scale.findings)
            ],
            batch_size=1000,
        )
        Question.objects.bulk_create(
            [
                Question(
                    village=village,
                    addressed_to_person=residents[n % len(residents)],
                    text=f"第{n}号质询：请说明村道工程的招标情况。",
                    due_on=today - timedelta(days=1 + n),
                    asked_by=chair.user,
                    asked_at=now - timedelta(days=20 + n),
                )
                for n in range(scale.questions)
            ]
        )
    return chair.user


def _counts(village: Any, session: Any) -> dict[str, int]:
    from consultations.models import AgendaItem, Attendance, Ballot, Poll, PollState
    from supervision.models import DisclosureItem, Finding, Question, Review
    from villagegov.models import Person

    return {
        "people": Person.objects.filter(village=village).count(),
        "attendees": Attendance.objects.filter(session=session).count(),
        "agenda_items": AgendaItem.objects.filter(session=session).count(),
        "closed_polls": Poll.objects.filter(item__session=session, state=PollState.CLOSED).count(),
        "ballots": Ballot.objects.filter(poll__item__session=session).count(),
        "disclosure_items": DisclosureItem.objects.filter(village=village).count(),
        "reviews": Review.objects.filter(village=village).count(),
        "findings": Finding.objects.filter(review__village=village).count(),
        "questions": Question.objects.filter(village=village).count(),
    }


def _accountant(village: Any) -> Any:
    from consultations.demo import demo_user_with_role
    from villagegov.models import Role

    return demo_user_with_role(village, Role.ACCOUNTANT)


# (summary, debit account, credit account, amount in fen). Last year's touch no income or expense
# account: its distribution plan is published and paid, so its result stays what the plan says.
LAST_YEAR_ENTRIES = [
    ("备用金提现", "101", "102", 500_000),
    ("现金存入银行", "102", "101", 320_000),
    ("收回应收租金", "102", "112", 1_250_000),
    ("支付应付工程款", "211", "102", 2_860_000),
]
THIS_YEAR_ENTRIES = [
    ("收到厂房租金", "102", "501", 1_200_000),
    ("收到商铺租金", "102", "501", 144_000),
    ("支付村干部误工补贴", "513", "102", 386_000),
    ("支付村道保洁费", "514", "102", 218_000),
    ("备用金提现", "101", "102", 500_000),
    ("收到上级运转补助", "102", "503", 450_000),
]


def _ledger(village: Any, scale: Scale, *, accountant: Any) -> Any:
    """`scale.vouchers` posted vouchers of two balanced lines each, half last year and half this
    year up to today, numbered on from each year's last number without gaps in date order.
    Written in bulk: the vouchers as drafts, their lines, then all of them posted by one UPDATE per
    batch (migration 0002's triggers refuse lines added to a posted voucher, and any change to
    one, so they cannot be inserted posted). Returns the account 102 (bank deposits)."""
    from django.db.models import Max

    from assets.models import Account, AccountKind, Voucher, VoucherLine, VoucherState
    from assets.selectors.ledger import year_result
    from villagegov.services.audit import audit_record

    today = timezone.localdate()
    now = timezone.now()
    accounts = {account.code: account for account in Account.objects.filter(village=village)}

    def result_sign(debit: str, credit: str) -> int:
        """+1 when the voucher adds to the year's result, −1 when it takes from it, else 0."""
        kinds = (accounts[debit].kind, accounts[credit].kind)
        return 1 if kinds[1] == AccountKind.INCOME else -1 if kinds[0] == AccountKind.EXPENSE else 0

    # (year, date, summary, debit, credit, fen)
    rows: list[tuple[int, date, str, str, str, int]] = []
    spans = [
        (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31), LAST_YEAR_ENTRIES),
        (date(today.year, 1, 1), today, THIS_YEAR_ENTRIES),
    ]
    counts = [scale.vouchers - scale.vouchers // 2, scale.vouchers // 2]
    for (first, last, entries), count in zip(spans, counts, strict=True):
        days = (last - first).days + 1
        this_year = first.year == today.year
        for n in range(count):
            summary, debit, credit, fen = entries[n % len(entries)]
            fen += (n % 97) * 1000 if this_year else n % 997
            rows.append(
                (
                    first.year,
                    first + timedelta(days=n * days // count),
                    f"{summary}（第{n}笔）",
                    debit,
                    credit,
                    fen,
                )
            )
    # This year's result is brought to a multiple of ¥10 (the last income voucher absorbs the
    # rest) so that its plan's figures are whole yuan: SQLite keeps decimals as REAL, and the
    # plan's CHECK (distributable = income − losses − reserve) refuses figures with fen that
    # floating point does not subtract exactly.
    result_fen = int(year_result(village, today.year) * 100) + sum(
        fen * result_sign(debit, credit)
        for year, _day, _summary, debit, credit, fen in rows
        if year == today.year
    )
    last_income = max(
        i for i, row in enumerate(rows) if row[0] == today.year and result_sign(row[3], row[4]) > 0
    )
    year, day, summary, debit, credit, fen = rows[last_income]
    rows[last_income] = (year, day, summary, debit, credit, fen - result_fen % 1000)

    with transaction.atomic():
        vouchers = Voucher.objects.bulk_create(
            [
                Voucher(
                    village=village,
                    date=day,
                    year=year,
                    summary=summary,
                    attachments=1 + n % 3,
                    state=VoucherState.DRAFT,
                    debit_total=Decimal(fen) / 100,
                    credit_total=Decimal(fen) / 100,
                    created_by=accountant,
                    created_at=now,
                    submitted_at=now,
                )
                for n, (year, day, summary, _debit, _credit, fen) in enumerate(rows)
            ],
            batch_size=1000,
        )
        VoucherLine.objects.bulk_create(
            [
                line
                for voucher, (_year, _day, summary, debit, credit, _fen) in zip(vouchers, rows, strict=True)
                for line in (
                    VoucherLine(
                        voucher=voucher,
                        position=1,
                        account=accounts[debit],
                        summary=summary,
                        debit=voucher.debit_total,
                        credit=Decimal(0),
                    ),
                    VoucherLine(
                        voucher=voucher,
                        position=2,
                        account=accounts[credit],
                        summary=summary,
                        debit=Decimal(0),
                        credit=voucher.credit_total,
                    ),
                )
            ],
            batch_size=1000,
        )
        last_numbers = dict(
            Voucher.objects.filter(village=village, number__isnull=False)
            .values("year")
            .annotate(last=Max("number"))
            .values_list("year", "last")
        )
        for voucher in vouchers:  # in date order within each year
            last_numbers[voucher.year] = last_numbers.get(voucher.year, 0) + 1
            voucher.number = last_numbers[voucher.year]
            voucher.state = VoucherState.POSTED
            voucher.posted_by = accountant
            voucher.posted_at = now
        Voucher.objects.bulk_update(vouchers, ["state", "number", "posted_by", "posted_at"], batch_size=1000)
        # Sealed as voucher_post seals a voucher, all in one record: verify_audit_log passes.
        audit_record(
            actor=accountant, village=village, action="bench.vouchers_post", target=village, seal=vouchers
        )
    return accounts["102"]


def _share_register(village: Any, scale: Scale, *, actor: Any) -> None:
    """New members, as assets/demo.py opens the register (a person on the roster, their
    COLLECTIVE_MEMBER role term, the membership and its first share change), until the register
    holds `scale.members` members."""
    from django.db.models import Max

    from assets.models import Membership, ShareChange
    from villagegov.models import Gender, Person, Role, RoleAssignment

    present = Membership.objects.filter(village=village).count()
    new = max(0, scale.members - present)
    if not new:
        return
    joined = date(2019, 1, 1)
    now = timezone.now()
    first_number = (Membership.objects.filter(village=village).aggregate(last=Max("number"))["last"] or 0) + 1
    with transaction.atomic():
        people = Person.objects.bulk_create(
            [
                Person(
                    village=village,
                    name=f"股东{i}",
                    gender=Gender.FEMALE if i % 2 else Gender.MALE,
                    birth_date=date(1940 + i % 70, 1 + i % 12, 1 + i % 28),
                    is_registered_resident=True,
                    joined_on=date(1990, 1, 1),
                )
                for i in range(new)
            ],
            batch_size=1000,
        )
        terms = RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(person=person, role=Role.COLLECTIVE_MEMBER, starts_on=joined)
                for person in people
            ],
            batch_size=1000,
        )
        memberships = Membership.objects.bulk_create(
            [
                Membership(
                    village=village,
                    person=person,
                    number=first_number + i,
                    role_term=term,
                    shares=Decimal("1.50") if 1940 + i % 70 < 1975 else Decimal("1.00"),  # born before 1975
                    joined_on=joined,
                    join_reason="founding",
                    note="2019年股份固化时的原始成员",
                    recorded_by=actor,
                    recorded_at=now,
                )
                for i, (person, term) in enumerate(zip(people, terms, strict=True))
            ],
            batch_size=1000,
        )
        ShareChange.objects.bulk_create(
            [
                ShareChange(
                    membership=membership,
                    effective_on=joined,
                    shares_before=Decimal("0.00"),
                    shares_after=membership.shares,
                    reason="原始股份（2019年股份固化）",
                    recorded_by=actor,
                    recorded_at=now,
                )
                for membership in memberships
            ],
            batch_size=1000,
        )


def _distribution(village: Any, *, accountant: Any) -> Any:
    """This year's plan on today's register, drafted and published through the services (the
    allocation of every member's share to the fen, the fingerprint, the disclosure item)."""
    from assets.services.distributions import distribution_draft, distribution_publish

    today = timezone.localdate()
    plan = distribution_draft(
        actor=accountant,
        village=village,
        year=today.year,
        title=f"{today.year}年度股份分红方案（预分配）",
        record_date=today,
        losses_made_up=Decimal("0.00"),
    )
    return distribution_publish(actor=accountant, plan=plan)


def _assets_counts(village: Any, plan: Any) -> dict[str, int]:
    from assets.models import Allocation, Membership, Voucher, VoucherLine, VoucherState

    return {
        "posted_vouchers": Voucher.objects.filter(village=village, state=VoucherState.POSTED).count(),
        "voucher_lines": VoucherLine.objects.filter(voucher__village=village).count(),
        "members": Membership.objects.filter(village=village).count(),
        "allocations": Allocation.objects.filter(plan=plan).count(),
    }
