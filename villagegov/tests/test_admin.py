"""The Django admin: every model reachable, the audit log read-only, writes audited without secrets."""

import json
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from villagegov.models import (
    AuditChainHead,
    AuditRecord,
    Body,
    CouncilSeat,
    Household,
    Invitation,
    Kinship,
    Person,
    Relation,
    Role,
    RoleAssignment,
    User,
    Village,
    VillagerGroup,
)
from villagegov.services.audit import audit_chain_verify, audit_record, snapshot
from villagegov.services.invitations import INVITATION_ALPHABET, INVITATION_CODE_LENGTH
from villagegov.testing import make_person


@pytest.fixture
def superuser(db: None) -> User:
    return User.objects.create_superuser(username="root", password="root-pass-123")


@pytest.fixture
def superuser_client(superuser: User) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def populated(village: Village, official: Person, resident: Person) -> AuditRecord:
    """One object of every model, so each changelist and change page shows a row."""
    group = VillagerGroup.objects.create(village=village, number=1, name="第一村民小组")
    household = Household.objects.create(village=village, group=group, number="01001", head=resident)
    resident.household = household
    resident.save(update_fields=["household"])
    Kinship.objects.create(person=official, relative=resident, relation=Relation.SIBLING)
    Kinship.objects.create(person=resident, relative=official, relation=Relation.SIBLING)
    # The official's seat on the village committee makes them a committee member.
    assert CouncilSeat.objects.filter(person=official, council__body=Body.VILLAGE_COMMITTEE).exists()
    RoleAssignment.objects.create(person=official, role=Role.CLERK, starts_on=date(2024, 1, 1))
    assert official.user is not None
    Invitation.objects.create(
        person=resident,
        code="ABCD1234",
        created_by=official.user,
        expires_at=timezone.now() + timedelta(days=7),
    )
    return audit_record(actor=official.user, village=village, action="person.create", target=resident)


def test_superuser_opens_every_changelist_add_and_change_page(
    superuser: User, superuser_client: Client, populated: AuditRecord
) -> None:
    request = RequestFactory().get("/admin/")
    request.user = superuser
    assert Person in admin.site._registry and AuditRecord in admin.site._registry
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        response = superuser_client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert response.status_code == 200, model
        if model_admin.has_add_permission(request):
            response = superuser_client.get(reverse("admin:{}_{}_add".format(*info)))
            assert response.status_code == 200, model
        first = model._default_manager.first()
        if first is not None:
            response = superuser_client.get(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            assert response.status_code == 200, model


def test_every_villagegov_model_is_registered() -> None:
    from django.apps import apps

    models = set(apps.get_app_config("villagegov").get_models())
    assert models <= set(admin.site._registry)


def test_changelist_search_works_on_people(superuser_client: Client, populated: AuditRecord) -> None:
    response = superuser_client.get(reverse("admin:villagegov_person_changelist"), {"q": "李阿婆"})
    assert response.status_code == 200
    assert "李阿婆" in response.content.decode()
    assert "陈主任" not in response.content.decode()


@pytest.mark.parametrize("model", [AuditRecord, AuditChainHead])
def test_audit_log_cannot_be_added_changed_or_deleted(
    superuser_client: Client, populated: AuditRecord, model: type[AuditRecord] | type[AuditChainHead]
) -> None:
    obj = model._default_manager.get()
    stored = snapshot(obj)
    name = model._meta.model_name
    change_url = reverse(f"admin:villagegov_{name}_change", args=[obj.pk])

    page = superuser_client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert superuser_client.post(change_url, {"action": "forged", "seq": 99}).status_code == 403
    assert superuser_client.get(reverse(f"admin:villagegov_{name}_delete", args=[obj.pk])).status_code == 403
    assert (
        superuser_client.post(
            reverse(f"admin:villagegov_{name}_delete", args=[obj.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert superuser_client.get(reverse(f"admin:villagegov_{name}_add")).status_code == 403
    bulk_delete = superuser_client.post(
        reverse(f"admin:villagegov_{name}_changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    assert bulk_delete.status_code in (200, 302)

    obj.refresh_from_db()
    assert snapshot(obj) == stored
    assert model._default_manager.count() == 1
    assert audit_chain_verify().ok


def test_non_staff_user_is_redirected_to_the_admin_login(resident_client: Client, client: Client) -> None:
    for visitor in (resident_client, client):
        response = visitor.get(reverse("admin:villagegov_person_changelist"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_admin_is_titled_with_the_product_name(superuser_client: Client) -> None:
    assert admin.site.site_header == settings.VILLAGEGOV_APP_TITLE
    response = superuser_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert str(settings.VILLAGEGOV_APP_TITLE) in response.content.decode()


def test_a_change_made_in_the_admin_is_audited(
    superuser: User, superuser_client: Client, village: Village
) -> None:
    clerk = make_person(village, roles=(Role.CLERK,))
    assignment = RoleAssignment.objects.get(person=clerk, role=Role.CLERK)
    response = superuser_client.post(
        reverse("admin:villagegov_roleassignment_change", args=[assignment.pk]),
        {
            "person": clerk.pk,
            "role": Role.ACCOUNTANT,
            "starts_on": "2020-01-01",
            "ends_on": "",
            "note": "报账",
        },
    )
    assert response.status_code == 302

    assignment.refresh_from_db()
    assert assignment.role == Role.ACCOUNTANT
    record = AuditRecord.objects.get(action="admin.change")
    assert record.actor == superuser and record.village == village
    assert record.before is not None and record.before["role"] == Role.CLERK
    assert record.after is not None and record.after["role"] == Role.ACCOUNTANT
    assert audit_chain_verify().ok


def test_a_deletion_in_the_admin_is_audited(superuser_client: Client, village: Village) -> None:
    person, relative = make_person(village), make_person(village)
    kinship = Kinship.objects.create(person=person, relative=relative, relation=Relation.SPOUSE)

    response = superuser_client.post(
        reverse("admin:villagegov_kinship_delete", args=[kinship.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Kinship.objects.filter(pk=kinship.pk).exists()
    record = AuditRecord.objects.get(action="admin.delete")
    assert record.target_id == str(kinship.pk) and record.village == village and record.after is None


def test_account_changes_in_the_admin_keep_password_hashes_out_of_the_log(
    superuser_client: Client, resident: Person
) -> None:
    user = resident.user
    assert user is not None
    url = reverse("admin:villagegov_user_change", args=[user.pk])
    form = superuser_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update({"phone": "+8613900000001", "phone_verified": "on", "date_joined_0": "2024-01-01"})
    data.update({"date_joined_1": "08:00:00", "last_login_0": "", "last_login_1": ""})
    data.pop("groups", None)
    data.pop("user_permissions", None)

    response = superuser_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.phone == "+8613900000001"
    record = AuditRecord.objects.get(action="admin.change")
    assert record.after is not None and record.after["phone"] == "+8613900000001"
    assert "password" not in record.after and record.before is not None and "password" not in record.before


def codes_in_the_audit_log(code: str) -> list[int]:
    return [
        record.seq
        for record in AuditRecord.objects.all()
        if code in json.dumps([record.before, record.after, record.target_repr, record.target_id])
    ]


def test_an_invitation_added_in_the_admin_gets_a_drawn_code_kept_out_of_the_log(
    superuser_client: Client, official: Person, resident: Person
) -> None:
    assert official.user is not None
    response = superuser_client.post(
        reverse("admin:villagegov_invitation_add"),
        {
            "person": resident.pk,
            "code": "CHOSEN22",  # read-only: ignored
            "created_by": official.user.pk,
            "expires_at_0": "2030-01-01",
            "expires_at_1": "08:00:00",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    invitation = Invitation.objects.get(person=resident)
    assert invitation.code != "CHOSEN22"
    assert len(invitation.code) == INVITATION_CODE_LENGTH and set(invitation.code) <= set(INVITATION_ALPHABET)
    record = AuditRecord.objects.get(action="admin.add")
    assert (
        record.after is not None and record.after["person_id"] == resident.pk and "code" not in record.after
    )
    assert codes_in_the_audit_log(invitation.code) == []


def test_an_invitation_changed_or_deleted_in_the_admin_leaves_its_code_out_of_the_log(
    superuser_client: Client, populated: AuditRecord
) -> None:
    invitation = Invitation.objects.get(code="ABCD1234")
    change_url = reverse("admin:villagegov_invitation_change", args=[invitation.pk])
    assert "ABCD1234" in superuser_client.get(change_url).content.decode()  # shown, not editable
    response = superuser_client.post(
        change_url,
        {
            "person": invitation.person_id,
            "code": "CHOSEN22",
            "created_by": invitation.created_by_id,
            "expires_at_0": "2030-01-01",
            "expires_at_1": "08:00:00",
            "revoked_at_0": "2025-01-01",
            "revoked_at_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    invitation.refresh_from_db()
    assert invitation.code == "ABCD1234" and invitation.revoked_at is not None

    superuser_client.post(
        reverse("admin:villagegov_invitation_delete", args=[invitation.pk]), {"post": "yes"}
    )

    assert not Invitation.objects.exists()
    assert list(AuditRecord.objects.filter(action__startswith="admin.").values_list("action", flat=True)) == [
        "admin.change",
        "admin.delete",
    ]
    assert codes_in_the_audit_log("ABCD1234") == []
    assert audit_chain_verify().ok


def test_the_audit_verifications_are_read_only(superuser_client: Client) -> None:
    assert superuser_client.get(reverse("admin:villagegov_auditverification_changelist")).status_code == 200
    assert superuser_client.get(reverse("admin:villagegov_auditverification_add")).status_code == 403
