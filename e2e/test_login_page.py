"""The login page on a phone: in Chinese, with the way in for the invited, and a clear refusal."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from e2e.conftest import CHINESE_ONLY, expect_chinese_page, screenshot
from villagegov.testing import make_person, make_village

PASSWORD = "village-pass-123"  # make_person's


def test_login_page_on_a_phone_says_login_and_offers_the_invitation(
    live_server: LiveServer, phone_page: Page
) -> None:
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("main h1")).to_have_text("登录")
    expect(page.locator("main form.form button[type=submit]")).to_have_text("登录")
    # Our catalogue: the login field's label and the invitation link.
    expect(page.locator("label[for=id_login]")).to_have_text(CHINESE_ONLY)
    invitation_link = page.locator("main a[href='/invite/']")
    expect(invitation_link).to_be_visible()
    expect(invitation_link).to_have_text(CHINESE_ONLY)
    expect_chinese_page(page)
    screenshot(page, "login-01-phone")

    invitation_link.click()
    expect(page).to_have_url(f"{live_server.url}/invite/")
    expect(page.locator("#id_code")).to_be_visible()


@pytest.mark.parametrize("login", ["13912345678", "xiaomei"], ids=["phone", "username"])
def test_wrong_password_is_refused_in_chinese(live_server: LiveServer, phone_page: Page, login: str) -> None:
    village = make_village(name="东坑村")
    person = make_person(village, name="张小梅", with_account=True)
    assert person.user is not None
    person.user.username = "xiaomei"
    person.user.phone = "+8613912345678"
    person.user.phone_verified = True
    person.user.save(update_fields=["username", "phone", "phone_verified"])
    page = phone_page

    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("[name=login]").fill(login)
    page.locator("[name=password]").fill(PASSWORD + "-wrong")
    page.locator("main form.form button[type=submit]").click()

    # allauth's own message: 您输入的电话号码和/或密码不正确 / 您提供的用户名或密码不正确.
    error = page.locator("main form.form .errorlist")
    expect(error).to_contain_text("密码不正确")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.locator("[name=login]")).to_have_value(login)
    expect(page.locator("nav.main-nav a[href='/accounts/login/']")).to_be_visible()
    expect_chinese_page(page, allow=frozenset({login}))
    screenshot(page, f"login-02-wrong-password-{login}")

    # Not logged in: the village's pages still send the visitor to log in.
    page.goto(f"{live_server.url}/v/{village.admin_code}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/v/{village.admin_code}/")
