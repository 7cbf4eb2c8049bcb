"""decision_create: a major decision to carry through 四议两公开."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from consultations.models import DecisionProcess
from consultations.services.decisions import decision_create
from villagegov.models import AuditRecord, Person, User, Village

pytestmark = pytest.mark.usefixtures("english")


def url(village: Village) -> str:
    return reverse("decision_create", args=[village.admin_code])


def test_creates_and_audits(village: Village, actor: User) -> None:
    process = decision_create(actor=actor, village=village, title=" 村道修建 ", matter="collective_project")
    assert (process.title, process.matter, process.village) == ("村道修建", "collective_project", village)
    assert AuditRecord.objects.filter(action="decision.create").count() == 1


def test_matter_is_optional(village: Village, actor: User) -> None:
    assert decision_create(actor=actor, village=village, title="事项").matter == ""


def test_refuses_empty_title_and_unknown_matter(village: Village, actor: User) -> None:
    with pytest.raises(ValidationError, match="Enter the matter"):
        decision_create(actor=actor, village=village, title="  ")
    with pytest.raises(ValidationError, match="from the list"):
        decision_create(actor=actor, village=village, title="x", matter="nonsense")
    assert not DecisionProcess.objects.exists()


def test_only_those_who_record_decisions_may_create(village: Village, resident: Person) -> None:
    assert resident.user is not None
    with pytest.raises(ValidationError, match="record major decisions"):
        decision_create(actor=resident.user, village=village, title="修路")
    assert not DecisionProcess.objects.exists() and not AuditRecord.objects.exists()


def test_page_get_and_post(village: Village, official_client: Client) -> None:
    assert official_client.get(url(village)).status_code == 200
    response = official_client.post(url(village), {"title": "修路", "matter": ""})
    process = DecisionProcess.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("decision_detail", args=[village.admin_code, process.pk])


def test_page_invalid_is_400(village: Village, official_client: Client) -> None:
    assert official_client.post(url(village), {"title": "", "matter": "x"}).status_code == 400
    assert official_client.post(url(village), {"title": "长" * 201}).status_code == 400
    assert not DecisionProcess.objects.exists()


def test_page_empty_post_is_400_with_the_messages(village: Village, official_client: Client) -> None:
    response = official_client.post(url(village), {})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not DecisionProcess.objects.exists()


def test_page_roles_villages_and_anonymous(
    village: Village, resident_client: Client, outsider_client: Client
) -> None:
    assert resident_client.get(url(village)).status_code == 403
    assert resident_client.post(url(village), {"title": "x"}).status_code == 403
    assert outsider_client.post(url(village), {"title": "x"}).status_code == 404
    response = Client().post(url(village), {"title": "x"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not DecisionProcess.objects.exists()
