"""The landing page and a village's dashboard."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from villagegov.models import Body, Role, User, Village
from villagegov.models.councils import ROLE_OF_SEAT
from villagegov.permissions import Action, roles_in
from villagegov.selectors.councils import council_summaries
from villagegov.selectors.villages import role_seats_of_user, terms_of_user, village_figures, villages_of
from villagegov.views.base import village_view


def home(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors see the landing page; a villager of one village goes straight to it."""
    user = request.user
    if isinstance(user, User):
        villages = list(villages_of(user))
        if len(villages) == 1:
            return redirect("village_dashboard", villages[0].admin_code)
        return render(request, "villagegov/home.html", {"my_villages": villages})
    return render(request, "villagegov/home.html")


@village_view(Action.VIEW_VILLAGE)
def village_dashboard(request: HttpRequest, village: Village) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    today = timezone.localdate()
    terms = terms_of_user(village, user, on=today)
    seats = [
        (ROLE_OF_SEAT[Body(seat.council.body)], seat) for seat in role_seats_of_user(village, user, on=today)
    ]
    termed = {term.role for term in terms} | {role for role, _seat in seats}
    # Resident and household head come from the roster and the household register, not from terms.
    standing = sorted(
        (role for role in roles_in(user, village) if role not in termed),
        key=lambda role: list(Role).index(role),
    )
    context = {
        "figures": village_figures(village),
        "terms": terms,
        "role_seats": [(role.label, seat) for role, seat in seats],
        "standing_roles": [role.label for role in standing],
        "summaries": council_summaries(village, on=today),
    }
    return render(request, "villagegov/dashboard.html", context)
