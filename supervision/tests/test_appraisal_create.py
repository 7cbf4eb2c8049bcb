"""Opening the year's democratic appraisal: a supervisor in office, at a session of this
village's 村民会议 or 村民代表会议 under way or held, once per village and year."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.models import SessionState
from consultations.tests.attendance_testing import make_session
from supervision.models import Appraisal
from supervision.services.appraisal import appraisal_create
from supervision.tests.appraisal_testing import held_session
from supervision.tests.disclosure_testing import supervisor, user_of
from villagegov.models import AuditRecord, Body, Person, Village
from villagegov.testing import client_for, council_of

pytestmark = pytest.mark.usefixtures("english")


def _url(village: Village) -> str:
    return reverse("appraisal_create", args=[village.admin_code])


def test_a_supervisor_opens_this_years_appraisal(village: Village) -> None:
    session = held_session(village)
    appraisal = appraisal_create(
        actor=user_of(supervisor(village)), village=village, year=timezone.localdate().year, session=session
    )
    assert appraisal.session == session and appraisal.closed_at is None
    assert AuditRecord.objects.filter(action="appraisal.create").count() == 1


def test_an_assembly_session_in_progress_will_do(village: Village) -> None:
    session = make_session(council_of(village, Body.VILLAGERS_ASSEMBLY), state=SessionState.OPEN)
    appraisal_create(
        actor=user_of(supervisor(village)), village=village, year=timezone.localdate().year, session=session
    )
    assert Appraisal.objects.count() == 1


def test_refused_twice_a_year(village: Village) -> None:
    actor = user_of(supervisor(village))
    year = timezone.localdate().year
    appraisal_create(actor=actor, village=village, year=year, session=held_session(village))
    with pytest.raises(ValidationError, match="held once a year"):
        appraisal_create(actor=actor, village=village, year=year, session=held_session(village))
    assert Appraisal.objects.count() == 1


def test_refused_at_another_bodys_session(village: Village) -> None:
    session = make_session(council_of(village, Body.VILLAGE_COMMITTEE), state=SessionState.CLOSED)
    with pytest.raises(ValidationError, match="villagers' assembly"):
        appraisal_create(
            actor=user_of(supervisor(village)),
            village=village,
            year=timezone.localdate().year,
            session=session,
        )
    assert not Appraisal.objects.exists() and not AuditRecord.objects.exists()


def test_refused_at_another_villages_or_a_future_session(village: Village, other_village: Village) -> None:
    actor = user_of(supervisor(village))
    year = timezone.localdate().year
    with pytest.raises(ValidationError, match="not one of this village's"):
        appraisal_create(actor=actor, village=village, year=year, session=held_session(other_village))
    announced = make_session(council_of(village, Body.REPRESENTATIVES_MEETING))
    with pytest.raises(ValidationError, match="has not started yet"):
        appraisal_create(actor=actor, village=village, year=year, session=announced)
    assert not Appraisal.objects.exists()


def test_refused_a_year_other_than_the_sessions_or_the_one_before(village: Village) -> None:
    actor = user_of(supervisor(village))
    session = held_session(village)
    year = timezone.localdate().year
    for wrong in (year + 1, year - 2):
        with pytest.raises(ValidationError, match="is of the year"):
            appraisal_create(actor=actor, village=village, year=wrong, session=session)
    appraisal_create(actor=actor, village=village, year=year - 1, session=session)


def test_refused_to_a_non_supervisor(village: Village, official: Person) -> None:
    assert official.user is not None
    with pytest.raises(ValidationError, match="Only members of the supervision committee"):
        appraisal_create(
            actor=official.user,
            village=village,
            year=timezone.localdate().year,
            session=held_session(village),
        )
    assert not Appraisal.objects.exists()


def test_get_shows_the_form_with_the_villages_sessions(village: Village, other_village: Village) -> None:
    held_session(village)
    foreign = held_session(other_village)
    response = client_for(supervisor(village)).get(_url(village))
    assert response.status_code == 200
    choices = [value for value, _label in response.context["form"].fields["session"].choices if value]
    assert len(choices) == 1 and foreign.pk not in [int(str(value)) for value in choices]
    assert response.context["form"]["year"].value() == timezone.localdate().year


def test_post_opens_it_and_redirects(village: Village) -> None:
    session = held_session(village)
    response = client_for(supervisor(village)).post(
        _url(village), {"year": timezone.localdate().year, "session": session.pk}
    )
    appraisal = Appraisal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("appraisal_detail", args=[village.admin_code, appraisal.pk])


def test_invalid_or_refused_post_is_400_and_changes_nothing(village: Village, other_village: Village) -> None:
    client = client_for(supervisor(village))
    year = timezone.localdate().year
    assert client.post(_url(village), {"year": "abc"}).status_code == 400
    foreign = held_session(other_village)
    assert client.post(_url(village), {"year": year, "session": foreign.pk}).status_code == 400
    session = held_session(village)
    response = client.post(_url(village), {"year": year + 5, "session": session.pk})
    assert response.status_code == 400 and "is of the year" in response.content.decode()
    assert not Appraisal.objects.exists() and not AuditRecord.objects.exists()


def test_who_may_open(
    village: Village, official_client: Client, resident_client: Client, outsider_client: Client
) -> None:
    assert official_client.get(_url(village)).status_code == 403
    assert resident_client.post(_url(village), {}).status_code == 403
    assert outsider_client.get(_url(village)).status_code == 404
    anonymous = Client().get(_url(village))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
