"""resolution_create: from a closed vote of the session that passed, one per vote, from the motion."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.models import Minutes, PollState, Resolution, Session, SessionState
from consultations.services.resolutions import resolution_create
from consultations.tests.attendance_testing import make_session, representatives_meeting
from consultations.tests.minutes_testing import make_closed_poll, make_motion
from villagegov.models import AuditRecord, Body, Person, User, Village
from villagegov.testing import council_of

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def session(village: Village, official: Person) -> Session:
    return make_session(representatives_meeting(village), state=SessionState.CLOSED, chair=official)


def url(session: Session, poll_id: int) -> str:
    return reverse("resolution_create", args=[session.council.village.admin_code, session.pk, poll_id])


def test_prefilled_from_the_motion_and_audited(session: Session, actor: User) -> None:
    motion = make_motion(session, title="修路", text="同意修建村道")
    poll = make_closed_poll(session, item=motion)
    resolution = resolution_create(actor=actor, session=session, poll=poll)
    assert (resolution.title, resolution.text, resolution.session) == ("修路", "同意修建村道", session)
    assert resolution.published_at is None
    assert AuditRecord.objects.filter(action="resolution.create").count() == 1


def test_title_and_text_can_be_given(session: Session, actor: User) -> None:
    poll = make_closed_poll(session)
    resolution = resolution_create(actor=actor, session=session, poll=poll, title=" 决议一 ", text="全文")
    assert (resolution.title, resolution.text) == ("决议一", "全文")


def test_failed_vote_makes_no_resolution_and_says_why(session: Session, actor: User) -> None:
    poll = make_closed_poll(session, passed=False, yes=3, no=10)
    with pytest.raises(ValidationError, match=r"did not pass.*3 in favour"):
        resolution_create(actor=actor, session=session, poll=poll)
    assert not Resolution.objects.exists() and not AuditRecord.objects.exists()


def test_open_vote_makes_no_resolution(session: Session, actor: User) -> None:
    poll = make_closed_poll(session, state=PollState.OPEN)
    with pytest.raises(ValidationError, match="Only a closed vote"):
        resolution_create(actor=actor, session=session, poll=poll)


def test_advisory_body_makes_no_resolution(village: Village, official: Person, actor: User) -> None:
    session = make_session(
        council_of(village, Body.RESIDENTS_SPEAK), state=SessionState.CLOSED, chair=official
    )
    poll = make_closed_poll(session)
    with pytest.raises(ValidationError, match="advisory body"):
        resolution_create(actor=actor, session=session, poll=poll)
    assert not Resolution.objects.exists()


def test_one_resolution_per_vote(session: Session, actor: User) -> None:
    poll = make_closed_poll(session)
    resolution_create(actor=actor, session=session, poll=poll)
    with pytest.raises(ValidationError, match="already has its resolution"):
        resolution_create(actor=actor, session=session, poll=poll)
    assert Resolution.objects.count() == 1


def test_vote_of_another_session_is_refused(
    session: Session, village: Village, official: Person, actor: User
) -> None:
    other = make_session(representatives_meeting(village), state=SessionState.CLOSED, chair=official)
    poll = make_closed_poll(other)
    with pytest.raises(ValidationError, match="another session"):
        resolution_create(actor=actor, session=session, poll=poll)


def test_too_long_title_is_refused(session: Session, actor: User) -> None:
    poll = make_closed_poll(session)
    with pytest.raises(ValidationError, match="too long"):
        resolution_create(actor=actor, session=session, poll=poll, title="长" * 201)


def test_page_post_makes_it(session: Session, official_client: Client) -> None:
    poll = make_closed_poll(session)
    response = official_client.post(url(session, poll.pk), {"title": "", "text": ""})
    assert response.status_code == 302
    assert Resolution.objects.get(poll=poll).title == poll.item.title


def test_page_refusal_is_400(session: Session, official_client: Client) -> None:
    poll = make_closed_poll(session, passed=False)
    response = official_client.post(url(session, poll.pk), {"title": "x"})
    assert response.status_code == 400
    assert "did not pass" in response.content.decode()
    assert not Resolution.objects.exists()


def test_page_invalid_form_is_400_with_the_errors_under_its_own_vote(
    session: Session, official_client: Client
) -> None:
    first = make_closed_poll(session, question="第一项表决")
    second = make_closed_poll(session, question="第二项表决")
    response = official_client.post(url(session, second.pk), {f"{second.pk}-title": "长" * 201})
    assert response.status_code == 400
    assert not Resolution.objects.exists()
    text = response.content.decode()
    own = text[text.index(f'id="resolution-{second.pk}"') :]
    own = own[: own.index("</form>")]
    other = text[text.index(f'id="resolution-{first.pk}"') :]
    other = other[: other.index("</form>")]
    assert "at most 200 characters" in own and "errorlist" not in other
    assert f'name="{second.pk}-title"' in own and f'name="{first.pk}-title"' in other


def test_page_refusal_is_shown_under_its_vote(
    session: Session, official_client: Client, village: Village, official: Person
) -> None:
    poll = make_closed_poll(session)
    Resolution.objects.create(session=session, poll=poll, title="已有", text="x")
    response = official_client.post(url(session, poll.pk), {})
    assert response.status_code == 400
    assert "already has its resolution" in response.content.decode()


def test_page_each_vote_has_its_own_form(session: Session, official_client: Client) -> None:
    polls = [make_closed_poll(session) for _ in range(3)]
    text = official_client.get(
        reverse("minutes_detail", args=[session.council.village.admin_code, session.pk])
    ).content.decode()
    for poll in polls:
        assert f'name="{poll.pk}-title"' in text and f'name="{poll.pk}-text"' in text
    assert 'name="title"' not in text


def test_refused_once_the_minutes_are_signed_saying_why(
    session: Session, actor: User, official: Person
) -> None:
    poll = make_closed_poll(session)
    Minutes.objects.create(session=session, signed_at=timezone.now(), signed_by=official)
    with pytest.raises(
        ValidationError, match=f"signed off by {official.name} on .*no resolution can be added"
    ):
        resolution_create(actor=actor, session=session, poll=poll)
    assert not Resolution.objects.exists() and not AuditRecord.objects.exists()


def test_page_offers_no_resolution_form_once_signed(
    session: Session, official_client: Client, official: Person
) -> None:
    poll = make_closed_poll(session)
    Minutes.objects.create(session=session, signed_at=timezone.now(), signed_by=official)
    text = official_client.get(
        reverse("minutes_detail", args=[session.council.village.admin_code, session.pk])
    ).content.decode()
    assert "no resolution can be added to them any more" in text
    assert f'name="{poll.pk}-title"' not in text
    response = official_client.post(url(session, poll.pk), {})
    assert response.status_code == 400 and "no resolution can be added" in response.content.decode()
    assert not Resolution.objects.exists()


def test_only_those_who_keep_minutes_may_make_one(session: Session, resident: Person) -> None:
    assert resident.user is not None
    poll = make_closed_poll(session)
    with pytest.raises(ValidationError, match="Only the village's officials keep the minutes"):
        resolution_create(actor=resident.user, session=session, poll=poll)
    assert not Resolution.objects.exists()


def test_page_get_roles_villages_ids_and_anonymous(
    session: Session,
    resident_client: Client,
    outsider_client: Client,
    other_village: Village,
    official_client: Client,
) -> None:
    poll = make_closed_poll(session)
    assert official_client.get(url(session, poll.pk)).status_code == 405
    assert resident_client.post(url(session, poll.pk)).status_code == 403
    assert outsider_client.post(url(session, poll.pk)).status_code == 404
    foreign = reverse("resolution_create", args=[other_village.admin_code, session.pk, poll.pk])
    assert outsider_client.post(foreign).status_code == 404
    assert official_client.post(url(session, 10**18 - 1)).status_code == 404
    response = Client().post(url(session, poll.pk))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not Resolution.objects.exists()
