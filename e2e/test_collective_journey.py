"""Issue 5's journey of the collective's money, on phones, in Chinese: the accountant records a
voucher and sends it for review; two members of the supervision committee review and sign it; the
accountant posts it. The official drafts the year's distribution plan from the books and publishes
it; the members' assembly (成员大会) approves it in a session, by a show of hands the chair runs in
the browser; the committee clears the plan; the official starts paying, records every payment and
publishes the result (实施结果公开), which an anonymous visitor then reads on the public board.

Done with services, not pages (each said again where it happens): the members and their shares
(issue 5's member pages are tested on their own), the 成员大会 session opened and its people
checked in (consultations.demo's demo_meeting_open, as the demo does), and the plan's publication
moved 12 days back (a browser test cannot wait the 10 days' notice)."""

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from importlib import import_module

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from assets.models import (
    Account,
    Allocation,
    DistributionPlan,
    Payment,
    PaymentMethod,
    Voucher,
    VoucherState,
)
from assets.services.ledger import review_link
from assets.tests.members_testing import make_member
from consultations.demo import demo_meeting_open
from consultations.models import Poll, PollState, Resolution
from e2e.conftest import CALL_FAILED, ENGLISH_WORD, screenshot
from e2e.test_supervision_journey import ChineseCheck, log_in, nav_to, new_phone, submit
from supervision.models import DisclosureItem, Review, ReviewState
from supervision.tests.reviews_testing import committee
from villagegov.models import Body, Role
from villagegov.testing import council_of, make_person, make_village

SHARES = ("1", "1", "1.5", "2", "1", "0.5")
INCOME = Decimal("120000.00")
# 10% to the 公积公益金 leaves ¥108,000.00 for 7 shares: ¥15,428.571428… a share. Every member
# gets the floor to the fen (¥107,999.98 in all); the 2 fen left go to the largest remainders:
# member 3 (1.5 shares, remainder 0.714 fen) and member 6 (0.5 shares, 0.571 fen).
DISTRIBUTABLE = Decimal("108000.00")
AMOUNTS = ["15428.57", "15428.57", "23142.86", "30857.14", "15428.57", "7714.29"]
# The download links name their formats; the plan's fingerprint is SHA-256, in hexadecimal.
LATIN_ON_PURPOSE = frozenset({"XLSX", "CSV", "SHA-"})
# The evidence upload form on a review's page names the file types.
FILE_WORDS = frozenset({"PDF", "JPEG", "PNG", "WebP", "MB"})
# The result on the board names the plan's page by its address (/v/…/collective/distributions/…/).
PLAN_ADDRESS = frozenset({"collective", "distributions"})


@pytest.fixture
def phones(
    request: pytest.FixtureRequest, browser: Browser, settings: Settings
) -> Iterator[Callable[[], Page]]:
    """More phones (each its own cookies), closed at the end and photographed if the test failed
    (e2e/screenshots/failed-collective-phone-N.png); SMS stay in memory."""
    settings.VILLAGEGOV_SMS_BACKEND = "memory"
    contexts: list[BrowserContext] = []

    def phone() -> Page:
        context = new_phone(browser)
        contexts.append(context)
        return context.new_page()

    yield phone
    for number, context in enumerate(contexts, start=2):
        if request.node.stash.get(CALL_FAILED, False):
            for page in context.pages:
                screenshot(page, f"failed-collective-phone-{number}")
        context.close()


@pytest.fixture
def posted_vouchers_cleared(transactional_db: None) -> Iterator[None]:
    """After the test, the posted vouchers it made are removed, so that the live server's flush of
    the database can empty it: on SQLite the flush DELETEs, which migration 0002's triggers refuse
    for a posted voucher (PostgreSQL's TRUNCATE fires no row triggers). The triggers are dropped
    for the cleaning and put back at once, for the tests that follow."""
    yield
    if connection.vendor != "sqlite":
        return
    guards = import_module("assets.migrations.0002_chart_and_ledger_guards")
    with connection.cursor() as cursor:
        for statement in guards.DROP_SQLITE:
            cursor.execute(statement)
        try:
            cursor.execute("DELETE FROM assets_voucherline")
            cursor.execute("DELETE FROM assets_voucher")
        finally:
            for statement in guards.IMMUTABLE_SQLITE:
                cursor.execute(statement)


def zh(text: object) -> str:
    """What a Chinese page shows for an English msgid or a lazy label."""
    with translation.override("zh-hans"):
        return str(text)


def sign_review(page: Page, code: str, review: Review) -> None:
    sign = page.locator(f"main form[action='{reverse('review_sign', args=[code, review.pk])}']")
    sign.locator("input[name=decision][value=sign]").check()
    submit(sign)
    expect(page).to_have_url(re.compile(rf"{reverse('review_detail', args=[code, review.pk])}$"))


def press_submit(form: Locator) -> None:
    """Submit with the keyboard, where a tap misses: the minutes page is wider than the phone (the
    motion's text carries the plan's 64-character fingerprint, which does not wrap), and
    Playwright's tap then lands beside the button."""
    form.locator("button[type=submit]").press("Enter")


def form_at(page: Page, url_name: str, *args: object) -> Locator:
    return page.locator(f"main form[action='{reverse(url_name, args=list(args))}']")


def test_voucher_reviewed_and_posted_then_a_distribution_approved_cleared_paid_and_shown(
    live_server: LiveServer,
    phone_page: Page,
    phones: Callable[[], Page],
    posted_vouchers_cleared: None,
) -> None:
    village = make_village(name="东坑村")
    code = village.admin_code
    base = live_server.url
    today = timezone.localdate()
    accountant = make_person(village, name="黄会计", roles=(Role.ACCOUNTANT,), with_account=True)
    official = make_person(village, name="陈主任", roles=(Role.COMMITTEE_MEMBER,), with_account=True)
    supervisors = committee(village, members=3)
    council_of(village, Body.MEMBERS_ASSEMBLY)  # the 成员大会: its roll is the share register
    # The share register (its pages are issue 5's members tests): six members since 2020.
    members = [
        make_member(village, make_person(village, name=f"成员{index}号"), shares=shares)
        for index, shares in enumerate(SHARES, start=1)
    ]
    chinese = ChineseCheck()

    # 1. The accountant, on a phone, goes to the collective's finances and the ledger.
    books = phone_page
    log_in(books, base, accountant)
    nav_to(books, "collective_dashboard", code)
    expect(books).to_have_url(base + reverse("collective_dashboard", args=[code]))
    chinese(books)
    screenshot(books, "collective-01-dashboard")
    books.locator(f"main a[href='{reverse('voucher_list', args=[code])}']").click()
    expect(books).to_have_url(base + reverse("voucher_list", args=[code]))
    books.locator(f"main a[href='{reverse('voucher_create', args=[code])}']").click()
    expect(books).to_have_url(base + reverse("voucher_create", args=[code]))

    # A voucher: the bank received the year's operating income.
    bank = Account.objects.get(village=village, code="102")
    income = Account.objects.get(village=village, code="501")
    form = books.locator("main form.form")
    form.locator("[name=date]").fill(today.isoformat())
    form.locator("[name=summary]").fill("收到鱼塘承包经营收入")
    form.locator("[name=attachments]").fill("2")
    form.locator("[name=account_1]").select_option(str(bank.pk))
    form.locator("[name=summary_1]").fill("存入农商银行")
    form.locator("[name=debit_1]").fill("120000")
    form.locator("[name=account_2]").select_option(str(income.pk))
    form.locator("[name=summary_2]").fill("鱼塘承包收入")
    form.locator("[name=credit_2]").fill("120000.00")
    chinese(books)
    screenshot(books, "collective-02-voucher-form")
    submit(form)
    voucher = Voucher.objects.get(village=village)
    expect(books).to_have_url(base + reverse("voucher_detail", args=[code, voucher.pk]))
    assert (voucher.state, voucher.number, voucher.debit_total, voucher.credit_total) == (
        VoucherState.DRAFT,
        None,
        INCOME,
        INCOME,
    )
    assert [(line.account_id, line.debit, line.credit) for line in voucher.lines.order_by("position")] == [
        (bank.pk, INCOME, Decimal("0.00")),
        (income.pk, Decimal("0.00"), INCOME),
    ]
    expect(books.locator("main .ledger-table tfoot")).to_contain_text("¥120,000.00")

    # … and sends it for review.
    submit(form_at(books, "voucher_submit", code, voucher.pk))
    expect(books).to_have_url(base + reverse("voucher_detail", args=[code, voucher.pk]))
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.SUBMITTED
    expect(books.locator("main .badge-warn")).to_have_text(zh(VoucherState.SUBMITTED.label))
    expect(form_at(books, "voucher_post", code, voucher.pk)).to_have_count(1)
    chinese(books)
    screenshot(books, "collective-03-voucher-sent")

    # 2. A committee member, on another phone, opens the review from the voucher's page: the
    # review form is filled from the voucher.
    chair_of_committee = phones()
    log_in(chair_of_committee, base, supervisors[0])
    chair_of_committee.goto(base + reverse("voucher_detail", args=[code, voucher.pk]))
    chinese(chair_of_committee)
    chair_of_committee.locator(f"main a[href='{review_link(voucher)}']").click()
    form = chair_of_committee.locator("main form.form")
    expect(form.locator("[name=amount]")).to_have_value("120000.00")
    expect(form.locator("[name=voucher_date]")).to_have_value(today.isoformat())
    expect(form.locator("[name=title]")).to_have_value(re.compile("收到鱼塘承包经营收入"))
    form.locator("[name=summary]").fill("核对银行回单与承包合同。")
    chinese(chair_of_committee)
    screenshot(chair_of_committee, "collective-04-voucher-review-form")
    submit(form)
    review = Review.objects.get(village=village)
    expect(chair_of_committee).to_have_url(base + reverse("review_detail", args=[code, review.pk]))
    assert review.subject == voucher
    sign_review(chair_of_committee, code, review)
    review.refresh_from_db()
    assert review.state == ReviewState.OPEN  # one of three: a majority is two

    # The second member signs on their own phone (through the browser too), from the voucher.
    second = phones()
    log_in(second, base, supervisors[1])
    second.goto(base + reverse("voucher_detail", args=[code, voucher.pk]))
    second.locator(f"main a[href='{reverse('review_detail', args=[code, review.pk])}']").click()
    sign_review(second, code, review)
    review.refresh_from_db()
    assert review.state == ReviewState.CONCLUDED
    expect(second.locator("main .review-signoff .badge-ok")).to_have_count(2)
    chinese(second, allow=FILE_WORDS)
    screenshot(second, "collective-05-voucher-review-concluded")

    # 3. The accountant posts it: it takes the year's first number.
    books.reload()
    submit(form_at(books, "voucher_post", code, voucher.pk))
    expect(books).to_have_url(base + reverse("voucher_detail", args=[code, voucher.pk]))
    voucher.refresh_from_db()
    assert (voucher.state, voucher.year, voucher.number) == (VoucherState.POSTED, today.year, 1)
    assert voucher.posted_at is not None
    expect(books.locator("main h1")).to_contain_text(str(today.year))
    expect(books.locator("main h1")).to_contain_text("1")
    expect(books.locator("main .badge-ok")).to_have_text(zh(VoucherState.POSTED.label))
    expect(form_at(books, "voucher_post", code, voucher.pk)).to_have_count(0)
    expect(form_at(books, "voucher_reverse", code, voucher.pk)).to_have_count(1)
    chinese(books)
    screenshot(books, "collective-06-voucher-posted")

    # 4. The official drafts this year's distribution plan from the books.
    office = phones()
    log_in(office, base, official)
    nav_to(office, "collective_dashboard", code)
    office.locator(f"main a[href='{reverse('distribution_list', args=[code])}']").click()
    office.locator(f"main a[href='{reverse('distribution_create', args=[code])}']").click()
    expect(office).to_have_url(base + reverse("distribution_create", args=[code]))
    form = office.locator("main form.form")
    form.locator("[name=title]").fill(f"{today.year}年度股份分红方案")
    form.locator("[name=year]").fill(str(today.year))
    form.locator("[name=record_date]").fill(today.isoformat())
    chinese(office)
    screenshot(office, "collective-07-plan-form")
    submit(form)
    plan = DistributionPlan.objects.get(village=village)
    detail = base + reverse("distribution_detail", args=[code, plan.pk])
    expect(office).to_have_url(detail)
    assert (plan.year, plan.income, plan.reserve, plan.distributable, plan.total_shares) == (
        today.year,
        INCOME,
        Decimal("12000.00"),
        DISTRIBUTABLE,
        Decimal("7.00"),
    )
    lines = list(Allocation.objects.filter(plan=plan).order_by("membership__number"))
    assert [line.membership_id for line in lines] == [member.pk for member in members]
    assert [str(line.amount) for line in lines] == AMOUNTS
    assert sum(line.amount for line in lines) == DISTRIBUTABLE
    # The official checks the figures on the page …
    figures = office.locator("main section[aria-labelledby=figures-heading]")
    expect(figures).to_contain_text("¥120,000.00")
    expect(figures).to_contain_text("¥12,000.00")
    expect(figures).to_contain_text("¥108,000.00")
    table = office.locator("main table.allocation-table tbody tr")
    expect(table).to_have_count(6)
    expect(table.nth(2)).to_contain_text("¥23,142.86")
    expect(table.nth(5)).to_contain_text("¥7,714.29")
    chinese(office, allow=LATIN_ON_PURPOSE)
    screenshot(office, "collective-08-plan-draft")

    # … and publishes it.
    submit(form_at(office, "distribution_publish", code, plan.pk))
    expect(office).to_have_url(detail)
    plan.refresh_from_db()
    assert plan.published_at is not None and len(plan.digest) == 64
    # The fingerprint shown on the plan (and in its motion) has runs of the letters a–f.
    fingerprint = LATIN_ON_PURPOSE | frozenset(ENGLISH_WORD.findall(plan.digest))
    expect(office.locator("main code.digest")).to_have_text(plan.digest)
    chinese(office, allow=fingerprint)
    screenshot(office, "collective-09-plan-published")

    # The 10 days' notice: a browser test cannot wait 10 days, so the publication (the plan's and
    # its item on the board) is moved 12 days back with the ORM, as the demo does.
    published_at = timezone.now() - timedelta(days=12)
    DistributionPlan.objects.filter(pk=plan.pk).update(published_at=published_at)
    DisclosureItem.objects.filter(village=village, title__contains=plan.title).update(
        published_at=published_at
    )

    # 5. Today's session of the 成员大会, announced, opened and everyone but one checked in by
    # the clerk, made with consultations' services as the demo makes it (those pages are
    # consultations' own journeys).
    assert official.user is not None
    session = demo_meeting_open(
        council=council_of(village, Body.MEMBERS_ASSEMBLY),
        chair=official,
        title=f"{today.year}年度股份经济联合社成员大会",
        clerk=official.user,
    )
    # The official puts the plan to it.
    office.reload()
    propose = form_at(office, "distribution_propose", code, plan.pk)
    propose.locator("[name=session]").select_option(str(session.pk))
    chinese(office, allow=fingerprint)
    screenshot(office, "collective-10-propose")
    submit(propose)
    expect(office).to_have_url(detail)
    plan.refresh_from_db()
    motion = plan.motion
    assert motion is not None and motion.session_id == session.pk

    # The chair (the official) runs the vote in the browser: takes up the motion, …
    nav_to(office, "session_list", code)
    office.locator(f"main a[href='{reverse('session_detail', args=[code, session.pk])}']").first.click()
    item_path = reverse("agenda_item_detail", args=[code, session.pk, motion.pk])
    office.locator(f"main a[href='{item_path}']").first.click()
    expect(office).to_have_url(base + item_path)
    submit(form_at(office, "agenda_item_start", code, session.pk, motion.pk))
    expect(office).to_have_url(re.compile(re.escape(item_path)))
    # … puts it to a show of hands, …
    create = form_at(office, "poll_create", code, session.pk, motion.pk)
    create.locator("[name=question]").fill(f"是否同意{today.year}年度股份分红方案？")
    create.locator("[name=method]").select_option("show_of_hands")
    chinese(office, allow=fingerprint)  # the motion quotes the plan's fingerprint
    screenshot(office, "collective-11-motion-taken-up")
    submit(create)
    poll = Poll.objects.get(item=motion)
    expect(office).to_have_url(base + reverse("poll_detail", args=[code, session.pk, poll.pk]))
    # … opens it, …
    submit(form_at(office, "poll_open", code, session.pk, poll.pk))
    expect(office).to_have_url(base + reverse("poll_detail", args=[code, session.pk, poll.pk]))
    poll.refresh_from_db()
    assert poll.state == PollState.OPEN
    present = poll.entitled_count
    assert present == 5  # six members, one absent: demo_meeting_open leaves the fourth out
    # … and records the counts (all present for), which closes it.
    office.locator(f"main a[href='{reverse('poll_count_record', args=[code, session.pk, poll.pk])}']").click()
    counts = form_at(office, "poll_count_record", code, session.pk, poll.pk)
    for option in poll.options.all():
        counts.locator(f"[name=option_{option.pk}]").fill(str(present) if option.answer == "yes" else "0")
    counts.locator("[name=tellers]").fill("计票人：成员1号；监票人：成员2号")
    chinese(office)
    screenshot(office, "collective-12-counts")
    submit(counts)
    expect(office).to_have_url(base + reverse("poll_detail", args=[code, session.pk, poll.pk]))
    poll.refresh_from_db()
    assert (poll.state, poll.passed) == (PollState.CLOSED, True)
    expect(office.locator("main .poll-verdict .badge-ok")).to_be_visible()
    chinese(office)
    screenshot(office, "collective-13-vote-passed")

    # The chair closes the session; the official (who keeps the minutes) makes the resolution
    # and publishes it, on the minutes' page.
    office.locator(f"main a[href='{reverse('session_detail', args=[code, session.pk])}']").first.click()
    submit(form_at(office, "session_close", code, session.pk))
    expect(office).to_have_url(base + reverse("session_detail", args=[code, session.pk]))
    office.locator(f"main a[href='{reverse('minutes_detail', args=[code, session.pk])}']").click()
    expect(office).to_have_url(base + reverse("minutes_detail", args=[code, session.pk]))
    press_submit(form_at(office, "resolution_create", code, session.pk, poll.pk))
    expect(office).to_have_url(base + reverse("minutes_detail", args=[code, session.pk]))
    resolution = Resolution.objects.get(poll=poll)
    press_submit(form_at(office, "resolution_publish", code, session.pk, resolution.pk))
    expect(office).to_have_url(base + reverse("resolution_detail", args=[code, resolution.pk]))
    resolution.refresh_from_db()
    assert resolution.published_at is not None

    # Two of the three steps are done; the committee's review is missing.
    office.goto(detail)
    gates = office.locator("main ol.gates li")
    expect(gates).to_have_count(3)
    expect(office.locator("main ol.gates li.gate-met")).to_have_count(2)
    expect(office.locator("main ol.gates li.gate-missing")).to_have_count(1)
    chinese(office, allow=fingerprint)
    screenshot(office, "collective-14-gates-two-of-three")

    # 6. The committee clears the plan: a member opens the review from the plan's page, filled
    # from the plan, and signs; a second member signs (in the browser too).
    chair_of_committee.goto(detail)
    review_url = (
        reverse("review_create", args=[code])
        + f"?kind=distribution&subject=assets.distributionplan:{plan.pk}"
    )
    chair_of_committee.locator(f"main ol.gates a[href='{review_url}']").click()
    form = chair_of_committee.locator("main form.form")
    expect(form.locator("[name=amount]")).to_have_value("108000.00")
    expect(form.locator("[name=plan_year]")).to_have_value(str(today.year))
    chinese(chair_of_committee)
    screenshot(chair_of_committee, "collective-15-plan-review-form")
    submit(form)
    plan_review = Review.objects.exclude(pk=review.pk).get(village=village)
    assert plan_review.subject == plan
    expect(chair_of_committee).to_have_url(base + reverse("review_detail", args=[code, plan_review.pk]))
    sign_review(chair_of_committee, code, plan_review)
    second.goto(base + reverse("review_detail", args=[code, plan_review.pk]))
    sign_review(second, code, plan_review)
    plan_review.refresh_from_db()
    assert plan_review.state == ReviewState.CONCLUDED

    # 7. The official starts paying: all three steps are done.
    office.reload()
    expect(office.locator("main ol.gates li.gate-met")).to_have_count(3)
    submit(
        form_at(office, "distribution_pay_start", code, plan.pk).filter(has_not=office.locator("[name=all]"))
    )
    expect(office).to_have_url(detail)
    plan.refresh_from_db()
    assert plan.payment_started_at is not None
    # Every payment at once: one bank transfer batch.
    pay_all = form_at(office, "distribution_pay_start", code, plan.pk).filter(
        has=office.locator("[name=all]")
    )
    pay_all.locator("[name=paid_on]").fill(today.isoformat())
    pay_all.locator("[name=method]").select_option(PaymentMethod.BANK)
    pay_all.locator("[name=reference]").fill("东坑农商银行批量代发")
    chinese(office, allow=fingerprint)
    screenshot(office, "collective-16-paying")
    submit(pay_all)
    expect(office).to_have_url(detail)
    payments = Payment.objects.filter(allocation__plan=plan)
    assert payments.count() == 6
    assert {(payment.paid_on, payment.method) for payment in payments} == {(today, PaymentMethod.BANK)}
    assert sum(payment.allocation.amount for payment in payments) == DISTRIBUTABLE
    # … and publishes the result.
    submit(form_at(office, "distribution_result_publish", code, plan.pk))
    expect(office).to_have_url(detail)
    plan.refresh_from_db()
    assert plan.result_published_at is not None
    expect(office.locator("main .badge-ok").first).to_be_visible()
    chinese(office, allow=fingerprint)
    screenshot(office, "collective-17-result-published")

    # 8. Anyone, without logging in, reads the result on the village's public board.
    result = DisclosureItem.objects.filter(village=village, section="finances").order_by("-pk").first()
    assert result is not None and result.pk is not None
    assert str(today.year) in result.title and "收益分配实施结果公开" in result.title
    board = phones()
    board.goto(base + reverse("disclosure_board", args=[code]))
    finances = board.locator("main section.disclosure-section[aria-labelledby=section-finances]")
    link = finances.locator(f"a[href='{reverse('disclosure_detail', args=[code, result.pk])}']")
    expect(link).to_have_text(result.title)
    chinese(board)
    screenshot(board, "collective-18-public-board")
    link.click()
    expect(board).to_have_url(base + reverse("disclosure_detail", args=[code, result.pk]))
    expect(board.locator("main")).to_contain_text("¥108,000.00")
    chinese(board, allow=PLAN_ADDRESS)
    screenshot(board, "collective-19-public-result")

    # Every page of the journey in Chinese (checked last, so that the journey itself runs through).
    chinese.assert_all_chinese()
