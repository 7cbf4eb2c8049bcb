"""Issue 2's journey on a phone: a villager on the roster claims the account an official invited
them to, verifies the phone by SMS, lands on the village dashboard in Chinese, and logs in again."""

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from e2e.conftest import CHINESE_ONLY, expect_chinese_page, screenshot
from villagegov import sms
from villagegov.models import Role
from villagegov.services.invitations import invitation_issue
from villagegov.testing import make_person, make_village

PHONE_TYPED = "139 1234 5678"  # as a villager types it; stored as +8613912345678
PASSWORD = "Lotus-pond-2024"
SMS_CODE = re.compile(r"\b(\d{6})\b")


@pytest.fixture
def sms_outbox(settings: Settings) -> list[sms.SmsMessage]:
    """SMS kept in memory; the live server shares this process, so it sees the override."""
    settings.VILLAGEGOV_SMS_BACKEND = "memory"
    sms.outbox.clear()
    return sms.outbox


def last_sms_code(outbox: list[sms.SmsMessage]) -> str:
    assert outbox, "no SMS was sent"
    match = SMS_CODE.search(outbox[-1].message)
    assert match, outbox[-1].message
    return match.group(1)


def test_invited_villager_signs_up_on_a_phone_and_logs_in_again(
    live_server: LiveServer, phone_page: Page, desktop_page: Page, sms_outbox: list[sms.SmsMessage]
) -> None:
    village = make_village(name="东坑村")
    official = make_person(village, name="陈主任", roles=(Role.COMMITTEE_MEMBER,), with_account=True)
    assert official.user is not None
    person = make_person(village, name="张小梅")
    invitation = invitation_issue(actor=official.user, person=person)
    dashboard_url = f"{live_server.url}/v/{village.admin_code}/"
    page = phone_page

    # 1. The QR code's target fills the code in.
    page.goto(f"{live_server.url}/invite/{invitation.code}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("#id_code")).to_have_value(invitation.code)
    expect_chinese_page(page)
    screenshot(page, "resident-01-invitation")
    page.locator("main form.form button[type=submit]").click()

    # 2. Sign-up names the person the invitation is for.
    expect(page).to_have_url(f"{live_server.url}/accounts/signup/")
    expect(page.locator("main")).to_contain_text("张小梅")
    expect(page.locator("main")).to_contain_text("东坑村")
    expect_chinese_page(page)
    page.locator("#id_phone").fill(PHONE_TYPED)
    page.locator("#id_username").fill("xiaomei")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    screenshot(page, "resident-02-signup")
    page.locator("main form.form button[type=submit]").click()

    # 3. The 6-digit code from the SMS; the first button is 确认 (allauth's own translation).
    expect(page).to_have_url(f"{live_server.url}/accounts/phone/verify/")
    assert sms_outbox[-1].phone == "+8613912345678"
    code = last_sms_code(sms_outbox)
    confirm = page.locator("main form.form button[type=submit]").first
    expect(confirm).to_have_text("确认")
    expect(page.locator("main")).to_contain_text("139 1234 5678")
    expect_chinese_page(page)
    page.locator("#id_code").fill(code)
    screenshot(page, "resident-03-verify")
    confirm.click()

    # 4. Logged in, on the village's dashboard, in Chinese.
    expect(page).to_have_url(dashboard_url)
    expect_dashboard(page)
    screenshot(page, "resident-04-dashboard-phone")
    person.refresh_from_db()
    assert person.user is not None
    assert person.user.username == "xiaomei"
    assert (person.user.phone, person.user.phone_verified) == ("+8613912345678", True)

    # The same session at desktop width (before logging out ends it).
    desktop_page.context.add_cookies(
        [
            {"name": cookie["name"], "value": cookie["value"], "url": live_server.url}
            for cookie in page.context.cookies()
        ]
    )
    desktop_page.goto(dashboard_url)
    expect_dashboard(desktop_page)
    screenshot(desktop_page, "resident-05-dashboard-desktop")

    # 5. Log out, then log in again with the phone number.
    page.locator("nav.main-nav form[action='/accounts/logout/'] button[type=submit]").click()
    expect(page.locator("nav.main-nav a[href='/accounts/login/']")).to_be_visible()
    page.goto(dashboard_url)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.locator("[name=login]").fill("13912345678")
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("main form.form button[type=submit]").click()
    expect(page).to_have_url(dashboard_url)
    expect_dashboard(page)
    screenshot(page, "resident-06-dashboard-after-login")


def expect_dashboard(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("main h1")).to_have_text("东坑村")
    # The role's label is "resident (村民)" before translation, "村民" after.
    roles = page.locator("section[aria-labelledby=roles-heading]")
    expect(roles.locator("li")).to_contain_text(["村民"])
    # Our catalogue: the headings and the figures' labels.
    expect(page.locator("#roles-heading")).to_have_text(CHINESE_ONLY)
    expect(page.locator("#figures-heading")).to_have_text(CHINESE_ONLY)
    for label in page.locator(".stat-label").all():
        expect(label).to_have_text(CHINESE_ONLY)
    # allauth's "signed in as xiaomei" message names the account.
    expect_chinese_page(page, allow=frozenset({"xiaomei"}))
