"""A representative scans the session's QR code on a phone, checks in, and the session page counts
them toward the quorum, in Chinese."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from consultations.models import Attendance, CheckInMethod, Session
from consultations.services.sessions import session_announce, session_create
from e2e.conftest import expect_chinese_page, screenshot
from villagegov.models import Body, Role, SeatPosition
from villagegov.services.councils import council_create, council_seat_add
from villagegov.testing import make_person, make_village

PASSWORD = "village-pass-123"  # make_person's


def test_a_representative_checks_in_by_the_qr_code(live_server: LiveServer, phone_page: Page) -> None:
    village = make_village(name="东坑村")
    official = make_person(village, name="陈主任", roles=(Role.COMMITTEE_MEMBER,), with_account=True).user
    assert official is not None
    meeting = council_create(
        actor=official, village=village, body=Body.REPRESENTATIVES_MEETING, name="村民代表会议"
    )
    representatives = [
        make_person(village, name=name, roles=(Role.REPRESENTATIVE,), with_account=True)
        for name in ("李秀英", "黄志强", "梁美华")
    ]
    for person in representatives:
        council_seat_add(
            actor=official,
            council=meeting,
            person=person,
            position=SeatPosition.MEMBER,
            starts_on=date(2024, 1, 1),
        )
    session = session_create(
        actor=official,
        council=meeting,
        title="讨论村道硬化",
        chair=representatives[1],
        place="村委会会议室",
        starts_at=timezone.now() + timedelta(days=3),
    )
    session = session_announce(actor=official, session=session)
    # The meeting day has come: check-in opens on it.
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now())
    villager = representatives[0]
    assert villager.user is not None

    page = phone_page
    # The QR code's address; not logged in yet, so the login page comes first and leads back.
    check_in_url = live_server.url + reverse(
        "session_check_in",
        kwargs={"village_code": village.admin_code, "session_id": session.pk, "join_code": session.join_code},
    )
    page.goto(check_in_url)
    expect(page.locator("main h1")).to_have_text("登录")
    page.locator("[name=login]").fill(villager.user.username)
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("main form.form button[type=submit]").click()
    expect(page).to_have_url(check_in_url)
    expect(page.locator("main")).to_contain_text("讨论村道硬化")
    expect_chinese_page(page)
    screenshot(page, "check-in-01-qr-page")

    page.locator("main .check-in-button").click()
    session_url = live_server.url + reverse(
        "session_detail", kwargs={"village_code": village.admin_code, "session_id": session.pk}
    )
    expect(page).to_have_url(session_url)
    expect(page.locator("main .messages")).to_contain_text("签到")
    attendance = Attendance.objects.get(session=session)
    assert (attendance.person, attendance.method) == (villager, CheckInMethod.SELF)
    # One of three members present: short of two-thirds, and the page says why, with the law.
    panel = page.locator("main")
    expect(panel).to_contain_text("未达到法定人数")
    expect(panel).to_contain_text("《中华人民共和国村民委员会组织法》（2018年修正）第二十六条")
    expect_chinese_page(page)
    screenshot(page, "check-in-02-session")
