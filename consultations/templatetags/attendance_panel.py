"""The attendance panel of a session's page: it reads what it shows, so any page may include it."""

from dataclasses import dataclass
from typing import Any

import segno
from django import template
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from consultations.models import Session
from consultations.selectors.attendance import attendance_panel
from villagegov.permissions import Action, person_in

register = template.Library()

RECORDERS = frozenset({Action.MANAGE_SESSIONS.value, Action.RECORD_ATTENDANCE.value})


@dataclass(frozen=True)
class CheckInQr:
    link: str
    svg: SafeString


def check_in_qr(request: HttpRequest, session: Session, *, scale: int = 4) -> CheckInQr:
    """The session's check-in link and its QR code as inline SVG (`scale` pixels a module: 4 on
    the session's page, larger on the hall's screen). The secret join code is in it: show it only
    to those who keep attendance, to be printed or projected in the hall, so that a villager's own
    page does not let them check in from home."""
    village = session.council.village
    path = reverse("session_check_in", args=[village.admin_code, session.pk, session.join_code])
    link = request.build_absolute_uri(path)
    qr = segno.make(link, error="m")
    svg = qr.svg_inline(scale=scale, dark="#000", light="#fff", omitsize=True, title=_("QR code to check in"))
    return CheckInQr(link=link, svg=mark_safe(svg))


@register.simple_tag(takes_context=True)
def session_attendance(context: template.Context, session: Session) -> dict[str, Any]:
    """The panel's figures for the viewer; the QR code and the link only for the chair and the
    clerk, who print them for the hall's door."""
    request = context["request"]
    allowed = set(context.get("allowed_actions") or ())
    village = session.council.village
    panel = attendance_panel(session, person=person_in(request.user, village))
    panel["can_record"] = Action.RECORD_ATTENDANCE.value in allowed
    panel["shows_qr"] = panel["check_in_open"] and bool(allowed & RECORDERS)
    if panel["shows_qr"]:
        qr = check_in_qr(request, session)
        panel["check_in_link"] = qr.link
        panel["qr_svg"] = qr.svg
    return panel
