"""The village's audit log page: newest first, who did what, the diff, and the chain's state."""

from datetime import date

from django.conf import settings
from django.test import Client
from django.urls import reverse

from villagegov.models import AuditRecord, Body, Person, Role, SeatPosition, User, Village
from villagegov.services.audit import audit_chain_check, audit_record
from villagegov.services.councils import council_create, council_seat_add, council_seat_end
from villagegov.testing import client_for, make_person

from .test_audit_chain import alter_action


def url(village: Village) -> str:
    return reverse("audit_log", args=[village.admin_code])


def test_lists_records_newest_first_with_who_and_changes(
    village: Village, official: Person, actor: User, official_client: Client
) -> None:
    official_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    board = council_create(actor=actor, village=village, body=Body.BOARD, name="理事会")
    seat = council_seat_add(
        actor=actor,
        council=board,
        person=make_person(village, name="王理事"),
        position=SeatPosition.MEMBER,
        starts_on=date(2024, 1, 1),
    )
    council_seat_end(actor=actor, seat=seat, ends_on=date(2099, 12, 31))
    audit_chain_check()
    response = official_client.get(url(village))
    assert response.status_code == 200
    entries = response.context["entries"]
    assert [entry.record.action for entry in entries] == [
        "council.seat_end",
        "council.seat_add",
        "council.create",
    ]
    assert {entry.who for entry in entries} == {official.name}
    ended = entries[0].changes
    assert [(change.field, change.before, change.after) for change in ended] == [
        ("term ends", "—", "2099-12-31")
    ]
    created = {change.field: change.after for change in entries[2].changes}
    assert created["body"] == "board of the collective (理事会)"  # the choice's label, not its code
    assert created["villager group"] == "—"
    added = {change.field: change.after for change in entries[1].changes}
    assert added["person"] == f"#{seat.person_id}"
    page = response.content.decode()
    assert "王理事" in page and "理事会" in page and "2099-12-31" in page
    assert 'class="badge badge-ok"' in page
    assert "3 records checked" in page
    assert "seat term ended" in page and "council.seat_end" not in page  # the action in words


def test_shows_only_this_villages_records(
    village: Village, other_village: Village, official_client: Client
) -> None:
    audit_record(actor=None, village=other_village, action="test.other", target=other_village)
    audit_record(actor=None, village=village, action="test.mine", target=village)
    entries = official_client.get(url(village)).context["entries"]
    assert [entry.record.action for entry in entries] == ["test.mine"]


def test_shows_where_the_chain_is_broken(village: Village, official_client: Client) -> None:
    for _ in range(3):
        audit_record(actor=None, village=village, action="test.write", target=village)
    alter_action(2)
    audit_chain_check()
    response = official_client.get(url(village))
    assert response.context["verification"].broken_seq == 2
    page = response.content.decode()
    assert 'class="badge badge-bad"' in page and "#2" in page


def test_says_when_the_chain_was_never_verified(village: Village, official_client: Client) -> None:
    audit_record(actor=None, village=village, action="test.write", target=village)
    page = official_client.get(url(village)).content.decode()
    assert 'class="badge badge-warn"' in page and "verify_audit_log" in page


def test_the_page_shows_the_stored_result_without_rehashing(
    village: Village, official_client: Client
) -> None:
    for _ in range(2):
        audit_record(actor=None, village=village, action="test.write", target=village)
    audit_chain_check()
    alter_action(1)  # after the verification: only the next run may notice
    assert official_client.get(url(village)).context["verification"].ok
    audit_chain_check()
    assert official_client.get(url(village)).context["verification"].broken_seq == 1


def test_pages(village: Village, official_client: Client) -> None:
    for _ in range(55):
        audit_record(actor=None, village=village, action="test.write", target=village)
    first = official_client.get(url(village))
    assert [e.record.seq for e in first.context["entries"]][:2] == [55, 54]
    last = official_client.get(url(village), {"page": 2})
    assert [e.record.seq for e in last.context["entries"]] == [5, 4, 3, 2, 1]
    assert official_client.get(url(village), {"page": "x"}).status_code == 200
    assert official_client.get(url(village), {"page": str(2**70)}).status_code == 200


def test_supervisors_may_read_it_residents_may_not(village: Village, resident_client: Client) -> None:
    supervisor = make_person(village, roles=(Role.SUPERVISOR,), with_account=True)
    assert client_for(supervisor).get(url(village)).status_code == 200
    assert resident_client.get(url(village)).status_code == 403


def test_other_village_and_anonymous(village: Village, outsider_client: Client) -> None:
    audit_record(actor=None, village=village, action="test.secret", target=village)
    response = outsider_client.get(url(village))
    assert response.status_code == 404
    assert "test.secret" not in response.content.decode()
    response = Client().get(url(village))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert AuditRecord.objects.count() == 1
