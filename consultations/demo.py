"""The consultations part of the demo village, added by `seed_demo` after the core's roster.

`seed_demo` calls `demo_build(village=...)` of every installed app that has a `demo` module, so the
core never imports the apps that build on it.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from consultations.models import Session
from consultations.services.sessions import session_announce, session_create
from villagegov.models import Body, Council, SeatPosition, Village

DEMO_SESSION_TITLE = "村道硬化工程方案议事"
DEMO_NOTICE_DAYS = 12


def demo_build(*, village: Village) -> None:
    """An announced 村民代表会议 twelve days after the first load, chaired by the committee chair.
    Idempotent: a village that has sessions is left as it is."""
    if Session.objects.filter(council__village=village).exists():
        return
    council = Council.objects.get(village=village, body=Body.REPRESENTATIVES_MEETING)
    chair = (
        Council.objects.get(village=village, body=Body.VILLAGE_COMMITTEE)
        .seats.select_related("person__user")
        .filter(position=SeatPosition.CHAIR, starts_on__lte=timezone.localdate())
        .exclude(ends_on__lt=timezone.localdate())
        .get()
        .person
    )
    assert chair.user is not None, "the demo's committee chair has a login"
    day = timezone.localdate() + timedelta(days=DEMO_NOTICE_DAYS)
    session = session_create(
        actor=chair.user,
        council=council,
        title=DEMO_SESSION_TITLE,
        chair=chair,
        place="村委会二楼会议室",
        starts_at=timezone.make_aware(datetime.combine(day, time(19, 30))),
    )
    session_announce(actor=chair.user, session=session)
