"""Pages at village scale (issue 6, part 3): the disclosure board, its schedule, the supervision
dashboard, the review list and the finding list are read with a number of queries that does not
grow with the village's records. The small village has one record of every kind (an item in
every section, every period covered or not, a review of every kind, a finding in every state),
so every branch of the pages runs; the large one has eight times as many of each (more than a
page of reviews and of findings, more items in a section than the board shows), and must cost
exactly the same."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.matters import Matter
from consultations.models import SessionState
from consultations.tests.attendance_testing import make_session
from consultations.tests.minutes_testing import make_closed_poll, make_resolution
from supervision.models import DisclosureItem, DisclosureSection, FindingState, ReviewState, SignOffDecision
from supervision.selectors.disclosure import BOARD_ITEMS_PER_SECTION, complete_periods
from supervision.selectors.reviews import REVIEW_KINDS
from supervision.tests.disclosure_testing import make_item, make_objection, make_question
from supervision.tests.findings_testing import make_answer, make_finding
from supervision.tests.reviews_testing import committee, make_review, sign_off
from villagegov.models import Body, Person, Role, User, Village
from villagegov.testing import client_for, council_of, make_person, make_village

SECTIONS = list(DisclosureSection)
KINDS = list(REVIEW_KINDS)
STATES = [FindingState.OPEN, FindingState.ANSWERED, FindingState.VERIFIED, "overdue"]
SMALL, LARGE = 1, 8  # records of each kind


def _user(person: Person) -> User:
    assert person.user is not None
    return person.user


def village_with_records(per_kind: int) -> tuple[Village, Person]:
    """A village with `per_kind` records of each kind on the board and in supervision; returns it
    with the chair of its supervision committee (who sees every supervision page)."""
    village = make_village()
    members = committee(village, 3)
    official = make_person(village, name="村委干部", roles=(Role.COMMITTEE_MEMBER,), with_account=True)
    publisher = _user(official)
    residents = [make_person(village, name=f"村民{n}", with_account=True) for n in range(per_kind * 2)]
    today = timezone.localdate()
    periods = complete_periods(today, monthly=False, count=2)

    # The board: items in every section, periodic ones over the last quarters (one of the two
    # left uncovered, so the schedule has something overdue), corrections and objections.
    count = per_kind * len(SECTIONS)
    for n in range(count):
        section = SECTIONS[n % len(SECTIONS)]
        period = None
        if section in (DisclosureSection.FINANCES, DisclosureSection.GENERAL):
            covered = periods[0] if n % 2 else periods[1]
            period = (covered.start, covered.end)
        item = make_item(
            village,
            by=publisher,
            section=section,
            title=f"公示{n}",
            period=period,
            published_at=timezone.now() - timedelta(hours=n),
        )
        if n % 3 == 0:
            make_item(village, by=publisher, section=section, title=f"更正{n}", period=period, corrects=item)
        make_objection(item, residents[n % len(residents)], answered_by=publisher if n % 2 else None)

    # Votes of the representatives' meeting: published resolutions, unpublished ones, and passed
    # votes on Art. 24 matters waiting to be disclosed.
    session = make_session(council_of(village, Body.REPRESENTATIVES_MEETING), state=SessionState.CLOSED)
    for n in range(per_kind):
        make_resolution(make_closed_poll(session, question=f"决议{n}"), published_by=publisher)
        make_resolution(make_closed_poll(session, question=f"未公布{n}"))
        make_closed_poll(session, matter=Matter.LAND_COMPENSATION, question=f"征地{n}")
        make_closed_poll(session, matter=Matter.COLLECTIVE_PROJECT, question=f"项目{n}")

    # Reviews of every kind, half concluded with signatures; the committee's disclosure checks
    # over the board's periods; findings in every state; questions past due.
    reviews = []
    for n in range(per_kind * len(KINDS)):
        kind = KINDS[n % len(KINDS)]
        concluded = n % 2 == 0
        fields = {}
        if kind == "disclosure_check":
            fields = {"period_start": periods[n % 2].start, "period_end": periods[n % 2].end}
        review = make_review(
            village,
            kind,
            by=members[n % len(members)],
            title=f"审核{n}",
            state=ReviewState.CONCLUDED if concluded else ReviewState.OPEN,
            **fields,
        )
        for member in members[: 2 if concluded else 1]:
            sign_off(review, member, decision=SignOffDecision.SIGN)
        reviews.append(review)
    for n in range(per_kind * len(STATES) * 2):
        state = STATES[n % len(STATES)]
        overdue = state == "overdue"
        finding = make_finding(
            reviews[n % len(reviews)],
            residents[n % len(residents)],
            deadline=today - timedelta(days=3) if overdue else today + timedelta(days=5 + n),
            description=f"问题{n}",
        )
        if state in (FindingState.ANSWERED, FindingState.VERIFIED):
            make_answer(finding)
        if state == FindingState.VERIFIED:
            finding.state = FindingState.VERIFIED
            finding.save(update_fields=["state"])
    for n in range(per_kind * 2):
        make_question(
            village, asked_by=_user(members[0]), person=official, text=f"质询{n}", due_in_days=-1 - n
        )
    return village, members[0]


PAGES = {
    "disclosure_board": False,  # name: needs the committee's login
    "disclosure_schedule": False,
    "supervision_dashboard": True,
    "review_list": True,
    "finding_list": True,
}


def queries_of(per_kind: int, page: str) -> int:
    village, chair = village_with_records(per_kind)
    client = client_for(chair) if PAGES[page] else Client()
    url = reverse(page, args=[village.admin_code])
    assert client.get(url).status_code == 200  # warm: the login session, content types, caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.django_db
def test_the_page_costs_the_same_number_of_queries_for_few_and_for_many_records(page: str) -> None:
    small = queries_of(SMALL, page)
    large = queries_of(LARGE, page)
    assert large == small, f"{page}: {small} queries with {SMALL} record of each kind, {large} with {LARGE}"


@pytest.mark.django_db
def test_the_large_village_fills_the_pages_to_their_limits() -> None:
    """The comparison above is about full pages: the lists are a page long, the board's sections
    are cut at their limit, the dashboard lists overdue findings and questions."""
    village, chair = village_with_records(LARGE)
    assert DisclosureItem.objects.filter(village=village).count() > LARGE * len(SECTIONS)
    code = [village.admin_code]
    board = Client().get(reverse("disclosure_board", args=code)).context
    assert {len(s.items) for s in board["sections"]} == {BOARD_ITEMS_PER_SECTION}
    client = client_for(chair)
    assert len(client.get(reverse("review_list", args=code)).context["rows"]) == 20
    assert len(client.get(reverse("finding_list", args=code)).context["rows"]) == 20
    dashboard = client.get(reverse("supervision_dashboard", args=code)).context
    assert dashboard["overdue_rows"] and dashboard["questions"] and dashboard["reviews"]
