"""Issue 4's journey of the supervision committee, on phones, in Chinese: a committee member opens a
voucher review (审核凭证), attaches a PDF as evidence and records a finding (整改事项) for the
official; the official answers it; the committee member verifies the rectification; the official
publishes the result on the disclosure board (村务公开栏), which an anonymous visitor then reads."""

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from e2e.conftest import PHONE, expect_chinese_page, screenshot
from supervision.models import (
    DisclosureItem,
    Evidence,
    Finding,
    FindingState,
    Review,
    VerificationOutcome,
    VoucherReview,
)
from supervision.tests.reviews_testing import PDF_BYTES, committee
from villagegov.models import Person, Role
from villagegov.testing import make_person, make_village

PASSWORD = "village-pass-123"  # make_person's
# File names and the file types the upload form names stay in Latin letters on purpose.
FILE_WORDS = frozenset({"pdf", "PDF", "JPEG", "PNG", "WebP", "MB"})


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    """Uploads go to a temporary MEDIA_ROOT, never into the repository; SMS stay in memory."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.VILLAGEGOV_SMS_BACKEND = "memory"
    return root


def new_phone(browser: Browser) -> BrowserContext:
    """Another phone (its own cookies), set up as conftest's phone_page is."""
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def second_phone(browser: Browser) -> Iterator[BrowserContext]:
    context = new_phone(browser)
    yield context
    context.close()


@pytest.fixture
def third_phone(browser: Browser) -> Iterator[BrowserContext]:
    context = new_phone(browser)
    yield context
    context.close()


def log_in(page: Page, base: str, person: Person) -> None:
    assert person.user is not None
    page.goto(base + reverse("account_login"))
    page.locator("[name=login]").fill(person.user.username)
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("main form.form button[type=submit]").click()
    expect(page).to_have_url(base + reverse("village_dashboard", args=[person.village.admin_code]))


def nav_to(page: Page, url_name: str, code: str) -> None:
    """Follow the main navigation's link to `url_name` (located by its address, not its words)."""
    page.locator(f"nav.main-nav a[href='{reverse(url_name, args=[code])}']").click()


class ChineseCheck:
    """expect_chinese_page on every page of the journey, gathered so that the whole journey runs and
    the end lists every page that still shows English."""

    def __init__(self) -> None:
        self.misses: list[str] = []

    def __call__(self, page: Page, *, allow: frozenset[str] = frozenset()) -> None:
        try:
            expect_chinese_page(page, allow=allow)
        except AssertionError as miss:
            self.misses.append(str(miss).splitlines()[0])

    def assert_all_chinese(self) -> None:
        assert not self.misses, "\n".join(self.misses)


def submit(form: Locator) -> None:
    form.locator("button[type=submit]").click()


def test_committee_reviews_a_voucher_the_official_rectifies_and_the_board_shows_the_result(
    live_server: LiveServer,
    phone_page: Page,
    second_phone: BrowserContext,
    third_phone: BrowserContext,
    media: Path,
    tmp_path: Path,
) -> None:
    village = make_village(name="东坑村")
    official = make_person(village, name="陈主任", roles=(Role.COMMITTEE_MEMBER,), with_account=True)
    supervisor = committee(village, members=3)[0]
    code = village.admin_code
    base = live_server.url
    chinese = ChineseCheck()

    # 1. The committee member logs in on a phone and opens a voucher review.
    member = phone_page
    log_in(member, base, supervisor)
    nav_to(member, "supervision_dashboard", code)
    expect(member).to_have_url(base + reverse("supervision_dashboard", args=[code]))
    chinese(member)
    screenshot(member, "supervision-01-dashboard")
    member.locator(f"main a[href='{reverse('review_list', args=[code])}']").first.click()
    member.locator(f"main a[href='{reverse('review_create', args=[code])}']").click()
    member.locator("main a.review-kind[href='?kind=voucher']").click()
    expect(member).to_have_url(base + reverse("review_create", args=[code]) + "?kind=voucher")
    form = member.locator("main form.form")
    form.locator("[name=title]").fill("审核2024年第三季度凭证")
    form.locator("[name=summary]").fill("村道维修材料款的付款凭证。")
    form.locator("[name=voucher_number]").fill("记-2024-087")
    form.locator("[name=voucher_date]").fill("2024-08-15")
    form.locator("[name=amount]").fill("12800.50")
    form.locator("[name=payee]").fill("东坑建材店")
    chinese(member)
    screenshot(member, "supervision-02-voucher-form")
    submit(form)
    expect(member).to_have_url(re.compile(rf"/v/{code}/supervision/reviews/\d+/$"))
    review = Review.objects.get(village=village)
    assert isinstance(review, VoucherReview)
    assert (review.voucher_number, str(review.amount), review.payee) == (
        "记-2024-087",
        "12800.50",
        "东坑建材店",
    )
    assert review.opened_by == supervisor.user
    expect(member.locator("main h1")).to_have_text("审核2024年第三季度凭证")
    expect(member.locator("main .messages")).to_be_visible()
    expect(member.locator("main .person-data")).to_contain_text("记-2024-087")

    # 2. A PDF of the voucher, attached as evidence: stored with its checksum, listed on the page.
    pdf = tmp_path / "凭证.pdf"
    pdf.write_bytes(PDF_BYTES)
    upload = member.locator(f"main form[action='{reverse('evidence_upload', args=[code, review.pk])}']")
    upload.locator("input[name=evidence_files]").set_input_files(pdf)
    submit(upload)
    expect(member).to_have_url(base + reverse("review_detail", args=[code, review.pk]))
    evidence = Evidence.objects.get(review=review)
    assert (evidence.original_name, evidence.content_type, evidence.size) == (
        "凭证.pdf",
        "application/pdf",
        len(PDF_BYTES),
    )
    evidence_link = member.locator(
        f"main .review-evidence a[href='{reverse('evidence_file', args=[code, evidence.pk])}']"
    )
    expect(evidence_link).to_have_text("凭证.pdf")
    chinese(member, allow=FILE_WORDS)
    screenshot(member, "supervision-03-review-with-evidence")

    # 3. A finding: the official must rectify by a deadline.
    member.locator(f"main a[href='{reverse('finding_create', args=[code, review.pk])}']").click()
    form = member.locator("main form.form")
    form.locator("[name=description]").fill("凭证缺少经手人签字，金额与合同不符。")
    form.locator("[name=required_action]").fill("补齐经手人签字，附上合同和验收单。")
    form.locator("[name=responsible]").fill(f"{official.name} (#{official.pk})")
    deadline = timezone.localdate() + timedelta(days=14)
    form.locator("[name=deadline]").fill(deadline.isoformat())
    chinese(member)
    screenshot(member, "supervision-04-finding-form")
    submit(form)
    finding = Finding.objects.get(review=review)
    expect(member).to_have_url(base + reverse("finding_detail", args=[code, finding.pk]))
    assert (finding.responsible_id, finding.deadline, finding.state) == (
        official.pk,
        deadline,
        FindingState.OPEN,
    )
    expect(member.locator("main .person-data")).to_contain_text("陈主任")
    expect(member.locator("main .badge-warn")).to_be_visible()
    chinese(member)
    screenshot(member, "supervision-05-finding-open")

    # 4. The official, on their own phone, finds it among their findings and answers it.
    official_page = second_phone.new_page()
    log_in(official_page, base, official)
    nav_to(official_page, "supervision_dashboard", code)
    official_page.locator(f"main a[href='{reverse('finding_list', args=[code])}?mine=1&state=open']").click()
    official_page.locator(f"main a[href='{reverse('finding_detail', args=[code, finding.pk])}']").click()
    expect(official_page).to_have_url(base + reverse("finding_detail", args=[code, finding.pk]))
    answer = official_page.locator(
        f"main form[action='{reverse('finding_answer', args=[code, finding.pk])}']"
    )
    answer.locator("[name=text]").fill("经手人已补签，合同和验收单已附在凭证后。")
    signed = tmp_path / "补签凭证.pdf"
    signed.write_bytes(PDF_BYTES)
    answer.locator("input[name=evidence]").set_input_files(signed)
    chinese(official_page, allow=FILE_WORDS)
    screenshot(official_page, "supervision-06-official-answers")
    submit(answer)
    expect(official_page).to_have_url(base + reverse("finding_detail", args=[code, finding.pk]))
    finding.refresh_from_db()
    assert finding.state == FindingState.ANSWERED
    expect(official_page.locator("main .finding-history")).to_contain_text("经手人已补签")
    expect(official_page.locator("main .finding-history a")).to_have_text("补签凭证.pdf")
    expect(official_page.locator(f"main form[action$='/findings/{finding.pk}/answer/']")).to_have_count(0)
    chinese(official_page, allow=FILE_WORDS)
    screenshot(official_page, "supervision-07-answered")

    # 5. The committee member verifies the rectification.
    member.reload()
    verify = member.locator(f"main form[action='{reverse('finding_verify', args=[code, finding.pk])}']")
    verify.locator(f"input[name=outcome][value={VerificationOutcome.VERIFIED}]").check()
    submit(verify)
    expect(member).to_have_url(base + reverse("finding_detail", args=[code, finding.pk]))
    finding.refresh_from_db()
    assert finding.state == FindingState.VERIFIED
    expect(member.locator("main .finding-history .badge-ok")).to_be_visible()
    expect(member.locator(f"main form[action$='/findings/{finding.pk}/verify/']")).to_have_count(0)
    chinese(member, allow=FILE_WORDS)
    screenshot(member, "supervision-08-verified")

    # 6. The official publishes the result on the disclosure board, with the period it covers.
    nav_to(official_page, "disclosure_board", code)
    official_page.locator(f"main a[href='{reverse('disclosure_publish', args=[code])}']").click()
    form = official_page.locator("main form.form")
    form.locator("[name=section]").select_option("general")
    form.locator("[name=title]").fill("村务监督委员会凭证审核结果")
    form.locator("[name=content]").fill("2024年第三季度凭证审核发现一项问题，已整改并经监委会核实。")
    today = timezone.localdate()
    form.locator("[name=period_start]").fill(today.replace(day=1).isoformat())
    form.locator("[name=period_end]").fill(today.isoformat())
    chinese(official_page)
    screenshot(official_page, "supervision-09-publish")
    submit(form)
    item = DisclosureItem.objects.get(village=village)
    expect(official_page).to_have_url(base + reverse("disclosure_detail", args=[code, item.pk]))
    assert (item.section, item.title, item.published_by) == (
        "general",
        "村务监督委员会凭证审核结果",
        official.user,
    )

    # 7. Anyone, without logging in, reads it on the village's public board.
    board = third_phone.new_page()
    board.goto(base + reverse("disclosure_board", args=[code]))
    expect(board).to_have_url(base + reverse("disclosure_board", args=[code]))
    section = board.locator("main section.disclosure-section[aria-labelledby=section-general]")
    link = section.locator(f"a[href='{reverse('disclosure_detail', args=[code, item.pk])}']")
    expect(link).to_have_text("村务监督委员会凭证审核结果")
    expect(board.locator(f"main a[href='{reverse('disclosure_publish', args=[code])}']")).to_have_count(0)
    chinese(board)
    screenshot(board, "supervision-10-public-board")
    link.click()
    expect(board).to_have_url(base + reverse("disclosure_detail", args=[code, item.pk]))
    expect(board.locator("main")).to_contain_text("已整改并经监委会核实")
    chinese(board)
    screenshot(board, "supervision-11-public-item")

    # Every page of the journey in Chinese (checked last, so that the journey itself runs through).
    chinese.assert_all_chinese()
