"""The ASGI application is ready before its first request."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_urlconf_and_every_view_are_imported_when_the_server_starts() -> None:
    """Not in the first request: under a storm of votes that is the chair closing the vote
    (docs/performance.md)."""
    probe = (
        "import sys; import villagegov.asgi; "
        "print('villagegov.urls' in sys.modules, 'consultations.views.polls' in sys.modules)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "villagegov.settings"}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["True", "True"]
