"""Reads about reviews: the kinds, lists with their kind, one review with everything on its page,
and the subject API other apps ask before they post or pay."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import cast

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DataError
from django.db.models import Count, Model, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from supervision.models import (
    ComplaintFollowUp,
    DisclosureCheck,
    DistributionCheck,
    Evidence,
    MeetingAttendance,
    PolicyCheck,
    ProjectReview,
    Review,
    ReviewEntry,
    ReviewState,
    SignOff,
    SignOffDecision,
    VoucherReview,
)
from supervision.selectors.committee import (
    committee_in_office,
    committee_member_count,
    roster_name,
    signatures_needed,
)
from villagegov.formats import local_date
from villagegov.models import Person, Village

# The kinds of review, by the `?kind=` word of the pages, in the order the menu shows them.
REVIEW_KINDS: dict[str, type[Review]] = {
    "voucher": VoucherReview,
    "project": ProjectReview,
    "disclosure_check": DisclosureCheck,
    "meeting": MeetingAttendance,
    "policy": PolicyCheck,
    "distribution": DistributionCheck,
    "complaint": ComplaintFollowUp,
}
KIND_LABELS: dict[str, Promise] = {
    "voucher": gettext_lazy("Voucher (审核凭证)"),
    "project": gettext_lazy("Construction project (工程项目)"),
    "disclosure_check": gettext_lazy("Disclosure check (村务公开检查)"),
    "meeting": gettext_lazy("Meeting attended (列席会议)"),
    "policy": gettext_lazy("Farm-support policy (惠农政策)"),
    "distribution": gettext_lazy("Distribution plan (收益分配方案)"),
    "complaint": gettext_lazy("Residents' complaint (群众反映)"),
}
# Each kind's own fields, as the kind's form hands them to the service.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "voucher": ("voucher_number", "voucher_date", "amount", "payee"),
    "project": ("project_name", "stage", "budget"),
    "disclosure_check": ("period_start", "period_end"),
    "meeting": ("session",),
    "policy": ("policy_name", "beneficiaries", "amount"),
    "distribution": ("plan_year", "amount"),
    "complaint": ("complainant", "complaint", "received_on"),
}
# Sums are shown as "¥1,234.00": their labels leave out the "(¥)" of the fields' names.
MONEY_LABELS: dict[str, Promise] = {"amount": gettext_lazy("amount"), "budget": gettext_lazy("budget")}
KIND_OF_MODEL: dict[type[Review], str] = {model: kind for kind, model in REVIEW_KINDS.items()}


def subject_model(model: type[Model]) -> type[Model]:
    """The model a subject is stored and looked up as: the root of its concrete inheritance (for
    a django-polymorphic model, the base that owns `polymorphic_ctype`), so that asking with the
    base instance or the child instance of one object finds the same reviews. Children share
    their root's primary key, so the id is the same either way."""
    concrete = model._meta.concrete_model or model
    ancestors = concrete._meta.get_parent_list()  # nearest first
    return ancestors[-1] if ancestors else concrete


def subject_content_type(obj: Model) -> ContentType:
    """The content type a review of `obj` stores (`subject_model`)."""
    return ContentType.objects.get_for_model(subject_model(type(obj)))


def subject_reviews(obj: Model) -> QuerySet[Review]:
    """Every review whose subject is `obj` (one query when evaluated), newest first."""
    meta = subject_model(type(obj))._meta
    reviews = Review.objects.filter(
        subject_type__app_label=meta.app_label, subject_type__model=meta.model_name, subject_id=obj.pk
    )
    return cast("QuerySet[Review]", reviews.non_polymorphic())


def subject_review_concluded(obj: Model) -> bool:
    """Whether the committee concluded a review of `obj`: what an app asks before it posts a
    voucher or pays out (one query)."""
    return subject_reviews(obj).filter(state=ReviewState.CONCLUDED).exists()


# ---------------------------------------------------------------------------------------------
# Subjects: `<app_label>.<model>:<id>` references to an object of this village
# ---------------------------------------------------------------------------------------------

SUBJECT_REFERENCE = re.compile(r"^([a-z][a-z0-9_]{0,99})\.([a-z][a-z0-9_]{0,99}):([0-9]{1,18})$")
# How an object reaches its village, tried in this order; a model with none of them cannot be a
# subject. Supervision never names the subjects' models (it must not import assets).
VILLAGE_PATHS = ("village", "council__village", "session__council__village")


def _has_path(model: type[Model], path: str) -> bool:
    meta = model._meta
    parts = path.split("__")
    for index, name in enumerate(parts):
        try:
            field = meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if not getattr(field, "many_to_one", False) and not getattr(field, "one_to_one", False):
            return False
        related = field.related_model
        if related is None or isinstance(related, str):
            return False
        if index == len(parts) - 1:
            return related is Village
        meta = related._meta
    return False


def subject_reference(obj: Model) -> str:
    """The `?subject=` text naming `obj`."""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}:{obj.pk}"


def subject_from_reference(village: Village, reference: str) -> Model:
    """The object of `village` that `reference` names; ValidationError, the same for every way
    it can fail, if the model does not exist, has no path to a village, or the object is not
    found in this village."""
    refused = ValidationError(_("The subject of the review was not found in this village."))
    match = SUBJECT_REFERENCE.match(reference.strip())
    if match is None:
        raise refused
    app_label, model_name, pk = match.groups()
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise refused from None
    path = next((path for path in VILLAGE_PATHS if _has_path(model, path)), None)
    if path is None:
        raise refused
    try:
        found = model._default_manager.filter(pk=int(pk), **{path: village}).first()
    except (ValueError, TypeError, ValidationError, DataError):
        raise refused from None
    if found is None:
        raise refused
    return cast(Model, found)


def subject_of(review: Review) -> Model | None:
    """The review's subject, or None if it has none (or it is gone)."""
    if review.subject_type_id is None or review.subject_id is None:
        return None
    model = review.subject_type.model_class() if review.subject_type else None
    if model is None:
        return None
    return cast(Model | None, model._default_manager.filter(pk=review.subject_id).first())


# ---------------------------------------------------------------------------------------------
# Lists and pages
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    review: Review
    kind: str

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, ""))


def _content_types() -> dict[int, str]:
    """The kind of each review model's content type (cached by Django after the first call)."""
    return {ContentType.objects.get_for_model(model).pk: kind for kind, model in REVIEW_KINDS.items()}


def kind_of(review: Review) -> str:
    return _content_types().get(review.polymorphic_ctype_id or 0, "")


def village_reviews(
    village: Village, *, kind: str | None = None, state: str | None = None
) -> QuerySet[Review]:
    """The village's reviews as base rows (one query per page, whatever their kinds), newest
    first, with the count of signatures."""
    reviews = Review.objects.filter(village=village)
    if kind in REVIEW_KINDS:
        reviews = reviews.filter(polymorphic_ctype=ContentType.objects.get_for_model(REVIEW_KINDS[kind]))
    if state in ReviewState.values:
        reviews = reviews.filter(state=state)
    counted = reviews.annotate(
        signs=Count("sign_offs", filter=Q(sign_offs__decision=SignOffDecision.SIGN))
    ).order_by("-opened_at", "-pk")
    return cast("QuerySet[Review]", counted.non_polymorphic())


def review_rows(reviews: Iterable[Review]) -> list[ReviewRow]:
    kinds = _content_types()
    return [
        ReviewRow(review=review, kind=kinds.get(review.polymorphic_ctype_id or 0, "")) for review in reviews
    ]


def village_review(village: Village, review_id: int) -> Review | None:
    """One review of the village as its own kind (with that kind's fields)."""
    base = cast(
        "QuerySet[Review]", Review.objects.filter(village=village, pk=review_id).non_polymorphic()
    ).first()
    if base is None:
        return None
    kind = kind_of(base)
    model = REVIEW_KINDS.get(kind)
    if model is None:
        return base
    related = {"meeting": ["session__council"], "complaint": ["complainant"]}.get(kind, [])
    return model.objects.select_related("village", "opened_by", *related).get(pk=base.pk)


def review_entries(review: Review) -> QuerySet[ReviewEntry]:
    return (
        ReviewEntry.objects.filter(review=review)
        .select_related("corrects")
        .annotate(writer_name=roster_name(review.village_id, "written_by"))
        .order_by("written_at", "pk")
    )


def review_evidence(review: Review) -> QuerySet[Evidence]:
    return Evidence.objects.filter(review=review).select_related("uploaded_by").order_by("uploaded_at", "pk")


@dataclass(frozen=True)
class SignOffLine:
    person: Person
    is_chair: bool
    sign_off: SignOff | None


@dataclass(frozen=True)
class SignOffPanel:
    lines: list[SignOffLine]
    others: list[SignOff]  # by people no longer in office
    members: int
    signs: int
    needed: int

    @property
    def dissents(self) -> int:
        return sum(
            1 for line in self.lines if line.sign_off and line.sign_off.decision == SignOffDecision.DISSENT
        )


def sign_off_panel(review: Review, *, on: date) -> SignOffPanel:
    """Each member in office on `on` with their decision, the signatures counted and the number
    needed (`signatures_needed` of `committee_member_count`, as the service counts them)."""
    members = committee_in_office(review.village, on=on)
    sign_offs = {s.member_id: s for s in SignOff.objects.filter(review=review).select_related("member")}
    lines = []
    seen: set[int] = set()
    for member in members:
        if member.person.pk in seen:
            continue
        seen.add(member.person.pk)
        lines.append(
            SignOffLine(
                person=member.person, is_chair=member.is_chair, sign_off=sign_offs.get(member.person.pk)
            )
        )
    others = [s for person_id, s in sign_offs.items() if person_id not in seen]
    signs = sum(1 for line in lines if line.sign_off and line.sign_off.decision == SignOffDecision.SIGN)
    members_in_office = committee_member_count(review.village, on=on)
    return SignOffPanel(
        lines=lines,
        others=others,
        members=members_in_office,
        signs=signs,
        needed=signatures_needed(members_in_office),
    )


def kind_details(review: Review, kind: str) -> list[tuple[str, str]]:
    """The kind's own fields as (label, value) in the active language, for the review's page; a
    meeting's session is linked by the template itself."""
    details = []
    for name in KIND_FIELDS.get(kind, ()):
        if name == "session":
            continue
        field = review._meta.get_field(name)
        value = getattr(review, name, None)
        if value is None or value == "":
            shown = "—"
        elif getattr(field, "choices", None):
            shown = str(getattr(review, f"get_{name}_display")())
        elif isinstance(value, date):
            shown = local_date(value)
        elif isinstance(value, Decimal):
            shown = f"¥{value:,.2f}"
        elif isinstance(value, Person):
            shown = value.name
        else:
            shown = str(value)
        label = MONEY_LABELS[name] if name in MONEY_LABELS else getattr(field, "verbose_name", None)
        details.append((str(label or name), shown))
    return details
