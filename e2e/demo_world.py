"""The demo village (`seed_demo`'s, at its smallest) with a meeting under way: the world the
accessibility, keyboard and screenshot tests walk through, built once per module.

The live meeting is the demo's `demo_meeting_open` (the clerk checks in most representatives) with a
motion taken up and a vote on phones open, so that a representative sees the ballot."""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import import_module

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext

from assets.models import DistributionPlan, Voucher, VoucherState
from consultations.demo import DEMO_CLOSED_TITLE, demo_meeting_open
from consultations.models import Attendance, CheckInMethod, MotionItem, Poll, PollState, Session, Topic
from consultations.selectors.agenda import ItemKind
from consultations.services.agenda import agenda_item_create, agenda_item_start
from consultations.services.attendance import attendance_check_in
from consultations.services.polls import poll_create, poll_open
from supervision.models import Review
from villagegov.management.commands.seed_demo import build_app_demos
from villagegov.models import Body, Council, Person, User, Village
from villagegov.services.demo import MIN_HOUSEHOLDS, demo_village_build
from villagegov.testing import default_rule_set

LIVE_TITLE = "村道路灯安装议事"
LIVE_QUESTION = "是否同意在村道安装太阳能路灯？"


@dataclass(frozen=True)
class DemoWorld:
    village: Village
    live_session: Session
    live_poll: Poll
    closed_session: Session
    closed_poll: Poll

    @property
    def code(self) -> str:
        return self.village.admin_code

    def user(self, username: str) -> User:
        return User.objects.get(username=username)

    def person(self, username: str) -> Person:
        return Person.objects.get(village=self.village, user__username=username)


def live_meeting(village: Village, *, open_the_vote: bool = True) -> tuple[Session, Poll]:
    """A representatives' meeting under way with a motion taken up and, unless `open_the_vote` is
    False, the demo representative (daibiao) checked in and the vote on phones open; if it is False,
    daibiao is not checked in yet and the vote waits for the chair."""
    council = Council.objects.get(village=village, body=Body.REPRESENTATIVES_MEETING)
    chair = Person.objects.get(village=village, user__username="zhuren")
    clerk = User.objects.get(username="wenshu")
    session = demo_meeting_open(council=council, chair=chair, title=LIVE_TITLE, clerk=clerk)
    representative = Person.objects.get(village=village, user__username="daibiao")
    present = Attendance.objects.filter(session=session, person=representative)
    if open_the_vote and not present.exists():
        attendance_check_in(actor=clerk, session=session, person=representative, method=CheckInMethod.CLERK)
    if not open_the_vote:
        present.delete()  # they check in themselves, by the hall's QR code
    assert chair.user is not None
    item = agenda_item_create(
        actor=chair.user,
        session=session,
        kind=ItemKind.MOTION,
        title="村道太阳能路灯安装方案",
        text="在榕树围至新村牌坊段安装太阳能路灯40盏，预算12万元，由村集体经济收益安排。",
    )
    assert isinstance(item, MotionItem)
    agenda_item_start(actor=chair.user, item=item)
    poll = poll_create(actor=chair.user, item=item, question=LIVE_QUESTION)
    if open_the_vote:
        poll = poll_open(actor=chair.user, poll=poll)
    return session, poll


def demo_world_build(*, open_the_vote: bool = True) -> DemoWorld:
    default_rule_set()  # the migration's rule sets, gone after an earlier browser test's flush
    village = demo_village_build(households=MIN_HOUSEHOLDS).village
    build_app_demos(village)
    live_session, live_poll = live_meeting(village, open_the_vote=open_the_vote)
    closed_session = Session.objects.get(council__village=village, title=DEMO_CLOSED_TITLE)
    closed_poll = Poll.objects.get(item__session=closed_session, state=PollState.CLOSED)
    return DemoWorld(village, live_session, live_poll, closed_session, closed_poll)


def database_emptied() -> None:
    """Empty the test database after a module's world, as a transactional test's flush does, so that
    the tests after it start clean. On SQLite migration 0002's triggers refuse to DELETE a posted
    voucher: they are dropped for the flush and put back at once."""
    if connection.vendor != "sqlite":
        call_command("flush", interactive=False, verbosity=0)
        return
    guards = import_module("assets.migrations.0002_chart_and_ledger_guards")
    with connection.cursor() as cursor:
        for statement in guards.DROP_SQLITE:
            cursor.execute(statement)
    try:
        call_command("flush", interactive=False, verbosity=0)
    finally:
        with connection.cursor() as cursor:
            for statement in guards.IMMUTABLE_SQLITE:
                cursor.execute(statement)


def logged_in(context: BrowserContext, base: str, user: User) -> BrowserContext:
    """The context carries the user's session cookie (logging in by the form is the login test's)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": base}])
    return context


def world_pages(world: DemoWorld) -> dict[str, tuple[str | None, str]]:
    """Every main page: name → (the user who would open it, or None for a visitor; its path)."""
    code = world.code
    village = world.village
    live, closed = world.live_session, world.closed_session
    topic = Topic.objects.filter(village=village).order_by("pk").first()
    review = Review.objects.filter(village=village).order_by("pk").first()
    voucher = Voucher.objects.filter(village=village, state=VoucherState.POSTED).order_by("pk").first()
    plan = DistributionPlan.objects.filter(village=village).order_by("pk").first()
    assert topic and review and voucher and plan, "the demo lacks a topic, a review, a voucher or a plan"
    return {
        "home": ("cunmin", reverse("home")),
        "login": (None, reverse("account_login")),
        "dashboard": ("zhuren", reverse("village_dashboard", args=[code])),
        "session-list": ("daibiao", reverse("session_list", args=[code])),
        "session-live-voter": ("daibiao", reverse("session_detail", args=[code, live.pk])),
        "session-live-chair": ("zhuren", reverse("session_detail", args=[code, live.pk])),
        "hall": ("zhuren", reverse("session_hall", args=[code, live.pk])),
        "poll-result": ("daibiao", reverse("poll_detail", args=[code, closed.pk, world.closed_poll.pk])),
        "minutes": ("daibiao", reverse("minutes_detail", args=[code, closed.pk])),
        "topic-list": ("cunmin", reverse("topic_list", args=[code])),
        "topic-detail": ("cunmin", reverse("topic_detail", args=[code, topic.pk])),
        "supervision-dashboard": ("jianwei", reverse("supervision_dashboard", args=[code])),
        "review": ("jianwei", reverse("review_detail", args=[code, review.pk])),
        "finding-list": ("jianwei", reverse("finding_list", args=[code])),
        "disclosure-board": (None, reverse("disclosure_board", args=[code])),
        "person-list": ("zhuren", reverse("person_list", args=[code])),
        "collective-dashboard": ("zhuren", reverse("collective_dashboard", args=[code])),
        "member-list": ("zhuren", reverse("member_list", args=[code])),
        "asset-list": ("baozhangyuan", reverse("asset_list", args=[code])),
        "voucher-list": ("baozhangyuan", reverse("voucher_list", args=[code])),
        "voucher": ("baozhangyuan", reverse("voucher_detail", args=[code, voucher.pk])),
        "trial-balance": ("baozhangyuan", reverse("trial_balance", args=[code])),
        "distribution": ("zhuren", reverse("distribution_detail", args=[code, plan.pk])),
        "my-shares": ("gudong", reverse("my_shares", args=[code])),
        "notifications": ("daibiao", reverse("notification_list")),
        "audit-log": ("zhuren", reverse("audit_log", args=[code])),
    }


Contexts = dict[str | None, BrowserContext]


@contextmanager
def contexts_by_user(
    browser: Browser,
    base: str,
    new_context: Callable[[Browser], BrowserContext],
    usernames: Iterable[str | None],
) -> Iterator[Contexts]:
    """One browser context per user (None: a visitor), logged in at once (the sessions are written
    before the tests' transactions, where the server's thread could not read them), closed at the end."""
    made: dict[str | None, BrowserContext] = {}
    for username in set(usernames):
        context = new_context(browser)
        if username is not None:
            logged_in(context, base, User.objects.get(username=username))
        made[username] = context
    yield made
    for context in made.values():
        context.close()
