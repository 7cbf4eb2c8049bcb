"""The village's rule set, readable by every villager."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from villagegov.models import Body, Village


def url(village: Village) -> str:
    return reverse("rule_set", args=[village.admin_code])


def test_every_villager_reads_every_body_rule(village: Village, resident_client: Client) -> None:
    response = resident_client.get(url(village))
    assert response.status_code == 200
    page = response.content.decode()
    assert village.rule_set.name_zh in page
    entries = response.context["body_rules"]
    assert [entry.body_rule.body for entry in entries] == [body.value for body in Body]
    assert "过半数" in page and "三分之二以上" in page and "十分之一以上" in page
    assert "第二十二条" in page and "第二十七条" in page


def test_in_english_with_dates_notice_and_advice(village: Village, resident_client: Client) -> None:
    resident_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = resident_client.get(url(village)).content.decode()
    assert village.rule_set.name_en in page
    assert "2025" in page  # in force from 1 May 2025
    assert "10 days" in page  # notice of the villagers' and members' assemblies
    assert "advisory" in page
    assert "at least 2/3" in page and "all members of the body" in page
    assert "Arts. 21–22" in page


def test_other_village_and_anonymous(village: Village, outsider_client: Client) -> None:
    assert outsider_client.get(url(village)).status_code == 404
    response = Client().get(url(village))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
