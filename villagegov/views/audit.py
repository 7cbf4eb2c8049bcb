"""The village's audit log, with the result of the latest verification of the hash chain."""

import json
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from villagegov.models import AuditRecord, AuditVerification, Village
from villagegov.permissions import Action
from villagegov.seals import SEALS_KEY
from villagegov.selectors.villages import names_on_roster, village_audit_records
from villagegov.views.base import village_view

PAGE_SIZE = 50

# What each recorded action means, in words; an action missing here shows its code.
ACTION_LABELS = {
    "person.create": gettext_lazy("added to the roster"),
    "person.update": gettext_lazy("personal data changed"),
    "person.leave": gettext_lazy("left the roster"),
    "person.claim_account": gettext_lazy("account linked to the roster"),
    "group.create": gettext_lazy("villager group created"),
    "household.create": gettext_lazy("household created"),
    "household.set_head": gettext_lazy("household head changed"),
    "role.assign": gettext_lazy("role given"),
    "role.end": gettext_lazy("role term ended"),
    "kinship.declare": gettext_lazy("kinship declared"),
    "council.create": gettext_lazy("council created"),
    "council.seat_add": gettext_lazy("seat given"),
    "council.seat_end": gettext_lazy("seat term ended"),
    "invitation.issue": gettext_lazy("invitation issued"),
    "invitation.revoke": gettext_lazy("invitation cancelled"),
    "invitation.claim": gettext_lazy("invitation used"),
    "demo.load": gettext_lazy("demo village loaded"),
    "admin.add": gettext_lazy("added in the administration"),
    "admin.change": gettext_lazy("changed in the administration"),
    "admin.delete": gettext_lazy("deleted in the administration"),
}
ABSENT = object()  # a key missing from "before"
# The parts of a sealed row (villagegov.seals), in words; a single row's one part ("row") is the row.
SEALED_PARTS = {
    "result": gettext_lazy("vote result"),
    "options": gettext_lazy("options"),
    "ballots": gettext_lazy("named ballots"),
    "ballot_changes": gettext_lazy("ballot changes"),
    "secret_ballots": gettext_lazy("secret ballots"),
    "roll": gettext_lazy("roll of voters"),
    "voucher": gettext_lazy("voucher"),
    "lines": gettext_lazy("voucher lines"),
}


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None  # None: the record has no "before" (a creation)
    after: str


@dataclass(frozen=True)
class AuditEntry:
    record: AuditRecord
    who: str
    changes: list[Change]

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.record.action, self.record.action))


def _model_of(record: AuditRecord) -> type[models.Model] | None:
    try:
        return apps.get_model(record.target_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> "models.Field[Any, Any] | None":
    """The model field behind a snapshot key (an attname such as person_id works too)."""
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _shown(value: Any, field: "models.Field[Any, Any] | None") -> str:
    if value is None or value == "" or value is ABSENT:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.is_relation:
        return f"#{value}"
    return str(value)


def changes_of(record: AuditRecord) -> list[Change]:
    """What the write changed: every field of a creation, the differing fields of an update."""
    model = _model_of(record)
    before = record.before if isinstance(record.before, dict) else {}
    after = record.after if isinstance(record.after, dict) else {}
    creation = record.before is None
    changes = []
    for name in [*after, *(key for key in before if key not in after)]:
        old, new = before.get(name, ABSENT), after.get(name)
        # Seals are digests for the verifier, not something a reader compares.
        if name in ("id", SEALS_KEY) or (not creation and old == new):
            continue
        field = _field(model, name)
        changes.append(
            Change(
                field=str(field.verbose_name) if field is not None else name,
                before=None if creation else _shown(old, field),
                after=_shown(new, field),
            )
        )
    return changes


@dataclass(frozen=True)
class ChangedRow:
    row: str  # e.g. "表决 #12（记名选票）"
    reason: str


def sealed_row_label(kept: dict[str, Any]) -> str:
    """A changed row as an AuditVerification keeps it, in the reader's language."""
    try:
        name = str(apps.get_model(kept["type"])._meta.verbose_name)
    except (LookupError, ValueError):
        name = kept["type"]
    parts = [str(SEALED_PARTS.get(part, part)) for part in kept["parts"] if part != "row"]
    if not parts:
        return f"{name} #{kept['id']}"
    return _("%(row)s #%(id)s (%(parts)s)") % {
        "row": name,
        "id": kept["id"],
        "parts": pgettext("list separator", ", ").join(parts),
    }


def changed_rows_of(verification: AuditVerification | None, village: Village) -> list[ChangedRow]:
    """The changed rows of this village: verification is site-wide, and another village's rows
    are not this village's business (the page then says only that the log failed)."""
    if verification is None:
        return []
    return [
        ChangedRow(row=sealed_row_label(kept), reason=_(kept["reason"]))
        for kept in verification.broken_rows
        if kept.get("village") == village.pk
    ]


@village_view(Action.VIEW_AUDIT_LOG)
def audit_log(request: HttpRequest, village: Village) -> HttpResponse:
    page = Paginator(village_audit_records(village), PAGE_SIZE).get_page(request.GET.get("page"))
    records = list(page.object_list)
    names = names_on_roster(village, (r.actor_id for r in records if r.actor_id is not None))
    entries = [
        AuditEntry(
            record=record,
            who=names.get(record.actor_id, record.actor.username)
            if record.actor_id is not None and record.actor is not None
            else _("the system"),
            changes=changes_of(record),
        )
        for record in records
    ]
    verification = AuditVerification.objects.first()
    context = {
        "page_obj": page,
        "entries": entries,
        "verification": verification,
        "changed_rows": changed_rows_of(verification, village),
    }
    return render(request, "villagegov/audit_log.html", context)
