from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import DisallowedHost
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


class ContentSecurityPolicyMiddleware:
    """Send settings.CONTENT_SECURITY_POLICY with every response that has no policy of its own
    (an uploaded file is served under a stricter one). Scripts and styles come only from our
    static files, so an injected <script> or on*="" attribute does not run."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy_for(request)
        return response

    @staticmethod
    def policy_for(request: HttpRequest) -> str:
        directives = dict(settings.CONTENT_SECURITY_POLICY)
        try:
            host = request.get_host()
        except DisallowedHost:
            host = ""
        if host:
            # CSP3 lets 'self' match the page's own host over ws:/wss:; older browsers (Safari
            # before 16, old phones' WebViews) do not: name the live updates' socket explicitly.
            scheme = "wss" if request.is_secure() else "ws"
            directives["connect-src"] = f"{directives['connect-src']} {scheme}://{host}"
        return "; ".join(f"{name} {value}" for name, value in directives.items())
