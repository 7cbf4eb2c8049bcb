"""session_live: the server-rendered live regions live.js swaps in, the same as the page's."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from consultations.models import Session, SessionState
from consultations.tests.attendance_testing import make_session, representatives_meeting
from consultations.tests.polls_testing import open_motion_poll, seated_meeting
from villagegov.models import Person, Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


def url(session: Session, *, village_code: str | None = None, view: str = "") -> str:
    code = village_code or session.council.village.admin_code
    path = reverse("session_live", args=[code, session.pk])
    return f"{path}?view={view}" if view else path


# What differs from one rendering to the next by design: the CSRF token and a form's fresh client id.
TOKEN = re.compile(r'name="(csrfmiddlewaretoken|client_id)" value="[^"]*"')


def after(html: str, marker: str) -> str:
    return TOKEN.sub("", html.split(marker, 1)[1])


def test_a_member_gets_the_live_regions(village: Village, resident_client: Client) -> None:
    session = make_session(representatives_meeting(village), state=SessionState.OPEN)
    response = resident_client.get(url(session))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-live-region="state"' in html and 'data-live-region="panels"' in html
    assert "Attendance and quorum" in html
    assert "<html" not in html  # a fragment, not a page
    assert "no-cache" in response.headers.get("Cache-Control", "") or "max-age=0" in response.headers.get(
        "Cache-Control", ""
    )


def test_the_fragment_is_what_the_page_shows(village: Village) -> None:
    meeting = seated_meeting(village, members=3)
    open_motion_poll(meeting)
    client = client_for(meeting.members[1])
    page = client.get(
        reverse("session_detail", args=[village.admin_code, meeting.session.pk])
    ).content.decode()
    fragment = client.get(url(meeting.session)).content.decode()
    for name in ("state", "panels"):
        marker = f'data-live-region="{name}"'
        assert page.count(marker) == fragment.count(marker) == 1
    assert after(page, 'data-live-region="state">').startswith(
        after(fragment, 'data-live-region="state">').split("</span>", 1)[0]
    )
    page_panels = after(page, 'data-live-region="panels">')
    fragment_panels = after(fragment, 'data-live-region="panels">')
    assert "poll-ballot" in fragment_panels  # the poll's panel is part of it
    # The fragment ends with the region; the page goes on after it.
    assert page_panels.startswith(fragment_panels.rstrip().removesuffix("</div>").rstrip())


def test_a_draft_is_not_found_for_a_resident(village: Village, resident_client: Client) -> None:
    draft = make_session(representatives_meeting(village), state=SessionState.DRAFT)
    assert resident_client.get(url(draft)).status_code == 404


def test_a_draft_is_shown_to_an_official(village: Village, official_client: Client) -> None:
    draft = make_session(representatives_meeting(village), state=SessionState.DRAFT)
    assert official_client.get(url(draft)).status_code == 200


def test_another_villages_session_is_not_found(
    village: Village, outsider: Person, outsider_client: Client
) -> None:
    session = make_session(representatives_meeting(village), state=SessionState.OPEN)
    assert outsider_client.get(url(session)).status_code == 404
    assert outsider_client.get(url(session, village_code=outsider.village.admin_code)).status_code == 404


def test_anonymous_is_sent_to_log_in(village: Village) -> None:
    session = make_session(representatives_meeting(village), state=SessionState.OPEN)
    response = Client().get(url(session))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_hall_fragment_is_for_those_who_keep_attendance(
    village: Village, official_client: Client, resident_client: Client
) -> None:
    session = make_session(representatives_meeting(village), state=SessionState.OPEN)
    assert resident_client.get(url(session, view="hall")).status_code == 403
    response = official_client.get(url(session, view="hall"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-live-region="hall"' in html and "<html" not in html


def test_a_post_is_refused_and_changes_nothing(village: Village, official_client: Client) -> None:
    session = make_session(representatives_meeting(village), state=SessionState.OPEN)
    response = official_client.post(url(session), {"choice": "1"})
    assert response.status_code == 405
    assert Session.objects.get(pk=session.pk).live_seq == 0


# live.js's fallback post, once the region holding the voter's form was refreshed, must pick the
# new form of the same ballot: a written proxy's ballot must never go as the holder's own.
LIVE_JS = Path(settings.BASE_DIR) / "static" / "consultations" / "live.js"
MATCH_SCRIPT = r"""
const fs = require("fs");
global.window = { location: { href: "https://village.example/v/1/sessions/2/" } };
global.document = { querySelector: () => null };
eval(fs.readFileSync(process.argv[2], "utf8"));
const form = (action, forPerson) => ({
  action: action,
  name: action + "#" + forPerson,
  querySelector: (selector) => (selector === '[name="for_person"]' ? { value: forPerson } : null),
});
const vote = "https://village.example/v/1/sessions/2/polls/7/vote/";
const other = "https://village.example/v/1/sessions/2/polls/8/vote/";
const forms = [form(other, ""), form(vote, "41"), form(vote, ""), form(vote, "42")];
const pick = (action, forPerson) => {
  const found = window.villagegovLive.matchingVoteForm(forms, action, forPerson);
  return found ? found.name : null;
};
console.log(JSON.stringify({
  own: pick(vote, null),
  own_empty: pick(vote, ""),
  proxy: pick(vote, "42"),
  unknown_proxy: pick(vote, "43"),
}));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_the_fallback_post_picks_the_same_ballots_form(tmp_path: Path) -> None:
    script = tmp_path / "match.js"
    script.write_text(MATCH_SCRIPT)
    done = subprocess.run(
        ["node", str(script), str(LIVE_JS)], capture_output=True, text=True, timeout=30, check=True
    )
    picked = json.loads(done.stdout)
    vote = "https://village.example/v/1/sessions/2/polls/7/vote/"
    assert picked == {
        "own": f"{vote}#",
        "own_empty": f"{vote}#",
        "proxy": f"{vote}#42",
        "unknown_proxy": None,
    }
