from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from villagegov.permissions import requires_mfa


class RequireMfaMiddleware:
    """With VILLAGEGOV_REQUIRE_MFA on, officials and committee members must set up TOTP
    before they can do anything else; the account pages stay reachable to do so."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.VILLAGEGOV_REQUIRE_MFA and self._must_enrol(request):
            messages.warning(request, _("Your role requires two-factor authentication. Please set it up first."))
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _must_enrol(request: HttpRequest) -> bool:
        user = request.user
        if not user.is_authenticated:
            return False
        exempt = (reverse("account_login").rsplit("/", 2)[0], "/i18n/", "/static/")
        if request.path.startswith(exempt):
            return False
        from allauth.mfa.models import Authenticator

        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            return False
        return requires_mfa(user)  # type: ignore[arg-type]
