"""Evidence is served only to those who may read the village's reviews, and to the person
responsible for the finding whose answer it is attached to: with its type, nosniff, and a safe
file name; never to another villager or another village."""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from supervision.models import Evidence, Finding, FindingResponse
from supervision.tests.reviews_testing import PDF_BYTES, committee, make_evidence, make_review
from villagegov.models import Person, Role, Village
from villagegov.testing import client_for, make_person

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def url(evidence: Evidence) -> str:
    return reverse("evidence_file", args=[evidence.review.village.admin_code, evidence.pk])


def answer_with_evidence(village: Village, responsible: Person) -> Evidence:
    review = make_review(village)
    finding = Finding.objects.create(
        review=review,
        description="缺少签字",
        required_action="补签",
        responsible=responsible,
        deadline=timezone.localdate(),
        created_by=review.opened_by,
        created_at=timezone.now(),
    )
    response = FindingResponse.objects.create(
        finding=finding, text="已补签", responded_by=responsible, responded_at=timezone.now()
    )
    return make_evidence(
        review, content=PNG_BYTES, name="补签.png", content_type="image/png", response=response
    )


@pytest.mark.django_db
def test_served_to_those_who_read_reviews_with_safe_headers(
    village: Village, media: Path, official_client: Client
) -> None:
    evidence = make_evidence(make_review(village), name='"; filename=evil.html')
    supervisor = committee(village, 3)[0]
    accountant = make_person(village, roles=(Role.ACCOUNTANT,), with_account=True)
    for client in (official_client, client_for(supervisor), client_for(accountant)):
        response = client.get(url(evidence))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        disposition = response["Content-Disposition"]
        assert disposition == f'attachment; filename="evidence-{evidence.pk}.bin"'
        assert "evil" not in disposition


@pytest.mark.django_db
def test_a_picture_is_shown_inline(village: Village, media: Path, official_client: Client) -> None:
    evidence = answer_with_evidence(village, make_person(village))
    response = official_client.get(url(evidence))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")


@pytest.mark.django_db
def test_a_stored_type_we_do_not_serve_is_sent_as_octet_stream(
    village: Village, media: Path, official_client: Client
) -> None:
    evidence = make_evidence(make_review(village), content_type="text/html")
    assert official_client.get(url(evidence))["Content-Type"] == "application/octet-stream"


@pytest.mark.django_db
def test_the_responsible_person_reads_the_evidence_of_their_answer_only(
    village: Village, media: Path
) -> None:
    responsible = make_person(village, name="出纳小李", with_account=True)
    theirs = answer_with_evidence(village, responsible)
    someone_elses = answer_with_evidence(village, make_person(village))
    of_the_review = make_evidence(theirs.review)
    client = client_for(responsible)
    assert client.get(url(theirs)).status_code == 200
    assert client.get(url(someone_elses)).status_code == 403
    assert client.get(url(of_the_review)).status_code == 403


@pytest.mark.django_db
def test_refused_to_others(
    village: Village, other_village: Village, media: Path, resident_client: Client, outsider_client: Client
) -> None:
    evidence = make_evidence(make_review(village))
    assert resident_client.get(url(evidence)).status_code == 403
    assert outsider_client.get(url(evidence)).status_code == 404
    anonymous = Client().get(url(evidence))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    # Another village's evidence under this village's address is not found, even by its readers.
    foreign = make_evidence(make_review(other_village))
    wrong = reverse("evidence_file", args=[village.admin_code, foreign.pk])
    supervisor = committee(village, 3)[0]
    assert client_for(supervisor).get(wrong).status_code == 404
    assert client_for(supervisor).post(url(evidence)).status_code == 405


@pytest.mark.django_db
def test_a_missing_file_is_not_found(village: Village, media: Path, official_client: Client) -> None:
    evidence = make_evidence(make_review(village))
    Path(evidence.file.path).unlink()
    assert official_client.get(url(evidence)).status_code == 404
