"""Issue 2's journey of an official on a phone, in Chinese: add a villager to the roster (after one
mistyped date), issue and print their invitation, and check a meeting's quorum on a council's page.
Also: the login page works with the keyboard alone."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from e2e.conftest import ENGLISH_WORD, expect_chinese_page, screenshot
from villagegov.models import Body, Gender, Household, Person, Role, SeatPosition, User, Village
from villagegov.selectors.invitations import invitation_open_for
from villagegov.services.councils import council_create, council_seat_add
from villagegov.services.roster import group_create, household_create
from villagegov.testing import make_person, make_village

PASSWORD = "village-pass-123"  # make_person's
ORGANIC_LAW_ART_26 = "《中华人民共和国村民委员会组织法》（2018年修正）第二十六条"
REPRESENTATIVES = 5


@dataclass(frozen=True)
class OfficeVillage:
    village: Village
    official: User
    household: Household


def build_village() -> OfficeVillage:
    """东坑村 with a group, a household, a committee member with an account, and a villager
    representatives' meeting of five representatives, two of them women, that meets the law's
    composition (Art. 25); its quorum is two thirds of them (Art. 26)."""
    village = make_village(name="东坑村")
    official = make_person(village, name="陈主任", roles=(Role.COMMITTEE_MEMBER,), with_account=True).user
    assert official is not None
    group = group_create(actor=official, village=village, number=1, name="第一村民小组")
    household = household_create(
        actor=official, village=village, number="0101", group=group, address="一巷3号"
    )
    meeting = council_create(
        actor=official, village=village, body=Body.REPRESENTATIVES_MEETING, name="村民代表会议"
    )
    for number in range(REPRESENTATIVES):
        council_seat_add(
            actor=official,
            council=meeting,
            person=make_person(
                village,
                name=f"代表{number + 1}号",
                roles=(Role.REPRESENTATIVE,),
                gender=Gender.FEMALE if number < 2 else Gender.MALE,
            ),
            position=SeatPosition.MEMBER,
            starts_on=date(2024, 1, 1),
        )
    return OfficeVillage(village=village, official=official, household=household)


def log_in(page: Page, live_server: LiveServer, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("[name=login]").fill(username)
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("main form.form button[type=submit]").click()


def nav_link(page: Page, name: str) -> Locator:
    return page.locator("nav.main-nav").get_by_role("link", name=name, exact=True)


def test_official_adds_a_villager_issues_an_invitation_and_checks_a_quorum(
    live_server: LiveServer, phone_page: Page
) -> None:
    office = build_village()
    village_url = f"{live_server.url}/v/{office.village.admin_code}"
    page = phone_page
    log_in(page, live_server, office.official.username)
    expect(page).to_have_url(f"{village_url}/")

    # 1. The roster, from the navigation; the add form.
    nav_link(page, "村民名册").click()
    expect(page).to_have_url(f"{village_url}/people/")
    expect(page.locator("main h1")).to_have_text("村民名册")
    expect(page.locator("main table")).to_contain_text("陈主任")
    expect_chinese_page(page)
    screenshot(page, "official-01-roster")
    page.locator("main").get_by_role("link", name="新增村民").click()
    expect(page).to_have_url(f"{village_url}/people/new/")
    expect(page.locator("main h1")).to_have_text("在名册上新增村民")
    form = page.locator("main form.form")
    field(form, "名字").fill("张建国")
    form.get_by_label("男", exact=True).check()
    field(form, "出生日期").fill((timezone.localdate() + timedelta(days=365)).isoformat())
    field(form, "手机").fill("138 0013 8000")
    field(form, "户").select_option(label="0101 · 一巷3号 · 第一村民小组")
    expect_chinese_page(page)
    screenshot(page, "official-02-add-person")

    # 4. A birth date in the future is refused in Chinese, nothing is created, and what was
    # typed is kept.
    people_before = Person.objects.filter(village=office.village).count()
    form.get_by_role("button", name="保存").click()
    expect(form.locator(".errorlist")).to_have_text("出生日期不能是将来的日期。")
    expect(page).to_have_url(f"{village_url}/people/new/")
    assert Person.objects.filter(village=office.village).count() == people_before
    expect(field(form, "名字")).to_have_value("张建国")
    expect_chinese_page(page)
    screenshot(page, "official-03-add-person-refused")

    # 1 (cont.). Corrected, the person is added and their page says so.
    field(form, "出生日期").fill("1968-03-12")
    form.get_by_role("button", name="保存").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(village_url)}/people/\d+/$"))
    expect(page.locator("main .messages")).to_have_text("已把张建国登记到名册上。")
    expect(page.locator("main h1")).to_have_text("张建国")
    assert Person.objects.filter(village=office.village).count() == people_before + 1
    person = Person.objects.get(village=office.village, name="张建国")
    assert (person.gender, person.birth_date, person.phone, person.household_id) == (
        "M",
        date(1968, 3, 12),
        "13800138000",
        office.household.pk,
    )
    expect(page).to_have_url(f"{village_url}/people/{person.pk}/")
    expect(page.locator("main .person-data")).to_contain_text("13800138000")
    expect_chinese_page(page)
    screenshot(page, "official-04-person")

    # 2. An invitation, issued from the person's page, shown ready to print.
    page.locator("main .invitation-actions").get_by_role("button", name="发放邀请码").click()
    invitation = invitation_open_for(person)
    assert invitation is not None
    expect(page).to_have_url(f"{village_url}/invitations/{invitation.pk}/")
    expect(page.locator("main .messages")).to_contain_text("已为张建国发放邀请码")
    card = page.locator("main .invitation-card")
    expect(card.locator("h1")).to_have_text("张建国的邀请码")
    code = card.locator(".invitation-code")
    expect(code).to_have_attribute("aria-label", invitation.code)
    expect(code).to_have_text(f"{invitation.code[:4]} {invitation.code[4:]}")
    # Inline SVG, not a picture fetched from elsewhere.
    expect(card.locator(".qr > svg")).to_be_visible()
    expect(card.locator(".qr img")).to_have_count(0)
    # The code and the address to type are Latin on purpose.
    latin = ENGLISH_WORD.findall(f"{invitation.code[:4]} {invitation.code[4:]} {live_server.url}/invite/")
    expect_chinese_page(page, allow=frozenset(latin))
    screenshot(page, "official-05-invitation")

    # 3. The councils: the village committee has no quorum in law; the representatives' meeting has.
    nav_link(page, "议事机构").click()
    expect(page).to_have_url(f"{village_url}/councils/")
    expect_chinese_page(page)
    screenshot(page, "official-06-councils")
    council_card(page, "村民委员会").click()
    expect(page.locator("main h1")).to_have_text("村民委员会")
    expect(page.locator("section[aria-labelledby=members-heading] table")).to_contain_text("陈主任")
    expect(page.locator("#calculator-heading")).to_have_count(0)
    expect(page.locator("section[aria-labelledby=rules-heading]")).to_contain_text("第二条、第八条")
    expect_chinese_page(page)
    screenshot(page, "official-07-village-committee")

    page.locator("main").get_by_role("link", name="返回议事机构").click()
    council_card(page, "村民代表会议").click()
    expect(page.locator("main h1")).to_have_text("村民代表会议")
    expect(page.locator("section[aria-labelledby=composition-heading] .badge").first).to_have_text(
        "符合法律规定"
    )
    calculator = page.locator("section[aria-labelledby=calculator-heading]")
    expect(calculator.locator("h2")).to_have_text("法定人数和表决票数计算")
    field(calculator, "到会人数").fill("4")
    field(calculator, "赞成票数").fill("3")
    calculator.get_by_role("button", name="计算").click()
    result = calculator.locator(".card[role=status]")
    # 4 of 5 reach two thirds (at least 4); 3 of the 4 present are more than half (at least 3).
    expect(result).to_contain_text("达到法定人数")
    expect(result.locator(".badge")).to_have_text(["达到法定人数", "通过"])
    expect(result.locator("li")).to_have_count(2)
    expect(result.locator("li").first).to_contain_text("至少 4")
    expect(result.locator("li").first).to_contain_text(ORGANIC_LAW_ART_26)
    expect(result.locator("li").last).to_contain_text("至少 3")
    expect(result.locator("li").last).to_contain_text(ORGANIC_LAW_ART_26)
    expect(field(calculator, "到会人数")).to_have_value("4")
    expect_chinese_page(page)
    screenshot(page, "official-08-quorum")


def field(form: Locator, label: str) -> Locator:
    """The control labelled `label` (Django writes a colon after it)."""
    return form.get_by_label(re.compile(rf"^{re.escape(label)}\s*[:：]?$"))


def council_card(page: Page, name: str) -> Locator:
    return page.locator("main a.card-link").filter(
        has=page.locator("strong", has_text=re.compile(rf"^{re.escape(name)}$"))
    )


def focus_by_tab(page: Page, selector: str, *, limit: int = 20) -> None:
    """Press Tab until the element matching `selector` has the focus, as a keyboard user does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} never got the focus in {limit} presses of Tab")


def test_official_logs_in_with_the_keyboard_alone(live_server: LiveServer, phone_page: Page) -> None:
    village = make_village(name="东坑村")
    official = make_person(village, name="陈主任", roles=(Role.COMMITTEE_MEMBER,), with_account=True).user
    assert official is not None
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("main h1")).to_have_text("登录")

    focus_by_tab(page, "#id_login")
    page.keyboard.type(official.username)
    focus_by_tab(page, "#id_password", limit=1)
    page.keyboard.type(PASSWORD)
    focus_by_tab(page, "main form.form button[type=submit]", limit=5)
    expect(page.locator("main form.form button[type=submit]")).to_be_focused()
    screenshot(page, "official-09-login-keyboard")
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/v/{village.admin_code}/")
    expect(page.locator("main h1")).to_have_text("东坑村")
    expect(nav_link(page, "村民名册")).to_be_visible()
