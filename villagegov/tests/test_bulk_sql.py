"""Set-based SQL of the ballot batches (villagegov/bulk_sql.py), on whichever database the suite
runs: rows inserted and updated with their values intact, however many statements SQLite needs,
and `any_of` selecting by ids with one parameter on PostgreSQL."""

import pytest
from django.db import connection
from django.utils import timezone

from villagegov import bulk_sql
from villagegov.bulk_sql import rows_insert, rows_update
from villagegov.models import Notification, Person, Village
from villagegov.testing import make_person

MESSAGES = ["it's 村委会", 'a "quoted" one', "%s and %(name)s", "", "last; DROP TABLE x"]


@pytest.fixture
def people(village: Village) -> list[Person]:
    return [make_person(village) for _ in MESSAGES]


@pytest.mark.parametrize("rows_per_statement", [2, 500])
def test_rows_are_inserted_and_updated_with_their_values(
    village: Village, people: list[Person], monkeypatch: pytest.MonkeyPatch, rows_per_statement: int
) -> None:
    monkeypatch.setattr(bulk_sql, "ROWS_PER_STATEMENT", rows_per_statement)  # SQLite: 3 statements or 1
    now = timezone.now()
    pairs = list(zip(people, MESSAGES, strict=True))

    rows_insert(
        table=Notification._meta.db_table,
        fixed={"village_id": village.pk, "created_at": connection.ops.adapt_datetimefield_value(now)},
        columns=[("person_id", "bigint"), ("message", "varchar"), ("link", "varchar")],
        rows=[(person.pk, message, f"/x/{i}") for i, (person, message) in enumerate(pairs)],
    )

    stored = list(Notification.objects.order_by("pk"))
    assert [(n.person_id, n.message, n.link, n.village_id) for n in stored] == [
        (person.pk, message, f"/x/{i}", village.pk) for i, (person, message) in enumerate(pairs)
    ]
    assert all(n.created_at == now for n in stored)

    rows_update(
        table=Notification._meta.db_table,
        set_sql="message = batch.message",
        key=("id", "bigint"),
        columns=[("message", "varchar")],
        rows=[(n.pk, n.message.upper() + "!") for n in stored[1:]],
    )

    assert list(Notification.objects.order_by("pk").values_list("message", flat=True)) == [
        MESSAGES[0],
        *(message.upper() + "!" for message in MESSAGES[1:]),
    ]


def test_any_of_selects_those_ids(village: Village, other_village: Village, people: list[Person]) -> None:
    stranger = make_person(other_village)
    wanted = [people[0].pk, people[3].pk, stranger.pk, 10**9]

    assert set(Person.objects.filter(pk__any_of=wanted, village=village)) == {people[0], people[3]}
    assert set(Person.objects.filter(village_id__any_of=[other_village.pk])) == {stranger}
    assert not Person.objects.filter(pk__any_of=[]).exists()


def test_any_of_takes_one_parameter_on_postgresql(people: list[Person]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite binds each id (in C)")
    _sql, params = Person.objects.filter(pk__any_of=[p.pk for p in people]).query.sql_with_params()
    assert list(params) == [[p.pk for p in people]]
