"""The account security page: phone, password and two-factor authentication in one place."""

from allauth.mfa.models import Authenticator
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from villagegov.models import User
from villagegov.permissions import requires_mfa


@login_required
def account_security(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    return render(
        request,
        "account/security.html",
        {
            "has_totp": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
            "role_requires_mfa": user.is_staff or requires_mfa(user),
        },
    )
