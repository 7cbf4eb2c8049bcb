"""The roster pages: the list of people, a person's page and the forms that change it."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from villagegov.formats import local_date
from villagegov.forms.roster import (
    KinshipDeclareForm,
    PersonForm,
    PersonLeaveForm,
    PersonSearchForm,
    RoleAssignForm,
    RoleEndForm,
)
from villagegov.models import Person, RoleAssignment, Village
from villagegov.permissions import Action, can
from villagegov.selectors.invitations import invitation_open_for
from villagegov.selectors.roster import people_search, person_detail_data, person_seats, relative_choices
from villagegov.services import roster as services
from villagegov.views.base import acting_user, village_view

PAGE_SIZE = 50


def _person(village: Village, person_id: int) -> Person:
    return get_object_or_404(
        Person.objects.select_related("household__group", "user"), pk=person_id, village=village
    )


@village_view(Action.VIEW_ROSTER)
def person_list(request: HttpRequest, village: Village) -> HttpResponse:
    form = PersonSearchForm(request.GET or None, village=village)
    status = 200
    if form.is_bound and not form.is_valid():
        people = Person.objects.none()
        status = 400
    elif form.is_bound:
        people = people_search(
            village,
            query=form.cleaned_data["q"],
            group=form.cleaned_data["group"],
            role=form.role_choice(),
            include_left=form.cleaned_data["include_left"],
        )
    else:
        people = people_search(village)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "villagegov/person_list.html", {"form": form, "page_obj": page}, status=status)


@village_view(Action.MANAGE_ROSTER)
def person_create(request: HttpRequest, village: Village) -> HttpResponse:
    # The household page links here with ?household=<id> to add a member to it.
    form = PersonForm(
        request.POST or None, village=village, initial={"household": request.GET.get("household")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=acting_user(request), village=village, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s was added to the roster.") % {"name": person.name})
            return redirect("person_detail", village.admin_code, person.pk)
    status = 400 if form.is_bound else 200
    return render(request, "villagegov/person_form.html", {"form": form, "person": None}, status=status)


@village_view(Action.MANAGE_ROSTER)
def person_update(request: HttpRequest, village: Village, person_id: int) -> HttpResponse:
    person = _person(village, person_id)
    form = PersonForm(request.POST or None, village=village, initial=PersonForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=acting_user(request), person=person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("person_detail", village.admin_code, person.pk)
    status = 400 if form.is_bound else 200
    return render(request, "villagegov/person_form.html", {"form": form, "person": person}, status=status)


def _render_detail(
    request: HttpRequest, village: Village, person: Person, *, status: int = 200, **forms: Any
) -> HttpResponse:
    """The person's page; a form that failed is passed in bound, so its errors show where it sits."""
    terms, kinships = person_detail_data(person)
    seats = person_seats(person)
    candidates = relative_choices(person)
    today = timezone.localdate()
    context = {
        "person": person,
        "village": village,
        "open_invitation": invitation_open_for(person),
        "can_manage": can(request.user, Action.MANAGE_ROSTER, village),
        "age": person.age_on(today),
        "today": today,
        "current_terms": [term for term in terms if term.is_active_on(today)],
        "other_terms": [term for term in terms if not term.is_active_on(today)],
        "open_term_ids": {term.pk for term in terms if term.ends_on is None or term.ends_on >= today},
        "current_seats": [seat for seat in seats if seat.is_active_on(today)],
        "other_seats": [seat for seat in seats if not seat.is_active_on(today)],
        "kinships": kinships,
        "headed_households": list(person.headed_households.all()),
        "relative_options": [KinshipDeclareForm.option_value(candidate) for candidate in candidates],
        "assign_form": forms.get("assign_form") or RoleAssignForm(),
        "end_form": forms.get("end_form"),
        "ending_id": forms.get("ending_id"),
        "blank_end_form": RoleEndForm(),
        "kin_form": forms.get("kin_form") or KinshipDeclareForm(candidates=candidates),
        "leave_form": forms.get("leave_form") or PersonLeaveForm(),
    }
    return render(request, "villagegov/person_detail.html", context, status=status)


@village_view(Action.VIEW_ROSTER)
def person_detail(request: HttpRequest, village: Village, person_id: int) -> HttpResponse:
    return _render_detail(request, village, _person(village, person_id))


@village_view(Action.MANAGE_ROSTER)
@require_POST
def person_leave(request: HttpRequest, village: Village, person_id: int) -> HttpResponse:
    person = _person(village, person_id)
    form = PersonLeaveForm(request.POST)
    if form.is_valid():
        try:
            services.person_leave(
                actor=acting_user(request),
                person=person,
                left_on=form.cleaned_data["left_on"],
                reason=form.reason_text(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s is no longer on the roster.") % {"name": person.name})
            return redirect("person_detail", village.admin_code, person.pk)
    return _render_detail(request, village, person, status=400, leave_form=form)


@village_view(Action.MANAGE_ROSTER)
@require_POST
def role_assign(request: HttpRequest, village: Village, person_id: int) -> HttpResponse:
    person = _person(village, person_id)
    form = RoleAssignForm(request.POST)
    if form.is_valid():
        try:
            assignment = services.role_assign(
                actor=acting_user(request),
                person=person,
                role=form.role_choice(),
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s.") % {"name": person.name, "role": assignment.get_role_display()},
            )
            return redirect("person_detail", village.admin_code, person.pk)
    return _render_detail(request, village, person, status=400, assign_form=form)


@village_view(Action.MANAGE_ROSTER)
@require_POST
def role_end(request: HttpRequest, village: Village, person_id: int, assignment_id: int) -> HttpResponse:
    person = _person(village, person_id)
    assignment = get_object_or_404(RoleAssignment, pk=assignment_id, person=person)
    form = RoleEndForm(request.POST)
    if form.is_valid():
        try:
            services.role_end(
                actor=acting_user(request),
                assignment=assignment,
                ends_on=form.cleaned_data["ends_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The term as %(role)s ends on %(date)s.")
                % {"role": assignment.get_role_display(), "date": local_date(form.cleaned_data["ends_on"])},
            )
            return redirect("person_detail", village.admin_code, person.pk)
    return _render_detail(request, village, person, status=400, end_form=form, ending_id=assignment.pk)


@village_view(Action.MANAGE_ROSTER)
@require_POST
def kinship_declare(request: HttpRequest, village: Village, person_id: int) -> HttpResponse:
    person = _person(village, person_id)
    form = KinshipDeclareForm(request.POST, candidates=relative_choices(person))
    if form.is_valid():
        relative: Person = form.cleaned_data["relative"]
        try:
            kinship = services.kinship_declare(
                actor=acting_user(request),
                person=person,
                relative=relative,
                relation=form.relation_choice(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(relative)s is recorded as %(person)s's %(relation)s.")
                % {
                    "relative": relative.name,
                    "person": person.name,
                    "relation": kinship.get_relation_display(),
                },
            )
            return redirect("person_detail", village.admin_code, person.pk)
    return _render_detail(request, village, person, status=400, kin_form=form)
