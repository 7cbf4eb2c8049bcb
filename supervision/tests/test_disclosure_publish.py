"""Publishing on the disclosure board: periods for finances and general affairs, corrections as
new items of the same section, refusals that change nothing, and the page."""

from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.matters import Matter
from consultations.models import Poll
from consultations.tests.attendance_testing import make_session, representatives_meeting
from consultations.tests.minutes_testing import make_closed_poll, make_resolution
from supervision.models import DisclosureItem, DisclosureSection
from supervision.selectors.disclosure import due_matters
from supervision.services.disclosure import disclosure_publish
from supervision.tests.disclosure_testing import make_item, user_of
from villagegov.models import AuditRecord, Person, Role, User, Village
from villagegov.testing import client_for, make_person

pytestmark = pytest.mark.usefixtures("english")

Q1 = (date(2024, 1, 1), date(2024, 3, 31))


def test_publishes_an_item_with_its_period_and_audits_it(village: Village, actor: User) -> None:
    item = disclosure_publish(
        actor=actor,
        village=village,
        section=DisclosureSection.FINANCES,
        title=" 2024年第一季度财务公开 ",
        body="收入十万元，支出八万元。",
        period_start=Q1[0],
        period_end=Q1[1],
    )
    assert item.title == "2024年第一季度财务公开"
    assert (item.period_start, item.period_end) == Q1
    assert item.published_by == actor
    assert AuditRecord.objects.filter(action="disclosure.publish", target_id=str(item.pk)).exists()


def test_the_accountant_may_publish(village: Village) -> None:
    accountant = make_person(village, roles=(Role.ACCOUNTANT,), with_account=True)
    item = disclosure_publish(
        actor=user_of(accountant), village=village, section=DisclosureSection.MAJOR, title="t", body="b"
    )
    assert item.pk


@pytest.mark.parametrize(
    ("section", "period", "message"),
    [
        (DisclosureSection.FINANCES, (None, None), "name the period they cover"),
        (DisclosureSection.GENERAL, (None, None), "name the period they cover"),
        (DisclosureSection.MAJOR, (date(2024, 1, 1), None), "both the first and the last day"),
        (DisclosureSection.GENERAL, (date(2024, 3, 1), date(2024, 2, 1)), "ends before it starts"),
        (DisclosureSection.GENERAL, (date(2999, 1, 1), date(2999, 3, 31)), "cannot start after today"),
    ],
)
def test_refuses_a_missing_or_wrong_period(
    village: Village, actor: User, section: str, period: tuple, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        disclosure_publish(
            actor=actor,
            village=village,
            section=DisclosureSection(section),
            title="t",
            body="b",
            period_start=period[0],
            period_end=period[1],
        )
    assert not DisclosureItem.objects.exists()


def test_refuses_a_resident(village: Village, resident: Person) -> None:
    with pytest.raises(ValidationError, match="Only village officials"):
        disclosure_publish(
            actor=user_of(resident), village=village, section=DisclosureSection.MAJOR, title="t", body="b"
        )
    assert not DisclosureItem.objects.exists()


def test_refuses_an_empty_title_or_content(village: Village, actor: User) -> None:
    with pytest.raises(ValidationError, match="title"):
        disclosure_publish(actor=actor, village=village, section=DisclosureSection.MAJOR, title=" ", body="b")
    with pytest.raises(ValidationError, match="what is published"):
        disclosure_publish(
            actor=actor, village=village, section=DisclosureSection.MAJOR, title="t", body="\n"
        )


def test_a_correction_is_a_new_item_and_the_original_is_unchanged(village: Village, actor: User) -> None:
    original = make_item(village, by=actor, section=DisclosureSection.BIDS, title="招标结果")
    correction = disclosure_publish(
        actor=actor,
        village=village,
        section=DisclosureSection.BIDS,
        title="更正",
        body="中标价更正。",
        corrects=original,
    )
    assert correction.corrects == original
    original.refresh_from_db()
    assert original.title == "招标结果"
    assert DisclosureItem.objects.count() == 2


def test_a_correction_stays_in_the_section_and_the_village(
    village: Village, actor: User, other_village: Village, outsider: Person
) -> None:
    original = make_item(village, by=actor, section=DisclosureSection.BIDS)
    with pytest.raises(ValidationError, match="same section"):
        disclosure_publish(
            actor=actor,
            village=village,
            section=DisclosureSection.LEASES,
            title="t",
            body="b",
            corrects=original,
        )
    foreign = make_item(other_village, by=user_of(outsider), section=DisclosureSection.BIDS)
    with pytest.raises(ValidationError, match="not on this village's board"):
        disclosure_publish(
            actor=actor,
            village=village,
            section=DisclosureSection.BIDS,
            title="t",
            body="b",
            corrects=foreign,
        )
    assert DisclosureItem.objects.count() == 2


# --- The page ------------------------------------------------------------------------------------


def _url(village: Village) -> str:
    return reverse("disclosure_publish", args=[village.admin_code])


def _post(**changes: str) -> dict[str, str]:
    return {
        "section": DisclosureSection.GENERAL.value,
        "title": "第一季度村务公开",
        "content": "本季度村务如下。",
        "period_start": "2024-01-01",
        "period_end": "2024-03-31",
        "corrects": "",
    } | changes


def test_page_get_and_publish(village: Village, official_client: Client) -> None:
    assert official_client.get(_url(village)).status_code == 200
    response = official_client.post(_url(village), _post())
    item = DisclosureItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("disclosure_detail", args=[village.admin_code, item.pk])


def test_page_prefills_a_correction(village: Village, official_client: Client, actor: User) -> None:
    original = make_item(village, by=actor, section=DisclosureSection.BIDS, title="招标结果")
    response = official_client.get(_url(village) + f"?corrects={original.pk}")
    assert response.status_code == 200
    assert response.context["form"].initial["section"] == DisclosureSection.BIDS
    assert official_client.get(_url(village) + "?corrects=99999999999999999999999").status_code == 200


@pytest.mark.parametrize(
    "changes",
    [
        {"section": "nonsense"},
        {"title": ""},
        {"period_start": "", "period_end": ""},
        {"period_end": "2023-12-31"},
        {"period_start": "not a date"},
        {"corrects": "99999999999999999999999"},
        {"corrects": "123456"},
        {"corrects": "-1"},
        {"source": "123456"},
    ],
)
def test_page_refuses_bad_input_with_400_and_changes_nothing(
    village: Village, official_client: Client, changes: dict[str, str]
) -> None:
    before = AuditRecord.objects.count()
    response = official_client.post(_url(village), _post(**changes))
    assert response.status_code == 400
    assert not DisclosureItem.objects.exists()
    assert AuditRecord.objects.count() == before


def test_page_refuses_a_correction_of_another_villages_item(
    village: Village, official_client: Client, other_village: Village, outsider: Person
) -> None:
    foreign = make_item(other_village, by=user_of(outsider), section=DisclosureSection.GENERAL)
    response = official_client.post(_url(village), _post(corrects=str(foreign.pk)))
    assert response.status_code == 400
    assert DisclosureItem.objects.count() == 1


def test_page_permissions(village: Village, resident_client: Client, outsider_client: Client) -> None:
    assert resident_client.post(_url(village), _post()).status_code == 403
    assert outsider_client.post(_url(village), _post()).status_code == 404
    anonymous = Client().post(_url(village), _post())
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    assert not DisclosureItem.objects.exists()


def test_a_supervisor_cannot_publish(village: Village) -> None:
    supervisor = make_person(village, roles=(Role.SUPERVISOR,), with_account=True)
    assert client_for(supervisor).get(_url(village)).status_code == 403
    assert timezone.now()  # the board stays the officials' to publish on


def _land_vote(village: Village, *, passed: bool = True) -> Poll:
    session = make_session(representatives_meeting(village))
    return make_closed_poll(session, matter=Matter.LAND_COMPENSATION, passed=passed)


def test_an_item_names_the_vote_it_discloses_and_clears_it(village: Village, actor: User) -> None:
    poll = _land_vote(village)
    item = disclosure_publish(
        actor=actor,
        village=village,
        section=DisclosureSection.LAND_COMPENSATION,
        title="征地补偿分配方案公示",
        body="每亩补偿三万元。",
        source=poll,
    )
    assert item.source == poll
    assert due_matters(village) == []


def test_a_published_resolution_may_be_the_source(village: Village, actor: User) -> None:
    resolution = make_resolution(_land_vote(village), published_by=actor)
    item = disclosure_publish(
        actor=actor,
        village=village,
        section=DisclosureSection.LAND_COMPENSATION,
        title="t",
        body="b",
        source=resolution,
    )
    assert item.source == resolution
    assert due_matters(village) == []


@pytest.mark.parametrize(
    ("make_source", "section", "message"),
    [
        (lambda v, a: _land_vote(v), DisclosureSection.MAJOR, "in the section “land compensation"),
        (lambda v, a: _land_vote(v, passed=False), DisclosureSection.LAND_COMPENSATION, "Only a passed vote"),
        (
            lambda v, a: make_resolution(_land_vote(v)),
            DisclosureSection.LAND_COMPENSATION,
            "published resolution",
        ),
    ],
)
def test_refuses_a_source_that_does_not_fit(
    village: Village, actor: User, make_source: Callable[[Village, User], Model], section: str, message: str
) -> None:
    source = make_source(village, actor)
    with pytest.raises(ValidationError, match=message):
        disclosure_publish(actor=actor, village=village, section=section, title="t", body="b", source=source)  # type: ignore[arg-type]
    assert not DisclosureItem.objects.exists()


def test_refuses_another_villages_vote(village: Village, actor: User, other_village: Village) -> None:
    with pytest.raises(ValidationError, match="Only a passed vote of this village"):
        disclosure_publish(
            actor=actor,
            village=village,
            section=DisclosureSection.LAND_COMPENSATION,
            title="t",
            body="b",
            source=_land_vote(other_village),
        )


def test_a_vote_is_disclosed_once_then_corrected(village: Village, actor: User) -> None:
    poll = _land_vote(village)
    resolution = make_resolution(poll, published_by=actor)
    first = disclosure_publish(
        actor=actor,
        village=village,
        section=DisclosureSection.LAND_COMPENSATION,
        title="t",
        body="b",
        source=poll,
    )
    with pytest.raises(ValidationError, match="already disclosed in “t”"):
        disclosure_publish(
            actor=actor,
            village=village,
            section=DisclosureSection.LAND_COMPENSATION,
            title="t2",
            body="b",
            source=resolution,
        )
    correction = disclosure_publish(
        actor=actor,
        village=village,
        section=DisclosureSection.LAND_COMPENSATION,
        title="更正",
        body="b",
        corrects=first,
        source=poll,
    )
    assert correction.corrects == first


def test_page_offers_the_votes_due_and_publishes_with_the_source(
    village: Village, official_client: Client
) -> None:
    poll = _land_vote(village)
    response = official_client.get(_url(village) + f"?source={poll.pk}")
    assert response.status_code == 200
    assert response.context["form"].initial["section"] == DisclosureSection.LAND_COMPENSATION
    data = _post(
        section=DisclosureSection.LAND_COMPENSATION.value, period_start="", period_end="", source=str(poll.pk)
    )
    assert official_client.post(_url(village), data).status_code == 302
    assert DisclosureItem.objects.get().source == poll
    # Disclosed, it is no longer offered: posting it again is refused.
    assert official_client.post(_url(village), data | {"title": "again"}).status_code == 400
    assert DisclosureItem.objects.count() == 1
