"""Every response carries the Content-Security-Policy, and the pages pass it: no inline script or
style, no on*="" handler, no javascript: URL, on every page of the permission walker's village
(as the holder of each page's role), on the account pages and in the admin. The browser test
e2e/test_content_security_policy.py checks the same pages raise no violation in Chromium."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from villagegov.middleware import ContentSecurityPolicyMiddleware
from villagegov.models import Role, User
from villagegov.permissions import ROLES_ALLOWED, Action
from villagegov.testing import client_for
from villagegov.tests import test_permission_walker as walker
from villagegov.tests.test_permission_walker import ACCESS, APP_URLS, VILLAGE_URLS, World, url_of

world = walker.world  # the walker's village, as a fixture of this module

PASSWORD = "village-pass-123"  # make_person's
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' ws://testserver; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href"}
# <script> elements the browser does not run (data for a static script, e.g. json_script).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class InlineCodeFinder(HTMLParser):
    """Collects what a policy without 'unsafe-inline' would block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocked: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        runs = (attributes.get("type") or "").lower() not in DATA_SCRIPT_TYPES
        if tag == "script" and "src" not in attributes and runs:
            self.blocked.append(f"<script> without src: {self.getpos()}")
        if tag == "style":
            self.blocked.append(f"<style> element: {self.getpos()}")
        for name, value in attrs:
            if name.startswith("on"):
                self.blocked.append(f"<{tag} {name}=…>")
            elif name == "style":
                self.blocked.append(f'<{tag} style="{value}">')
            elif name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.blocked.append(f"<{tag} {name}={value}>")


def blocked_by_the_policy(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.blocked


def checked_page(client: Client, url: str) -> None:
    """Assert the page carries the policy and needs nothing it forbids."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Security-Policy"] == POLICY, url
    assert blocked_by_the_policy(response.content.decode()) == [], url


def holder_of(world: World, action: Action) -> Client:
    """An official, or a supervisor for the supervision committee's own work."""
    return client_for(world.official if Role.COMMITTEE_MEMBER in ROLES_ALLOWED[action] else world.supervisor)


def test_the_finder_sees_what_the_policy_blocks() -> None:
    page = (
        '<p style="color:red" onclick="x()"><a href=" JavaScript:alert(1)">a</a></p><style>p{}</style>'
        '<script>alert(1)</script><script type="application/json">{}</script><script src="/s.js"></script>'
    )
    assert len(blocked_by_the_policy(page)) == 5


@pytest.mark.parametrize("page", VILLAGE_URLS, ids=lambda page: page.name)
def test_village_pages_pass_the_policy(world: World, page: walker.Page) -> None:
    action = ACCESS[page.name]
    assert isinstance(action, Action)
    client = holder_of(world, action)
    url = url_of(page, world)
    response = client.get(url)
    if response.status_code == 405:  # an action's form lives on another page
        return
    if not response["Content-Type"].startswith("text/html"):
        # A file or an export: served under the uploads' sandbox, or under ours (never rendered).
        assert response["Content-Security-Policy"] in (POLICY, "default-src 'none'; sandbox"), url
        return
    checked_page(client, url)


def test_public_pages_pass_the_policy(world: World) -> None:
    public = [page for page in APP_URLS if ACCESS[page.name] == "public"]
    anonymous = Client()
    served = 0
    for page in public:
        url = url_of(page, world)
        if anonymous.get(url).status_code == 200:
            checked_page(anonymous, url)
            served += 1
    assert served >= 4


@pytest.mark.parametrize(
    "name",
    [
        "account_security",
        "mfa_index",
        "account_change_password",
        "account_change_phone",
        "account_reauthenticate",
        "notification_list",
    ],
)
def test_account_pages_pass_the_policy(world: World, name: str) -> None:
    checked_page(client_for(world.official), reverse(name))


def test_the_authenticator_set_up_passes_the_policy(world: World) -> None:
    """Its QR code is a data: image, which img-src allows."""
    client = client_for(world.official)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    checked_page(client, reverse("mfa_activate_totp"))
    assert 'src="data:image/svg+xml;base64,' in client.get(reverse("mfa_activate_totp")).content.decode()


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_entrance_pages_pass_the_policy(db: None, name: str) -> None:
    checked_page(Client(), reverse(name))


def test_the_admin_passes_the_policy(world: World) -> None:
    admin = User.objects.create_superuser(username="root", password="admin-pass-123")
    client = Client()
    client.force_login(admin)
    person = world.official
    for url in (
        reverse("admin:index"),
        reverse("admin:villagegov_person_changelist"),
        reverse("admin:villagegov_person_change", args=[person.pk]),
        reverse("admin:villagegov_village_add"),
    ):
        checked_page(client, url)


def test_redirects_and_errors_carry_the_policy(db: None) -> None:
    client = Client()
    for url, status in ((reverse("notification_list"), 302), ("/no-such-page/", 404)):
        response = client.get(url)
        assert response.status_code == status
        assert response["Content-Security-Policy"] == POLICY


def test_the_socket_origin_follows_the_scheme_and_host(db: None) -> None:
    response = Client().get(reverse("home"), secure=True, headers={"host": "localhost"})
    directives = dict(
        directive.split(" ", 1) for directive in response["Content-Security-Policy"].split("; ")
    )
    assert directives["connect-src"] == "'self' wss://localhost"


def test_a_stored_file_keeps_its_stricter_policy(world: World) -> None:
    url = reverse(
        "topic_photo",
        args=[world.village.admin_code, world.kwargs["topic_id"], world.kwargs["photo_id"]],
    )
    response = client_for(world.official).get(url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert ContentSecurityPolicyMiddleware.policy_for(response.wsgi_request) == POLICY
