"""The demo village's appraisal: this year's, at today's closed representatives' meeting, every
village-committee member rated competent or basically competent, nobody's office ended."""

import pytest
from django.utils import timezone

from consultations.demo import DEMO_CLOSED_TITLE
from consultations.demo import demo_build as consultations_demo
from supervision.demo import demo_build
from supervision.models import Appraisal, AppraisalRating, AppraisalResult
from supervision.selectors.appraisal import appraised_seats
from villagegov.models import Village
from villagegov.services.audit import audit_chain_verify
from villagegov.services.demo import demo_village_build


@pytest.fixture
def village(db: None) -> Village:
    village = demo_village_build(households=30).village
    consultations_demo(village=village)
    return village


def test_this_years_appraisal_with_every_member_rated(village: Village) -> None:
    demo_build(village=village)
    appraisal = Appraisal.objects.get(village=village)
    assert appraisal.year == timezone.localdate().year and appraisal.session.title == DEMO_CLOSED_TITLE
    outcomes = list(AppraisalResult.objects.filter(appraisal=appraisal).values_list("outcome", flat=True))
    assert len(outcomes) == len(appraised_seats(appraisal)) > 0
    assert set(outcomes) == {AppraisalRating.COMPETENT, AppraisalRating.BASICALLY_COMPETENT}
    assert all(
        seat.ends_on is None or seat.ends_on > timezone.localdate() for seat in appraised_seats(appraisal)
    )
    assert audit_chain_verify().ok
