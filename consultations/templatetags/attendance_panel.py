"""The attendance panel of a session's page: it reads what it shows, so any page may include it."""

from typing import Any

import segno
from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from consultations.models import Session
from consultations.selectors.attendance import attendance_panel
from villagegov.permissions import Action, person_in

register = template.Library()

RECORDERS = frozenset({Action.MANAGE_SESSIONS.value, Action.RECORD_ATTENDANCE.value})


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
        # The secret join code is shown only here, to be printed for the hall: a villager's own
        # page must not let them check in from home.
        check_in_path = reverse("session_check_in", args=[village.admin_code, session.pk, session.join_code])
        link = request.build_absolute_uri(check_in_path)
        qr = segno.make(link, error="m")
        panel["check_in_link"] = link
        panel["qr_svg"] = mark_safe(qr.svg_inline(scale=4, title=_("QR code to check in")))
    return panel
