"""The row lock every change to a session's state or contents takes first, so that changes to one
session queue up (on PostgreSQL; SQLite serialises writes anyway)."""

from consultations.models import Session


def session_lock(session_id: int) -> Session:
    """The session, locked for the rest of the transaction (its own row only: joined rows are
    read, not locked), with its council and village."""
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("council__village", "chair")
        .get(pk=session_id)
    )
