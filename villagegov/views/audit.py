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

from villagegov.models import AuditRecord, AuditVerification, Village
from villagegov.permissions import Action
from villagegov.selectors.villages import names_on_roster, village_audit_records
from villagegov.views.base import village_view

PAGE_SIZE = 50
ABSENT = object()  # a key missing from "before"


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
        if name == "id" or (not creation and old == new):
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
    context = {"page_obj": page, "entries": entries, "verification": AuditVerification.objects.first()}
    return render(request, "villagegov/audit_log.html", context)
