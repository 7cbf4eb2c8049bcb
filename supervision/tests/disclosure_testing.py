"""Builders for the tests of the disclosure board and of formal questions."""

from datetime import date, datetime, timedelta

from django.db.models import Model
from django.utils import timezone

from supervision.models import DisclosureItem, DisclosureObjection, DisclosureSection, Question
from villagegov.models import Council, Person, Role, User, Village
from villagegov.testing import make_person


def supervisor(village: Village, *, name: str = "监委会成员") -> Person:
    return make_person(village, name=name, roles=(Role.SUPERVISOR,), with_account=True)


def user_of(person: Person) -> User:
    assert person.user is not None
    return person.user


def make_item(
    village: Village,
    *,
    by: User,
    section: str = DisclosureSection.MAJOR,
    title: str = "村道修建公示",
    body: str = "村道修建工程预算五十万元。",
    period: tuple[date, date] | None = None,
    published_at: datetime | None = None,
    corrects: DisclosureItem | None = None,
    source: Model | None = None,
) -> DisclosureItem:
    return DisclosureItem.objects.create(
        village=village,
        section=section,
        title=title,
        body=body,
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        corrects=corrects,
        source=source,
        published_by=by,
        published_at=published_at or timezone.now(),
    )


def make_objection(
    item: DisclosureItem, person: Person, *, text: str = "预算偏高，请说明。", answered_by: User | None = None
) -> DisclosureObjection:
    now = timezone.now()
    return DisclosureObjection.objects.create(
        item=item,
        person=person,
        text=text,
        raised_at=now,
        answer="已说明。" if answered_by else "",
        answered_by=answered_by,
        answered_at=now if answered_by else None,
    )


def make_question(
    village: Village,
    *,
    asked_by: User,
    person: Person | None = None,
    council: Council | None = None,
    text: str = "请说明村道工程的招标情况。",
    due_in_days: int = 7,
    answered: bool = False,
) -> Question:
    now = timezone.now()
    return Question.objects.create(
        village=village,
        addressed_to_person=person,
        addressed_to_council=council,
        text=text,
        due_on=timezone.localdate() + timedelta(days=due_in_days),
        asked_by=asked_by,
        asked_at=now,
        answer="招标已按规定进行。" if answered else "",
        answered_by=asked_by if answered else None,
        answered_at=now if answered else None,
    )
