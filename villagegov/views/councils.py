"""The councils of a village, their members and rules, and the village's rule set."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from villagegov import thresholds
from villagegov.formats import local_date
from villagegov.forms.councils import CouncilForm, CouncilSeatEndForm, CouncilSeatForm, QuorumCalculatorForm
from villagegov.models import Basis, BodyRule, Council, CouncilSeat, Counted, Person, Purpose, Village
from villagegov.permissions import Action
from villagegov.selectors.councils import (
    council_composition,
    council_members,
    council_rules,
    council_seats,
    council_summaries,
    council_totals,
    describe_thresholds,
    rule_set_rules,
)
from villagegov.services import councils as services
from villagegov.services.councils import roster_membership_message
from villagegov.views.base import acting_user, village_view

MEMBERS_PAGE_SIZE = 50
MEETING_PURPOSES = frozenset({Purpose.QUORUM, Purpose.DECISION})


def _council(village: Village, council_id: int) -> Council:
    return get_object_or_404(
        Council.objects.select_related("village", "group"), pk=council_id, village=village
    )


@village_view(Action.VIEW_VILLAGE)
def council_list(request: HttpRequest, village: Village) -> HttpResponse:
    summaries = council_summaries(village, on=timezone.localdate())
    return render(request, "villagegov/council_list.html", {"summaries": summaries})


@village_view(Action.MANAGE_COUNCILS)
def council_create(request: HttpRequest, village: Village) -> HttpResponse:
    form = CouncilForm(request.POST or None, village=village)
    if request.method == "POST" and form.is_valid():
        try:
            council = services.council_create(
                actor=acting_user(request),
                village=village,
                body=form.body_choice(),
                name=form.cleaned_data["name"],
                group=form.cleaned_data["group"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s was created.") % {"name": council.name})
            return redirect("council_detail", village.admin_code, council.pk)
    status = 400 if form.is_bound else 200
    return render(request, "villagegov/council_form.html", {"form": form}, status=status)


def _seat_candidates(village: Village) -> QuerySet[Person]:
    """Who may be seated: everyone on the roster who has not left."""
    return Person.objects.filter(village=village, left_on__isnull=True).select_related("household")


@dataclass(frozen=True)
class Calculation:
    """What the quorum calculator found for the figures entered."""

    quorum: thresholds.Outcome | None
    decision: thresholds.Outcome | None


def _calculate(body_rule: BodyRule | None, form: QuorumCalculatorForm, totals: dict[str, int]) -> Calculation:
    attendees = form.cleaned_data["attendees"]
    yes_votes = form.cleaned_data["yes_votes"]
    counts = {
        Counted.ATTENDEES.value: attendees,
        Counted.HOUSEHOLDS_REPRESENTED.value: form.cleaned_data.get("households_represented") or 0,
        Counted.YES_VOTES.value: yes_votes or 0,
    }
    # A decision made "by attendees" is measured against those present.
    figures = totals | {Counted.ATTENDEES.value: attendees}
    quorum = thresholds.quorum_met(body_rule, counts=counts, totals=figures)
    decision = thresholds.passes(body_rule, counts=counts, totals=figures) if yes_votes is not None else None
    return Calculation(quorum=quorum if quorum.figures else None, decision=decision)


def _render_detail(
    request: HttpRequest, village: Village, council: Council, *, status: int = 200, **forms: Any
) -> HttpResponse:
    """The council's page; a form that failed is passed in bound, so its errors show where it sits."""
    today = timezone.localdate()
    body_rule = council_rules(council)
    totals = council_totals(council, on=today)
    meeting_thresholds = [
        t
        for t in (body_rule.thresholds.all() if body_rule is not None else [])
        if t.purpose in MEETING_PURPOSES
    ]
    calculator = None
    calculation = None
    if meeting_thresholds:
        # A group meeting counts the group's households, the villagers' assembly the village's.
        households = totals.get(Basis.GROUP_HOUSEHOLDS, totals[Basis.HOUSEHOLDS])
        counts_households = any(t.counted == Counted.HOUSEHOLDS_REPRESENTED for t in meeting_thresholds)
        calculator = QuorumCalculatorForm(
            request.GET if QuorumCalculatorForm.submitted_in(request.GET) else None,
            members=totals[Basis.ALL_MEMBERS],
            households=households if counts_households else None,
        )
        if calculator.is_bound and calculator.is_valid():
            try:
                calculation = _calculate(body_rule, calculator, totals)
            except thresholds.MissingCount:
                # Only a hand-made rule set can measure a meeting against a figure the roster lacks.
                calculator.add_error(None, _("This body's rules need a figure the calculator cannot count."))
        elif calculator.is_bound and status == 200:
            status = 400
    context: dict[str, Any] = {
        "council": council,
        "body_rule": body_rule,
        "threshold_lines": describe_thresholds(body_rule) if body_rule is not None else [],
        "totals": totals,
        "member_count": totals[Basis.ALL_MEMBERS],
        "calculator": calculator,
        "calculation": calculation,
        "today": today,
    }
    if council.seated:
        seats = list(council_seats(council))
        context |= {
            "current_seats": [seat for seat in seats if seat.is_active_on(today)],
            "other_seats": [seat for seat in seats if not seat.is_active_on(today)],
            "open_seat_ids": {seat.pk for seat in seats if seat.ends_on is None or seat.ends_on >= today},
            "composition": council_composition(council, on=today),
            "seat_form": forms.get("seat_form") or CouncilSeatForm(candidates=_seat_candidates(village)),
            "end_form": forms.get("end_form"),
            "ending_id": forms.get("ending_id"),
            "blank_end_form": CouncilSeatEndForm(),
        }
    else:
        members = council_members(council, on=today).select_related("household").order_by("name", "pk")
        context |= {
            # A refused seat request on a roster body has only this message to show.
            "seat_form": forms.get("seat_form"),
            "membership_rule": roster_membership_message(council.body),
            "members_page": Paginator(members, MEMBERS_PAGE_SIZE).get_page(request.GET.get("page")),
        }
    return render(request, "villagegov/council_detail.html", context, status=status)


@village_view(Action.VIEW_VILLAGE)
def council_detail(request: HttpRequest, village: Village, council_id: int) -> HttpResponse:
    return _render_detail(request, village, _council(village, council_id))


@village_view(Action.MANAGE_COUNCILS)
@require_POST
def council_seat_add(request: HttpRequest, village: Village, council_id: int) -> HttpResponse:
    council = _council(village, council_id)
    form = CouncilSeatForm(request.POST, candidates=_seat_candidates(village))
    if form.is_valid():
        try:
            seat = services.council_seat_add(
                actor=acting_user(request),
                council=council,
                person=form.cleaned_data["person"],
                position=form.position_choice(),
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s now sits on %(council)s as %(position)s.")
                % {
                    "name": seat.person.name,
                    "council": council.name,
                    "position": seat.get_position_display(),
                },
            )
            return redirect("council_detail", village.admin_code, council.pk)
    return _render_detail(request, village, council, status=400, seat_form=form)


@village_view(Action.MANAGE_COUNCILS)
@require_POST
def council_seat_end(request: HttpRequest, village: Village, council_id: int, seat_id: int) -> HttpResponse:
    council = _council(village, council_id)
    seat = get_object_or_404(CouncilSeat.objects.select_related("person"), pk=seat_id, council=council)
    form = CouncilSeatEndForm(request.POST)
    if form.is_valid():
        try:
            services.council_seat_end(
                actor=acting_user(request), seat=seat, ends_on=form.cleaned_data["ends_on"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s's seat on %(council)s ends on %(date)s.")
                % {
                    "name": seat.person.name,
                    "council": council.name,
                    "date": local_date(form.cleaned_data["ends_on"]),
                },
            )
            return redirect("council_detail", village.admin_code, council.pk)
    return _render_detail(request, village, council, status=400, end_form=form, ending_id=seat.pk)


@village_view(Action.VIEW_VILLAGE)
def rule_set(request: HttpRequest, village: Village) -> HttpResponse:
    rules = village.rule_set
    return render(
        request, "villagegov/rule_set.html", {"rule_set": rules, "body_rules": rule_set_rules(rules)}
    )
