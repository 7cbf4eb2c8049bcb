from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from villagegov.models import User
from villagegov.permissions import requires_mfa


class RequireMfaMiddleware:
    """With VILLAGEGOV_REQUIRE_MFA on, officials, committee members and staff (who reach the
    Django admin) must set up TOTP before they can do anything else; the account pages stay
    reachable to do so."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.VILLAGEGOV_REQUIRE_MFA and self._must_enrol(request):
            messages.warning(
                request, _("Your role requires two-factor authentication. Please set it up first.")
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _exempt_prefixes() -> tuple[str, ...]:
        # "/accounts/login/" -> "/accounts/": every allauth page, the security page and logout.
        accounts = reverse("account_login").rstrip("/").rsplit("/", 1)[0] + "/"
        return (accounts, reverse("set_language"), "/" + settings.STATIC_URL.lstrip("/"))

    @classmethod
    def _must_enrol(cls, request: HttpRequest) -> bool:
        user = request.user
        if not isinstance(user, User) or request.path.startswith(cls._exempt_prefixes()):
            return False
        # Residents, the many, cost one query; only officials and staff look for an authenticator.
        return (user.is_staff or requires_mfa(user)) and not Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists()
