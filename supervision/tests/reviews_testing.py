"""Builders for the supervision tests: a seated committee with accounts, the resolution that
elected it, reviews of every kind, evidence and sign-offs, made directly with the models so that
tests of one area do not depend on the services of another."""

import hashlib
import itertools
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from consultations.models import Resolution, SessionState
from consultations.tests.attendance_testing import make_session
from consultations.tests.minutes_testing import make_closed_poll, make_resolution
from supervision.models import (
    Appointment,
    Evidence,
    FindingResponse,
    Review,
    ReviewState,
    SignOff,
    SignOffDecision,
)
from supervision.selectors.reviews import REVIEW_KINDS, subject_content_type
from villagegov.models import Body, CouncilSeat, Person, SeatPosition, User, Village
from villagegov.testing import council_of, make_person

_numbers = itertools.count(1)
SEATED_SINCE = date(2020, 1, 1)
PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def electing_resolution(
    village: Village, *, body: Body = Body.REPRESENTATIVES_MEETING, published: bool = True
) -> Resolution:
    """A resolution of the village's 村民代表会议 (or `body`) from a closed, passed vote,
    published unless asked otherwise."""
    session = make_session(council_of(village, body), state=SessionState.CLOSED)
    poll = make_closed_poll(session, question="选举村务监督委员会成员")
    return make_resolution(poll, published_by=session.created_by if published else None)


def committee(
    village: Village,
    members: int = 3,
    finance: bool = True,
    *,
    resolution: Resolution | None = None,
    since: date = SEATED_SINCE,
) -> list[Person]:
    """Seat `members` supervisors with accounts on the village's supervision committee, the
    first as chair, each with an Appointment by one electing resolution; the first has finance
    or accounting knowledge if `finance`. Returns the people, chair first."""
    council = council_of(village, Body.SUPERVISION_COMMITTEE)
    resolution = resolution or electing_resolution(village)
    recorder = resolution.session.created_by
    people = []
    for index in range(members):
        person = make_person(village, name=f"监委{next(_numbers)}", with_account=True)
        seat = CouncilSeat.objects.create(
            council=council,
            person=person,
            position=SeatPosition.CHAIR if index == 0 else SeatPosition.MEMBER,
            starts_on=since,
        )
        Appointment.objects.create(
            seat=seat,
            resolution=resolution,
            finance_knowledge=finance and index == 0,
            recorded_by=recorder,
            recorded_at=timezone.now(),
        )
        people.append(person)
    return people


# Each kind's own required fields, for make_review.
_KIND_FIELDS: dict[str, dict[str, Any]] = {
    "voucher": {"voucher_number": "记-2024-015", "payee": "东坑建材店"},
    "project": {"project_name": "村道硬化", "stage": "bidding"},
    "disclosure_check": {"period_start": date(2024, 1, 1), "period_end": date(2024, 3, 31)},
    "meeting": {},
    "policy": {"policy_name": "耕地地力保护补贴", "beneficiaries": 120},
    "distribution": {"plan_year": 2024},
    "complaint": {"complaint": "村道工程质量差", "received_on": date(2024, 5, 1)},
}


def make_review(
    village: Village,
    kind: str = "voucher",
    by: Person | User | None = None,
    *,
    title: str = "审核2024年第一季度凭证",
    state: ReviewState = ReviewState.OPEN,
    subject: Any = None,
    **fields: Any,
) -> Review:
    """A review of `kind` (a key of REVIEW_KINDS) in `village`, opened by `by` (a supervisor's
    Person or a User; a new person with an account if None), about `subject` if given. A meeting
    review gets a session of the village's representatives' meeting unless `session=` is given."""
    if by is None:
        by = make_person(village, with_account=True)
    user = by.user if isinstance(by, Person) else by
    assert user is not None, "the opener needs an account"
    values = dict(_KIND_FIELDS[kind])
    if kind == "meeting" and "session" not in fields:
        values["session"] = make_session(council_of(village, Body.REPRESENTATIVES_MEETING))
    values.update(fields)
    now = timezone.now()
    if subject is not None:
        values["subject_type"] = subject_content_type(subject)
        values["subject_id"] = subject.pk
    return REVIEW_KINDS[kind].objects.create(
        village=village,
        title=title,
        state=state,
        opened_by=user,
        opened_at=now,
        concluded_at=now if state == ReviewState.CONCLUDED else None,
        **values,
    )


def make_evidence(
    review: Review,
    *,
    by: User | None = None,
    content: bytes = PDF_BYTES,
    name: str = "凭证.pdf",
    content_type: str = "application/pdf",
    response: FindingResponse | None = None,
) -> Evidence:
    """A file stored under MEDIA_ROOT and attached to `review` (and to `response` if given)."""
    stored = default_storage.save(f"supervision/test/{next(_numbers)}.bin", ContentFile(content))
    return Evidence.objects.create(
        review=review,
        response=response,
        file=stored,
        original_name=name,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=by or review.opened_by,
        uploaded_at=timezone.now(),
    )


def sign_off(
    review: Review, member: Person, *, decision: SignOffDecision = SignOffDecision.SIGN, reason: str = ""
) -> SignOff:
    """A member's signature (or dissent) recorded with the model, without concluding anything."""
    return SignOff.objects.create(
        review=review,
        member=member,
        decision=decision,
        reason=reason or ("理由" if decision == SignOffDecision.DISSENT else ""),
        signed_at=timezone.now(),
    )
