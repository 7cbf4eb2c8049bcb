"""The committee's reviews (监督审核): the list, opening one of each kind about a subject of the
village, its page with notes, evidence and sign-off, and serving evidence to those allowed."""

import logging
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from consultations.models import Session
from consultations.uploads import MEGABYTE, stored_file_response, upload_limited, upload_stopped
from supervision.forms.reviews import REVIEW_FORMS, EntryForm, EvidenceForm, ReviewForm, SignForm
from supervision.models import Evidence, Review, ReviewState, SignOff
from supervision.selectors.committee import committee_member_of
from supervision.selectors.reviews import (
    KIND_LABELS,
    REVIEW_KINDS,
    kind_details,
    kind_of,
    review_entries,
    review_evidence,
    review_rows,
    sign_off_panel,
    subject_from_reference,
    subject_of,
    village_review,
    village_reviews,
)
from supervision.services import reviews as services
from supervision.services.reviews import EVIDENCE_TYPES
from villagegov.models import Person, Village
from villagegov.permissions import Action, person_in
from villagegov.views.base import acting_user, roles_allow, village_view

logger = logging.getLogger("villagegov.supervision")

PAGE_SIZE = 20


def _review(village: Village, review_id: int) -> Review:
    review = village_review(village, review_id)
    if review is None:
        raise Http404
    return review


@village_view(Action.VIEW_REVIEWS)
@require_safe
def review_list(request: HttpRequest, village: Village) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in REVIEW_KINDS else ""
    state = request.GET.get("state", "")
    state = state if state in ReviewState.values else ""
    pages = Paginator(village_reviews(village, kind=kind or None, state=state or None), PAGE_SIZE)
    page = pages.get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": review_rows(page.object_list),
        "kind": kind,
        "state": state,
        "kinds": [(key, label) for key, label in KIND_LABELS.items()],
        "states": ReviewState.choices,
        "can_run": roles_allow(request, Action.RUN_REVIEWS),
    }
    return render(request, "supervision/review_list.html", context)


def _subject_text(request: HttpRequest) -> str:
    text = request.POST.get("subject") if request.method == "POST" else request.GET.get("subject")
    return (text or "")[:250]


def _subject_initial(subject: Model | None, kind: str) -> dict[str, Any]:
    """What the subject says of itself for a review of this kind (its `review_initial(kind)`: the
    voucher's number, date and amount, say), so the committee does not type it again. Supervision
    never imports the subjects' apps: it only asks."""
    describe = getattr(subject, "review_initial", None)
    return dict(describe(kind)) if callable(describe) else {}


@village_view(Action.RUN_REVIEWS)
def review_create(request: HttpRequest, village: Village) -> HttpResponse:
    kind = request.GET.get("kind", "")
    subject_text = _subject_text(request)
    subject: Model | None = None
    subject_error = ""
    if subject_text:
        try:
            subject = subject_from_reference(village, subject_text)
        except ValidationError as error:
            subject_error = " ".join(error.messages)
    form_class = REVIEW_FORMS.get(kind)
    context: dict[str, Any] = {
        "kinds": [(key, label) for key, label in KIND_LABELS.items()],
        "subject": subject,
        "subject_text": subject_text if subject is not None else "",
        "subject_error": subject_error,
    }
    if form_class is None:
        # Choose the kind first; a POST without one is a bad request.
        context["kind_error"] = bool(kind) or request.method == "POST"
        status = 400 if context["kind_error"] or subject_error else 200
        return render(request, "supervision/review_kind.html", context, status=status)
    form: ReviewForm = form_class(
        request.POST or None,
        initial=_subject_initial(subject, kind) | {"subject": subject_text if subject is not None else ""},
        sessions=Session.objects.filter(council__village=village)
        .select_related("council")
        .order_by("-starts_at", "-pk"),
        candidates=Person.objects.filter(village=village).order_by("name", "pk"),
    )
    if request.method == "POST" and form.is_valid() and not subject_error:
        try:
            review = services.review_create(
                actor=acting_user(request),
                village=village,
                kind=kind,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                fields=form.kind_fields(),
                subject=subject,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The review is opened. Add notes and evidence, then sign it."))
            return redirect("review_detail", village.admin_code, review.pk)
    context |= {"form": form, "kind": kind, "kind_label": KIND_LABELS[kind]}
    if kind == "complaint":
        context["person_options"] = [
            form.option_value(person)  # type: ignore[attr-defined]
            for person in Person.objects.filter(village=village, left_on__isnull=True)
            .only("pk", "name")
            .order_by("name", "pk")
        ]
    bad = form.is_bound or bool(subject_error)
    return render(request, "supervision/review_form.html", context, status=400 if bad else 200)


def _subject_display(subject: Model | None) -> tuple[str, str]:
    """The subject's name and link (if it has a page)."""
    if subject is None:
        return "", ""
    try:
        url = subject.get_absolute_url() if hasattr(subject, "get_absolute_url") else ""
    except Exception:  # a model's own url method may need more than we know
        logger.warning("The subject %r has no usable page address.", subject)
        url = ""
    return str(subject), str(url or "")


def _render_detail(
    request: HttpRequest,
    village: Village,
    review: Review,
    *,
    entry_form: EntryForm | None = None,
    evidence_form: EvidenceForm | None = None,
    sign_form: SignForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    entries = review_entries(review)
    today = timezone.localdate()
    can_run = roles_allow(request, Action.RUN_REVIEWS)
    member = committee_member_of(acting_user(request), village, on=today) if can_run else None
    panel = sign_off_panel(review, on=today)
    signed = member is not None and SignOff.objects.filter(review=review, member=member).exists()
    can_sign = member is not None and not signed and review.state == ReviewState.OPEN
    errors = list(errors or [])
    # A refused form the page does not show any more (signed already, left office): its errors on top.
    for form, shown in (
        (entry_form, member is not None),
        (evidence_form, member is not None),
        (sign_form, can_sign),
    ):
        if form is not None and not shown:
            errors.extend(str(message) for messages_ in form.errors.values() for message in messages_)
    subject_name, subject_url = _subject_display(subject_of(review))
    kind = kind_of(review)
    context = {
        "review": review,
        "kind": kind,
        "kind_label": KIND_LABELS.get(kind, ""),
        "details": kind_details(review, kind),
        "subject_name": subject_name,
        "subject_url": subject_url,
        "entries": list(entries),
        "evidence": list(review_evidence(review)),
        "panel": panel,
        "can_write": member is not None,
        "can_sign": can_sign,
        "entry_form": entry_form or EntryForm(entries=entries),
        "evidence_form": evidence_form or EvidenceForm(),
        "sign_form": sign_form or SignForm(),
        "errors": errors,
        "can_run": can_run,
    }
    return render(request, "supervision/review_detail.html", context, status=status)


@village_view(Action.VIEW_REVIEWS)
@require_safe
def review_detail(request: HttpRequest, village: Village, review_id: int) -> HttpResponse:
    return _render_detail(request, village, _review(village, review_id))


@village_view(Action.RUN_REVIEWS)
@require_POST
def review_entry_add(request: HttpRequest, village: Village, review_id: int) -> HttpResponse:
    review = _review(village, review_id)
    form = EntryForm(request.POST, entries=review_entries(review))
    if form.is_valid():
        try:
            services.review_entry_add(
                actor=acting_user(request),
                review=review,
                text=form.cleaned_data["text"],
                corrects=form.cleaned_data["corrects"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The note is added."))
            return redirect("review_detail", village.admin_code, review.pk)
    return _render_detail(request, village, review, entry_form=form, status=400)


def evidence_upload_limit_message() -> str:
    return _("The files are too big together: at most %(size)d MB in all. Send fewer or smaller files.") % {
        "size": services.EVIDENCE_MAX_FILES * services.EVIDENCE_MAX_BYTES // MEGABYTE
    }


@upload_limited(lambda: services.EVIDENCE_UPLOAD_MAX_BYTES)
@village_view(Action.RUN_REVIEWS)
@require_POST
def evidence_upload(request: HttpRequest, village: Village, review_id: int) -> HttpResponse:
    review = _review(village, review_id)
    if upload_stopped(request):
        # The body was cut short: nothing in it is used.
        return _render_detail(request, village, review, errors=[evidence_upload_limit_message()], status=400)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = services.evidence_add(
                actor=acting_user(request), review=review, uploads=form.cleaned_data["evidence_files"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d file is attached as evidence.",
                    "%(count)d files are attached as evidence.",
                    len(added),
                )
                % {"count": len(added)},
            )
            return redirect("review_detail", village.admin_code, review.pk)
    return _render_detail(request, village, review, evidence_form=form, status=400)


@village_view(Action.RUN_REVIEWS)
@require_POST
def review_sign(request: HttpRequest, village: Village, review_id: int) -> HttpResponse:
    review = _review(village, review_id)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            services.review_sign(
                actor=acting_user(request),
                review=review,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            review.refresh_from_db(fields=["state"])
            if review.state == ReviewState.CONCLUDED:
                messages.success(
                    request, _("Recorded. A majority of the committee has signed: the review is concluded.")
                )
            else:
                messages.success(request, _("Your decision is recorded."))
            return redirect("review_detail", village.admin_code, review.pk)
    return _render_detail(request, village, review, sign_form=form, status=400)


# Not `village_view(Action.VIEW_REVIEWS)`: the responsible person of a finding may also read the
# evidence attached to their own answer. Anyone else without VIEW_REVIEWS is refused (403).
@village_view(Action.TAKE_PART)
@require_safe
def evidence_file(request: HttpRequest, village: Village, evidence_id: int) -> HttpResponse:
    """A file of evidence, never from a public URL: to those who may read the village's reviews,
    and to the person responsible for the finding whose answer it is attached to."""
    evidence_rows = Evidence.objects.filter(pk=evidence_id, review__village=village)
    if not roles_allow(request, Action.VIEW_REVIEWS):
        person = person_in(acting_user(request), village)
        if person is None:
            raise PermissionDenied
        evidence_rows = evidence_rows.filter(response__finding__responsible=person)
        evidence = evidence_rows.first()
        if evidence is None:
            raise PermissionDenied
    else:
        evidence = evidence_rows.first()
        if evidence is None:
            raise Http404
    return stored_file_response(
        evidence.file,
        content_type=evidence.content_type,
        allowed_types=EVIDENCE_TYPES,
        name=f"evidence-{evidence.pk}",
    )
