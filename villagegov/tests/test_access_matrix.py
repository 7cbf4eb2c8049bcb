"""docs/security.md shows the access matrix the code's rules give, and every socket route is classified."""

from io import StringIO

from django.core.management import call_command

from villagegov.access_matrix import (
    MATRIX_END,
    MATRIX_START,
    REFUSED,
    SECURITY_DOC,
    SERVED,
    SERVED_IN_PART,
    WEBSOCKET_ACCESS,
    cell,
    render_matrix,
    websocket_routes,
    with_matrix,
)
from villagegov.models import Role
from villagegov.permissions import Action


def test_the_matrix_in_docs_security_is_the_one_the_rules_give() -> None:
    document = SECURITY_DOC.read_text(encoding="utf-8")
    assert document.count(MATRIX_START) == 1 and document.count(MATRIX_END) == 1
    assert with_matrix(document, render_matrix()) == document, (
        "docs/security.md's access matrix is out of date: run `python manage.py access_matrix --write`"
    )


def test_every_socket_route_is_classified() -> None:
    assert {route.name for route in websocket_routes()} == set(WEBSOCKET_ACCESS)


def test_a_cell_follows_the_roles_allowed() -> None:
    assert cell(Action.KEEP_ACCOUNTS, Role.ACCOUNTANT) == SERVED
    assert cell(Action.KEEP_ACCOUNTS, Role.RESIDENT) == REFUSED
    assert cell(Action.VIEW_VILLAGE, "anonymous") == REFUSED
    assert cell(Action.VIEW_VILLAGE, "another village") == REFUSED
    assert cell(Action.VIEW_VILLAGE, Role.RESIDENT, sees_all=frozenset({Role.CLERK})) == SERVED_IN_PART
    assert cell(Action.VIEW_VILLAGE, Role.CLERK, sees_all=frozenset({Role.CLERK})) == SERVED


def test_the_command_prints_the_matrix() -> None:
    out = StringIO()
    call_command("access_matrix", stdout=out)
    assert out.getvalue() == render_matrix()
