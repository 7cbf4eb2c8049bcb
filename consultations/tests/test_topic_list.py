"""The list of residents' matters: one's own first, state badges in words, support against the
number needed, filter by state, pages, enough-support first for the committee, bounded queries."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import DjangoAssertNumQueries, Settings

from consultations.models import TopicState
from consultations.services.topics import topic_answer
from villagegov.models import Person, User, Village
from villagegov.testing import make_person

from .topics_testing import raise_topic, support, supporters

pytestmark = pytest.mark.usefixtures("english")


def url(village: Village, query: str = "") -> str:
    return reverse("topic_list", args=[village.admin_code]) + query


def test_what_i_raised_comes_first_with_what_became_of_it(
    village: Village, resident: Person, resident_client: Client, actor: User
) -> None:
    mine = raise_topic(resident, title="我的路灯")
    raise_topic(make_person(village, with_account=True), title="别人的水渠")
    topic_answer(actor=actor, topic=mine, outcome=TopicState.DECLINED, answer="预算不够")
    response = resident_client.get(url(village))
    assert response.status_code == 200
    assert [t.title for t in response.context["mine"]] == ["我的路灯"]
    text = response.content.decode()
    assert text.index("What I raised") < text.index("All matters")
    assert "预算不够" in text and "declined" in text


def test_support_is_shown_against_the_number_needed(
    village: Village, resident: Person, resident_client: Client, settings: Settings
) -> None:
    settings.VILLAGEGOV_TOPIC_SUPPORT_NEEDED = 10
    topic = raise_topic(resident)
    for person in supporters(village, 2):
        support(person, topic)
    response = resident_client.get(url(village))
    assert "2 supporters of 10 needed" in response.content.decode()
    assert b'<progress value="2" max="10"' in response.content


def test_filter_by_state_and_ignore_an_unknown_state(
    village: Village, resident: Person, resident_client: Client, actor: User
) -> None:
    handled = raise_topic(resident, title="已处理的事")
    raise_topic(resident, title="等答复的事")
    topic_answer(actor=actor, topic=handled, outcome=TopicState.HANDLED, answer="修好了")
    page = resident_client.get(url(village, "?state=handled")).context["topics_page"]
    assert [t.title for t in page] == ["已处理的事"]
    response = resident_client.get(url(village, "?state=<script>"))
    assert response.status_code == 200 and len(response.context["topics_page"].object_list) == 2


def test_the_committee_sees_matters_with_enough_support_waiting_first(
    village: Village, official_client: Client, resident: Person, settings: Settings
) -> None:
    settings.VILLAGEGOV_TOPIC_SUPPORT_NEEDED = 2
    supported = raise_topic(resident, title="够人数的事")
    for person in supporters(village, 2):
        support(person, supported)
    raise_topic(resident, title="新的事")  # newer, but not enough support
    titles = [t.title for t in official_client.get(url(village)).context["topics_page"]]
    assert titles == ["够人数的事", "新的事"]
    assert "enough support" in official_client.get(url(village)).content.decode()


def test_pages_of_twenty(village: Village, resident: Person, resident_client: Client) -> None:
    for i in range(23):
        raise_topic(resident, title=f"事{i}")
    first = resident_client.get(url(village)).context["topics_page"]
    assert len(first.object_list) == 20 and first.paginator.count == 23
    assert first.object_list[0].title == "事22"  # newest first
    second = resident_client.get(url(village, "?page=2")).context["topics_page"]
    assert len(second.object_list) == 3
    assert resident_client.get(url(village, "?page=99999999999999999999")).status_code == 200


def test_queries_are_bounded(
    village: Village,
    resident: Person,
    resident_client: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for person in supporters(village, 12):
        topic = raise_topic(person)
        support(resident, topic)
    raise_topic(resident)
    with django_assert_max_num_queries(25):
        assert resident_client.get(url(village)).status_code == 200


def test_another_villages_list_is_not_found(village: Village, outsider_client: Client) -> None:
    assert outsider_client.get(url(village)).status_code == 404


def test_anonymous_is_sent_to_log_in(village: Village) -> None:
    response = Client().get(url(village))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
