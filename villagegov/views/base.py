"""What every village page shares: find the village, check the action, remember it for the nav."""

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from villagegov.models import Role, User, Village
from villagegov.permissions import ROLES_ALLOWED, Action, require

P = ParamSpec("P")
VillageView = Callable[Concatenate[HttpRequest, Village, P], HttpResponse]


def village_view(action: Action) -> Callable[[VillageView[P]], Callable[..., HttpResponse]]:
    """Decorate a view taking (request, village, ...): the URL's `village_code` becomes the
    Village, after the permissions module allowed `action` (404 outside the village, 403
    without the role). Anonymous users are sent to log in."""

    def decorator(view: VillageView[P]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, village_code: str, *args: Any, **kwargs: Any) -> HttpResponse:
            village = Village.objects.filter(admin_code=village_code).first()
            if village is None:
                raise Http404
            # The navigation reuses the roles rather than asking the database again.
            request.village_roles = require(request.user, action, village)  # type: ignore[attr-defined]
            request.village = village  # type: ignore[attr-defined]
            return view(request, village, *args, **kwargs)

        return wrapper

    return decorator


def acting_user(request: HttpRequest) -> User:
    """The logged-in user; village_view lets no one else through."""
    user = request.user
    assert isinstance(user, User)
    return user


def public_village_view(view: VillageView[P]) -> Callable[..., HttpResponse]:
    """Decorate a page of the village's public board (公开栏): anyone may read it, logged in or
    not, so it must show only what the village has published."""

    @wraps(view)
    def wrapper(request: HttpRequest, village_code: str, *args: Any, **kwargs: Any) -> HttpResponse:
        village = Village.objects.filter(admin_code=village_code).first()
        if village is None:
            raise Http404
        request.village = village  # type: ignore[attr-defined]
        return view(request, village, *args, **kwargs)

    return wrapper


def roles_allow(request: HttpRequest, action: Action) -> bool:
    """Whether the user's roles in the page's village (put on the request by village_view) allow
    `action`: what a page shows or offers, never a substitute for the view's own check."""
    roles: frozenset[Role] = getattr(request, "village_roles", frozenset())
    return bool(roles & ROLES_ALLOWED[action])
