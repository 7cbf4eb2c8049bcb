"""The supervision committee's page: its members in office with the resolution that elected them,
what the law asks of it that it lacks, and appointing a member."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from supervision.forms.committee import AppointmentForm
from supervision.selectors.committee import (
    COMMITTEE_CITATION,
    committee_in_office,
    committee_warnings,
    electing_resolutions,
    supervision_committee,
)
from supervision.services.committee import appointment_create as appoint
from villagegov.models import Person, Village
from villagegov.permissions import Action
from villagegov.views.base import acting_user, roles_allow, village_view


@village_view(Action.VIEW_VILLAGE)
def committee_detail(request: HttpRequest, village: Village) -> HttpResponse:
    members = committee_in_office(village, on=timezone.localdate())
    context = {
        "council": supervision_committee(village),
        "members": members,
        "warnings": committee_warnings(members),
        "citation": COMMITTEE_CITATION,
        "can_appoint": roles_allow(request, Action.APPOINT_SUPERVISORS),
    }
    return render(request, "supervision/committee_detail.html", context)


@village_view(Action.APPOINT_SUPERVISORS)
def appointment_create(request: HttpRequest, village: Village) -> HttpResponse:
    candidates = Person.objects.filter(village=village, left_on__isnull=True).order_by("name", "pk")
    form = AppointmentForm(
        request.POST or None, candidates=candidates, resolutions=electing_resolutions(village)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment = appoint(
                actor=acting_user(request),
                village=village,
                person=data["person"],
                position=data["position"],
                starts_on=data["starts_on"],
                resolution=data["resolution"],
                finance_knowledge=data["finance_knowledge"],
                ends_on=data["ends_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is seated on the supervision committee.")
                % {"name": appointment.seat.person.name},
            )
            return redirect("committee_detail", village.admin_code)
    context = {
        "form": form,
        "person_options": [AppointmentForm.option_value(person) for person in candidates.only("pk", "name")],
        "has_resolutions": form.fields["resolution"].queryset.exists(),  # type: ignore[attr-defined]
    }
    return render(
        request, "supervision/committee_appoint.html", context, status=400 if form.is_bound else 200
    )
