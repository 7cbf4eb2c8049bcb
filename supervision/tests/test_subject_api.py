"""The subject API other apps ask before they post or pay: the reviews of an object and whether
one of them is concluded, one query each, without supervision knowing the object's model."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations.models import AgendaItem, MotionItem
from consultations.tests.attendance_testing import make_session
from consultations.tests.minutes_testing import make_motion
from supervision.models import Review, ReviewState
from supervision.selectors.reviews import subject_of, subject_review_concluded, subject_reviews
from supervision.services.reviews import review_create
from supervision.tests.reviews_testing import committee, make_review
from villagegov.models import Body, Village
from villagegov.testing import council_of, make_person


@pytest.mark.django_db
def test_reviews_of_a_subject_and_whether_one_is_concluded(village: Village) -> None:
    session = make_session(council_of(village, Body.REPRESENTATIVES_MEETING))
    person = make_person(village)
    assert not subject_review_concluded(session)
    open_review = make_review(village, subject=session)
    make_review(village, subject=person, state=ReviewState.CONCLUDED)  # another subject
    assert [r.pk for r in subject_reviews(session)] == [open_review.pk]
    assert not subject_review_concluded(session)
    make_review(village, kind="project", subject=session, state=ReviewState.CONCLUDED)
    assert subject_review_concluded(session)
    assert subject_reviews(session).count() == 2


@pytest.mark.django_db
def test_an_object_with_the_same_id_of_another_model_is_not_confused(village: Village) -> None:
    session = make_session(council_of(village, Body.REPRESENTATIVES_MEETING))
    person = make_person(village)
    make_review(village, subject=person, state=ReviewState.CONCLUDED)
    # Whatever the ids, a review of a person says nothing about a session.
    assert not subject_review_concluded(session)


@pytest.mark.django_db
def test_one_query_each(village: Village) -> None:
    session = make_session(council_of(village, Body.REPRESENTATIVES_MEETING))
    for kind in ("voucher", "policy", "complaint"):
        make_review(village, kind=kind, subject=session)
    with CaptureQueriesContext(connection) as queries:
        reviews = list(subject_reviews(session))
    assert len(queries) == 1 and len(reviews) == 3
    with CaptureQueriesContext(connection) as queries:
        subject_review_concluded(session)
    assert len(queries) == 1


@pytest.mark.django_db
def test_a_polymorphic_subject_is_found_from_its_base_or_its_child(village: Village) -> None:
    session = make_session(council_of(village, Body.REPRESENTATIVES_MEETING))
    motion = make_motion(session)
    base = AgendaItem.objects.non_polymorphic().get(pk=motion.pk)
    assert type(base) is AgendaItem and type(motion) is MotionItem
    member = committee(village, 3)[0]
    assert member.user is not None
    review = review_create(
        actor=member.user,
        village=village,
        kind="voucher",
        title="表决事项审核",
        fields={"voucher_number": "记-1"},
        subject=motion,
    )
    assert review.subject_type == ContentType.objects.get_for_model(AgendaItem)
    assert [r.pk for r in subject_reviews(base)] == [review.pk]
    assert [r.pk for r in subject_reviews(motion)] == [review.pk]
    Review.objects.filter(pk=review.pk).update(state=ReviewState.CONCLUDED, concluded_at=timezone.now())
    assert subject_review_concluded(base) and subject_review_concluded(motion)
    # Read back, the subject is the motion itself (polymorphic), whichever was given.
    assert subject_of(Review.objects.get(pk=review.pk)) == motion
    review_of_base = make_review(village, subject=base)
    assert review_of_base.subject_type_id == review.subject_type_id
