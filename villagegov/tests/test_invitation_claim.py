"""A villager enters the invitation code, signs up, and the account claims their roster entry."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from villagegov import sms
from villagegov.models import AuditRecord, Invitation, Person, User, Village
from villagegov.selectors.invitations import PENDING_INVITATION_SESSION_KEY
from villagegov.services.invitations import invitation_claim, invitation_revoke
from villagegov.testing import client_for, make_person
from villagegov.tests.accounts_testing import (
    PASSWORD,
    english_client,
    enter_code,
    fresh_accounts,  # noqa: F401
    issue_for,
    last_sms_code,
    record_locks,
    sign_up,
)

pytestmark = pytest.mark.usefixtures("fresh_accounts")


# The service --------------------------------------------------------------------------------


def test_claim_links_the_person_marks_the_invitation_and_audits(village: Village) -> None:
    invitation = issue_for(village)
    user = User.objects.create_user(username="xiaomei", password=PASSWORD)

    person = invitation_claim(invitation=invitation, user=user)

    assert person.user == user
    invitation.refresh_from_db()
    assert invitation.claimed_at is not None
    actions = list(AuditRecord.objects.filter(actor=user).values_list("action", flat=True))
    assert sorted(actions) == ["invitation.claim", "person.claim_account"]
    assert all(invitation.code not in str(record.after) for record in AuditRecord.objects.all())


@pytest.mark.parametrize("state", ["revoked", "claimed", "expired", "left", "has_account"])
def test_claim_refuses_an_invitation_that_is_no_longer_open(village: Village, state: str) -> None:
    invitation = issue_for(village)
    person = invitation.person
    if state == "revoked":
        invitation_revoke(actor=invitation.created_by, invitation=invitation)
    elif state == "claimed":
        Invitation.objects.filter(pk=invitation.pk).update(claimed_at=timezone.now())
    elif state == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    elif state == "left":
        Person.objects.filter(pk=person.pk).update(left_on=timezone.localdate())
    else:
        Person.objects.filter(pk=person.pk).update(user=User.objects.create_user(username="other"))
    user = User.objects.create_user(username="xiaomei", password=PASSWORD)

    with pytest.raises(ValidationError):
        invitation_claim(invitation=invitation, user=user)

    assert not Person.objects.filter(user=user).exists()
    assert not AuditRecord.objects.filter(actor=user).exists()


def test_claim_refuses_a_second_person_in_the_same_village_for_one_account(village: Village) -> None:
    existing = make_person(village, with_account=True)
    invitation = issue_for(village)
    assert existing.user is not None

    with pytest.raises(ValidationError):
        invitation_claim(invitation=invitation, user=existing.user)

    invitation.refresh_from_db()
    assert invitation.claimed_at is None


# The pages ----------------------------------------------------------------------------------


def test_invite_page_asks_for_the_code() -> None:
    response = Client().get(reverse("invitation_claim"))
    assert response.status_code == 200
    assert 'for="id_code"' in response.content.decode()


def test_qr_target_prefills_the_code(village: Village) -> None:
    invitation = issue_for(village)
    response = Client().get(reverse("invitation_claim_code", args=[invitation.code]))
    assert response.status_code == 200
    assert f'value="{invitation.code}"' in response.content.decode()


def test_full_claim_journey_creates_a_linked_account_with_a_verified_phone(village: Village) -> None:
    invitation = issue_for(village, name="张小梅")
    client = Client()

    # Typed from paper: lower case with a space is fine.
    enter_code(client, f"{invitation.code[:4].lower()} {invitation.code[4:]}")
    signup_page = client.get(reverse("account_signup"))
    assert signup_page.status_code == 200
    page = signup_page.content.decode()
    assert "张小梅" in page and village.name in page
    for field in ("phone", "username", "password1", "password2"):
        assert f'for="id_{field}"' in page

    sign_up(client, phone="+86 138-0013-8000")

    user = User.objects.get(username="xiaomei")
    assert user.phone == "+8613800138000"
    assert not user.phone_verified
    assert Person.objects.get(pk=invitation.person_id).user == user
    invitation.refresh_from_db()
    assert invitation.claimed_at is not None
    assert PENDING_INVITATION_SESSION_KEY not in client.session
    assert sms.outbox[-1].phone == "+8613800138000"
    assert "_auth_user_id" not in client.session  # not logged in before the phone is verified

    verify_page = client.get(reverse("account_verify_phone"))
    assert verify_page.status_code == 200
    assert 'for="id_code"' in verify_page.content.decode()
    response = client.post(reverse("account_verify_phone"), {"code": last_sms_code()})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user.refresh_from_db()
    assert user.phone_verified
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    "typed", ["", "ABC", "ABCD-EFG1", "ABCDEFGHI", "<script>", "0OIL0OIL", "X" * 40, "２３４５６７８９Ａ"]
)
def test_malformed_codes_are_refused_clearly(typed: str) -> None:
    client = Client()
    response = client.post(reverse("invitation_claim"), {"code": typed})
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert PENDING_INVITATION_SESSION_KEY not in client.session


def test_unknown_code_is_refused(village: Village) -> None:
    issue_for(village)
    client = english_client()
    response = client.post(reverse("invitation_claim"), {"code": "22222222"})
    assert response.status_code == 400
    assert "No invitation has this code" in response.content.decode()
    assert PENDING_INVITATION_SESSION_KEY not in client.session


@pytest.mark.parametrize("state", ["revoked", "claimed", "expired", "has_account"])
def test_codes_no_longer_open_are_refused_and_change_nothing(village: Village, state: str) -> None:
    invitation = issue_for(village)
    if state == "revoked":
        invitation_revoke(actor=invitation.created_by, invitation=invitation)
    elif state == "claimed":
        Invitation.objects.filter(pk=invitation.pk).update(claimed_at=timezone.now())
    elif state == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    else:
        Person.objects.filter(pk=invitation.person_id).update(user=User.objects.create_user(username="other"))
    before = Invitation.objects.values().get(pk=invitation.pk)
    client = Client()

    response = client.post(reverse("invitation_claim"), {"code": invitation.code})

    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert PENDING_INVITATION_SESSION_KEY not in client.session
    assert Invitation.objects.values().get(pk=invitation.pk) == before


def test_signup_without_an_invitation_explains_how_accounts_are_made() -> None:
    client = english_client()
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "invitation code from the village committee" in response.content.decode()
    assert 'name="password1"' not in response.content.decode()

    response = client.post(
        reverse("account_signup"),
        {"phone": "13800138000", "username": "intruder", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert not User.objects.filter(username="intruder").exists()


def test_signup_closes_when_the_invitation_is_cancelled_after_the_code_was_entered(village: Village) -> None:
    invitation = issue_for(village)
    client = Client()
    enter_code(client, invitation.code)
    invitation_revoke(actor=invitation.created_by, invitation=invitation)

    client.post(
        reverse("account_signup"),
        {"phone": "13800138000", "username": "xiaomei", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert not User.objects.filter(username="xiaomei").exists()


def test_signup_form_errors_change_nothing(village: Village) -> None:
    invitation = issue_for(village)
    taken = User.objects.create_user(username="taken", password=PASSWORD)
    taken.phone = "+8613900139000"
    taken.save()
    client = Client()
    enter_code(client, invitation.code)

    for data in (
        {"phone": "12345", "username": "xiaomei"},
        {"phone": "139 0013 9000", "username": "xiaomei"},  # number already has an account
        {"phone": "13800138000", "username": "13700137000"},  # a username that is a phone number
        {"phone": "13800138000", "username": "taken"},
    ):
        response = client.post(
            reverse("account_signup"), {**data, "password1": PASSWORD, "password2": PASSWORD}
        )
        assert response.status_code == 200, data
        assert 'class="errorlist' in response.content.decode(), data

    assert not User.objects.filter(username="xiaomei").exists()
    assert not User.objects.filter(phone="+8613800138000").exists()
    invitation.refresh_from_db()
    assert invitation.claimed_at is None
    assert sms.outbox == []


def test_a_logged_in_user_claims_an_invitation_of_another_village(
    village: Village, other_village: Village
) -> None:
    member = make_person(other_village, with_account=True)
    invitation = issue_for(village, name="张小梅")
    client = client_for(member)

    response = client.post(reverse("invitation_claim"), {"code": invitation.code})

    assert response.status_code == 302
    assert response["Location"] == reverse("village_dashboard", args=[village.admin_code])
    assert Person.objects.get(pk=invitation.person_id).user == member.user


def test_a_logged_in_user_already_on_the_roster_cannot_claim_a_second_person(village: Village) -> None:
    member = make_person(village, with_account=True)
    invitation = issue_for(village)

    response = client_for(member).post(reverse("invitation_claim"), {"code": invitation.code})

    assert response.status_code == 400
    assert Person.objects.get(pk=invitation.person_id).user is None


def test_guessing_codes_is_throttled(village: Village) -> None:
    invitation = issue_for(village)
    client = Client()
    for guess in range(10):
        response = client.post(reverse("invitation_claim"), {"code": f"2222222{guess + 2}"})
        assert response.status_code == 400

    response = client.post(reverse("invitation_claim"), {"code": invitation.code})

    assert response.status_code == 429
    assert PENDING_INVITATION_SESSION_KEY not in client.session


def test_correct_codes_are_not_counted_by_the_throttle(village: Village) -> None:
    for _ in range(12):
        invitation = issue_for(village)
        enter_code(Client(), invitation.code)


def test_a_claim_refused_at_the_last_moment_leaves_no_account(
    village: Village, monkeypatch: pytest.MonkeyPatch
) -> None:
    invitation = issue_for(village)
    client = english_client()
    enter_code(client, invitation.code)

    def refuse(**kwargs: object) -> Person:
        raise ValidationError("This invitation code was cancelled.")

    # The code is cancelled between the signup page's check and the claim itself.
    monkeypatch.setattr("villagegov.adapters.invitation_claim", refuse)
    response = client.post(
        reverse("account_signup"),
        {"phone": "13800138000", "username": "xiaomei", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[0] == (reverse("invitation_claim"), 302)
    assert "This invitation code was cancelled." in response.content.decode()
    assert not User.objects.filter(username="xiaomei").exists()
    assert sms.outbox == []


def guess_wrong_codes(client: Client, times: int) -> list[int]:
    return [
        client.post(reverse("invitation_claim"), {"code": f"2222222{guess % 8 + 2}"}).status_code
        for guess in range(times)
    ]


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_throttle_counts_per_client_not_per_proxy(village: Village) -> None:
    # Both come through the same proxy (REMOTE_ADDR 127.0.0.1); the proxy names the client.
    guesser = Client(headers={"x-forwarded-for": "203.0.113.7"})
    neighbour = Client(headers={"x-forwarded-for": "203.0.113.8"})
    invitation = issue_for(village)

    assert guess_wrong_codes(guesser, 11)[-1] == 429
    enter_code(neighbour, invitation.code)


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_a_forged_address_in_front_does_not_escape_the_throttle(village: Village) -> None:
    # nginx appending to the header: the client's own entries come first, the proxy's last.
    assert guess_wrong_codes(Client(headers={"x-forwarded-for": "198.51.100.1, 203.0.113.7"}), 10)
    forged = Client(headers={"x-forwarded-for": "198.51.100.2, 203.0.113.7"})

    assert guess_wrong_codes(forged, 1) == [429]


def test_without_a_trusted_proxy_a_forged_header_does_not_escape_the_throttle(village: Village) -> None:
    guess_wrong_codes(Client(headers={"x-forwarded-for": "203.0.113.7"}), 10)

    assert guess_wrong_codes(Client(headers={"x-forwarded-for": "203.0.113.8"}), 1) == [429]


def test_claim_locks_the_person_before_the_invitation(
    village: Village, monkeypatch: pytest.MonkeyPatch
) -> None:
    # invitation_issue locks person then invitations; the opposite order here could deadlock.
    invitation = issue_for(village)
    user = User.objects.create_user(username="xiaomei", password=PASSWORD)
    locked = record_locks(monkeypatch)

    invitation_claim(invitation=invitation, user=user)

    assert [lock for lock in locked if lock[0] in (Person, Invitation)] == [
        (Person, ("self",)),
        (Invitation, ()),
    ]
