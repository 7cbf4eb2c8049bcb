"""Officials issue an invitation code for a villager on the roster."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from villagegov.models import AuditRecord, Invitation, Person, Role, Village
from villagegov.services.invitations import INVITATION_ALPHABET, invitation_issue
from villagegov.testing import client_for, make_person
from villagegov.tests.accounts_testing import record_locks


def issue_url(village: Village, person: Person) -> str:
    return reverse("invitation_issue", args=[village.admin_code, person.pk])


# The service --------------------------------------------------------------------------------


def test_issue_makes_an_unambiguous_code_valid_for_30_days(official: Person, village: Village) -> None:
    person = make_person(village)
    assert official.user is not None
    before = timezone.now()

    invitation = invitation_issue(actor=official.user, person=person)

    assert len(invitation.code) == 8
    assert set(invitation.code) <= set(INVITATION_ALPHABET)
    assert not set(invitation.code) & set("01OIL")
    assert before + timedelta(days=30) <= invitation.expires_at <= timezone.now() + timedelta(days=30)
    assert invitation.created_by == official.user
    record = AuditRecord.objects.get(action="invitation.issue")
    assert record.village == village and record.actor == official.user
    assert invitation.code not in str(record.after)  # the code is a secret the audit log must not keep


def test_codes_differ(official: Person, village: Village) -> None:
    assert official.user is not None
    codes = {invitation_issue(actor=official.user, person=make_person(village)).code for _ in range(20)}
    assert len(codes) == 20


def test_issuing_again_revokes_the_open_invitation(official: Person, village: Village) -> None:
    person = make_person(village)
    assert official.user is not None
    first = invitation_issue(actor=official.user, person=person)

    second = invitation_issue(actor=official.user, person=person)

    first.refresh_from_db()
    assert first.revoked_at is not None
    assert second.revoked_at is None and second.code != first.code
    assert AuditRecord.objects.filter(action="invitation.revoke", target_id=str(first.pk)).exists()


def test_issuing_again_revokes_an_expired_open_invitation_too(official: Person, village: Village) -> None:
    person = make_person(village)
    assert official.user is not None
    first = invitation_issue(actor=official.user, person=person)
    Invitation.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(days=1))

    invitation_issue(actor=official.user, person=person)

    first.refresh_from_db()
    assert first.revoked_at is not None


@pytest.mark.parametrize("state", ["has_account", "left"])
def test_issue_is_refused_for_someone_with_an_account_or_gone(
    official: Person, village: Village, state: str
) -> None:
    person = make_person(village, with_account=state == "has_account")
    if state == "left":
        Person.objects.filter(pk=person.pk).update(left_on=timezone.localdate(), left_reason="moved")
    assert official.user is not None

    with pytest.raises(ValidationError):
        invitation_issue(actor=official.user, person=person)

    assert not Invitation.objects.exists()
    assert not AuditRecord.objects.filter(action="invitation.issue").exists()


# The view -----------------------------------------------------------------------------------


def test_official_sees_what_issuing_does(official_client: Client, village: Village) -> None:
    person = make_person(village, name="张小梅")
    response = official_client.get(issue_url(village, person))
    assert response.status_code == 200
    assert "张小梅" in response.content.decode()


def test_official_issues_and_is_sent_to_print_it(official_client: Client, village: Village) -> None:
    person = make_person(village)

    response = official_client.post(issue_url(village, person))

    invitation = Invitation.objects.get(person=person)
    assert response.status_code == 302
    assert response["Location"] == reverse("invitation_print", args=[village.admin_code, invitation.pk])


def test_clerk_may_issue_too(village: Village) -> None:
    clerk = make_person(village, roles=(Role.CLERK,), with_account=True)
    person = make_person(village)
    assert client_for(clerk).post(issue_url(village, person)).status_code == 302


def test_refusal_is_shown_and_nothing_changes(official_client: Client, village: Village) -> None:
    person = make_person(village, with_account=True)

    response = official_client.post(issue_url(village, person), headers={"accept-language": "en"})

    assert response.status_code == 400
    assert "already has an account" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", [None, Role.ACCOUNTANT, Role.SUPERVISOR, Role.REPRESENTATIVE])
def test_other_roles_are_refused(village: Village, role: Role | None) -> None:
    member = make_person(village, roles=(role,) if role else (), with_account=True)
    person = make_person(village)

    assert client_for(member).post(issue_url(village, person)).status_code == 403
    assert not Invitation.objects.exists()


def test_official_of_another_village_gets_404(outsider_client: Client, village: Village) -> None:
    person = make_person(village)
    assert outsider_client.post(issue_url(village, person)).status_code == 404
    assert not Invitation.objects.exists()


def test_person_of_another_village_gets_404(
    official_client: Client, village: Village, other_village: Village
) -> None:
    stranger = make_person(other_village)
    assert official_client.post(issue_url(village, stranger)).status_code == 404
    assert not Invitation.objects.exists()


def test_unknown_person_gets_404(official_client: Client, village: Village) -> None:
    response = official_client.post(f"/v/{village.admin_code}/people/999999999999/invitations/")
    assert response.status_code == 404


def test_anonymous_is_sent_to_log_in(village: Village) -> None:
    person = make_person(village)
    response = Client().post(issue_url(village, person))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Invitation.objects.exists()


def test_the_person_page_snippet_offers_issuing_to_officials_only(official: Person, village: Village) -> None:
    person = make_person(village)
    assert official.user is not None
    open_invitation = invitation_issue(actor=official.user, person=person)
    context = {"person": person, "village": village, "open_invitation": open_invitation}

    for_official = render_to_string(
        "villagegov/_invitation_actions.html", {**context, "allowed_actions": {"issue_invitation"}}
    )
    for_others = render_to_string(
        "villagegov/_invitation_actions.html", {**context, "allowed_actions": set()}
    )

    assert f'action="{issue_url(village, person)}"' in for_official
    assert reverse("invitation_print", args=[village.admin_code, open_invitation.pk]) in for_official
    assert "<form" not in for_others


def test_issue_locks_the_person_before_the_invitations(
    official: Person, village: Village, monkeypatch: pytest.MonkeyPatch
) -> None:
    # invitation_claim takes them in the same order; only the person's row, not their village's.
    person = make_person(village)
    assert official.user is not None
    locked = record_locks(monkeypatch)

    invitation_issue(actor=official.user, person=person)

    assert [lock for lock in locked if lock[0] in (Person, Invitation)] == [
        (Person, ("self",)),
        (Invitation, ()),
    ]
