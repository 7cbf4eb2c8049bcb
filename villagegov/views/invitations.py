"""Invitations: officials issue and print them; villagers enter their code to claim an account."""

from http import HTTPStatus
from typing import Any

import segno
from allauth.core import ratelimit
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from villagegov.forms.invitations import InvitationCodeForm
from villagegov.models import Invitation, Person, User, Village
from villagegov.permissions import Action
from villagegov.selectors.invitations import (
    PENDING_INVITATION_SESSION_KEY,
    invitation_by_code,
    invitation_open_for,
    invitation_refusal,
)
from villagegov.services.invitations import invitation_claim as claim_invitation
from villagegov.services.invitations import invitation_issue as issue_invitation
from villagegov.services.invitations import invitation_revoke as revoke_invitation
from villagegov.views.base import village_view

# Wrong codes only: a village office signing up many people from one address is not slowed down.
FAILED_CODE_RATE_LIMIT = "invitation_code_failed"


@require_http_methods(["GET", "POST"])
def invitation_claim(request: HttpRequest, code: str = "") -> HttpResponse:
    """/invite/ and /invite/<code>/ (the QR code's target, which fills the code in)."""
    if request.method != "POST":
        form = InvitationCodeForm(initial={"code": code})
        return _render_claim(request, form)
    form = InvitationCodeForm(request.POST)
    if not ratelimit.consume(request, action=FAILED_CODE_RATE_LIMIT, dry_run=True):
        form.add_error(None, _("Too many wrong codes were tried from here. Please wait ten minutes."))
        return _render_claim(request, form, status=HTTPStatus.TOO_MANY_REQUESTS)
    if not form.is_valid():
        ratelimit.consume(request, action=FAILED_CODE_RATE_LIMIT)
        return _render_claim(request, form, status=HTTPStatus.BAD_REQUEST)
    invitation = invitation_by_code(form.cleaned_data["code"])
    if invitation is None:
        ratelimit.consume(request, action=FAILED_CODE_RATE_LIMIT)
        form.add_error(
            "code", _("No invitation has this code. Check it, or ask the village committee for help.")
        )
        return _render_claim(request, form, status=HTTPStatus.BAD_REQUEST)
    refusal = invitation_refusal(invitation)
    if refusal is not None:
        form.add_error("code", refusal)
        return _render_claim(request, form, status=HTTPStatus.BAD_REQUEST)
    if not request.user.is_authenticated:
        request.session[PENDING_INVITATION_SESSION_KEY] = invitation.pk
        return redirect("account_signup")
    # Someone with an account joins another village's roster with that village's invitation.
    assert isinstance(request.user, User)
    try:
        person = claim_invitation(invitation=invitation, user=request.user)
    except ValidationError as error:
        form.add_error(None, error)
        return _render_claim(request, form, status=HTTPStatus.BAD_REQUEST)
    messages.success(
        request,
        _("Your account is now linked to %(name)s on the roster of %(village)s.")
        % {"name": person.name, "village": person.village.name},
    )
    return redirect("village_dashboard", person.village.admin_code)


def _render_claim(
    request: HttpRequest, form: InvitationCodeForm, status: int = HTTPStatus.OK
) -> HttpResponse:
    return render(request, "villagegov/invitation_claim.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@village_view(Action.ISSUE_INVITATION)
def invitation_issue(request: HttpRequest, village: Village, person_id: int) -> HttpResponse:
    """GET: what issuing does; POST: issue a new code (cancelling the open one) and go to print it."""
    person = get_object_or_404(Person, pk=person_id, village=village)
    context: dict[str, Any] = {
        "village": village,
        "person": person,
        "open_invitation": invitation_open_for(person),
    }
    if request.method != "POST":
        return render(request, "villagegov/invitation_issue.html", context)
    assert isinstance(request.user, User)
    try:
        invitation = issue_invitation(actor=request.user, person=person)
    except ValidationError as error:
        context["errors"] = error.messages
        return render(request, "villagegov/invitation_issue.html", context, status=HTTPStatus.BAD_REQUEST)
    messages.success(
        request, _("Invitation issued for %(name)s. Print it and hand it over.") % {"name": person.name}
    )
    return redirect("invitation_print", village.admin_code, invitation.pk)


@require_http_methods(["GET"])
@village_view(Action.ISSUE_INVITATION)
def invitation_print(request: HttpRequest, village: Village, invitation_id: int) -> HttpResponse:
    invitation = _get_invitation(village, invitation_id)
    return _render_print(request, village, invitation)


@require_POST
@village_view(Action.ISSUE_INVITATION)
def invitation_revoke(request: HttpRequest, village: Village, invitation_id: int) -> HttpResponse:
    invitation = _get_invitation(village, invitation_id)
    assert isinstance(request.user, User)
    try:
        revoke_invitation(actor=request.user, invitation=invitation)
    except ValidationError as error:
        return _render_print(
            request, village, invitation, errors=error.messages, status=HTTPStatus.BAD_REQUEST
        )
    messages.success(request, _("The invitation code was cancelled; it can no longer be used."))
    return redirect("person_detail", village.admin_code, invitation.person_id)


def _get_invitation(village: Village, invitation_id: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("person", "created_by"), pk=invitation_id, person__village=village
    )


def _render_print(
    request: HttpRequest,
    village: Village,
    invitation: Invitation,
    *,
    errors: list[str] | None = None,
    status: int = HTTPStatus.OK,
) -> HttpResponse:
    refusal = invitation_refusal(invitation)
    context: dict[str, Any] = {
        "village": village,
        "invitation": invitation,
        "person": invitation.person,
        "refusal": refusal,
        "errors": errors or [],
        "code_display": f"{invitation.code[:4]} {invitation.code[4:]}",
        "claim_start_url": request.build_absolute_uri(reverse("invitation_claim")),
    }
    if refusal is None:
        claim_url = request.build_absolute_uri(reverse("invitation_claim_code", args=[invitation.code]))
        # segno escapes what it writes, and the URL is ours: safe to inline.
        context["qr_svg"] = mark_safe(
            segno.make(claim_url, error="m").svg_inline(
                scale=4, omitsize=True, title=_("QR code of the invitation")
            )
        )
        context["claim_url"] = claim_url
    return render(request, "villagegov/invitation_print.html", context, status=status)
