"""Villager groups and households: lists, creation, a household's members and its head."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from villagegov.forms.roster import GroupForm, HouseholdForm, HouseholdHeadForm
from villagegov.models import Household, Village, VillagerGroup
from villagegov.permissions import Action, require
from villagegov.selectors.roster import groups_with_counts, household_members, households_for_list
from villagegov.services import roster as services
from villagegov.views.base import acting_user, village_view
from villagegov.views.roster import PAGE_SIZE


@village_view(Action.VIEW_ROSTER)
def group_list(request: HttpRequest, village: Village) -> HttpResponse:
    """The villager groups; managers add one with the form below the list."""
    form = GroupForm(request.POST or None)
    if request.method == "POST":
        require(request.user, Action.MANAGE_ROSTER, village)
        if form.is_valid():
            try:
                group = services.group_create(
                    actor=acting_user(request), village=village, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Group %(name)s was added.") % {"name": group.name})
                return redirect("group_list", village.admin_code)
    status = 400 if form.is_bound else 200
    context = {"groups": groups_with_counts(village), "form": form}
    return render(request, "villagegov/group_list.html", context, status=status)


@village_view(Action.VIEW_ROSTER)
def household_list(request: HttpRequest, village: Village) -> HttpResponse:
    groups = list(VillagerGroup.objects.filter(village=village))
    group_id = request.GET.get("group", "")
    group = next((g for g in groups if str(g.pk) == group_id), None)
    page = Paginator(households_for_list(village, group=group), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "groups": groups, "group": group}
    return render(request, "villagegov/household_list.html", context)


@village_view(Action.MANAGE_ROSTER)
def household_create(request: HttpRequest, village: Village) -> HttpResponse:
    form = HouseholdForm(request.POST or None, village=village)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_create(
                actor=acting_user(request), village=village, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Household %(number)s was added.") % {"number": household.number})
            return redirect("household_detail", village.admin_code, household.pk)
    status = 400 if form.is_bound else 200
    return render(request, "villagegov/household_form.html", {"form": form}, status=status)


def _render_household(
    request: HttpRequest, household: Household, *, head_form: HouseholdHeadForm | None = None
) -> HttpResponse:
    members = list(household_members(household))
    current = household_members(household).filter(left_on__isnull=True)
    context = {
        "household": household,
        "members": [member for member in members if member.left_on is None],
        "former_members": [member for member in members if member.left_on is not None],
        "head_form": head_form or HouseholdHeadForm(members=current, initial={"head": household.head_id}),
    }
    return render(request, "villagegov/household_detail.html", context, status=400 if head_form else 200)


def _household(village: Village, household_id: int) -> Household:
    return get_object_or_404(
        Household.objects.select_related("group", "head"), pk=household_id, village=village
    )


@village_view(Action.VIEW_ROSTER)
def household_detail(request: HttpRequest, village: Village, household_id: int) -> HttpResponse:
    return _render_household(request, _household(village, household_id))


@village_view(Action.MANAGE_ROSTER)
@require_POST
def household_set_head(request: HttpRequest, village: Village, household_id: int) -> HttpResponse:
    household = _household(village, household_id)
    current = household_members(household).filter(left_on__isnull=True)
    form = HouseholdHeadForm(request.POST, members=current)
    if form.is_valid():
        head = form.cleaned_data["head"]
        try:
            services.household_set_head(actor=acting_user(request), household=household, head=head)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is now the head of household %(number)s.")
                % {"name": head.name, "number": household.number},
            )
            return redirect("household_detail", village.admin_code, household.pk)
    return _render_household(request, household, head_form=form)
