"""`manage.py check --deploy` with a production environment, as the server starts it: clean, with
only the HSTS-preload warning silenced (on purpose: see SECURE_HSTS_PRELOAD in settings)."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k7#Vq2!pLx9@Rz4$Wm8^Tb3&Yn6*Hc1(Ju5)Gd0-Fs7+Ea2=Qw9",
    "ALLOWED_HOSTS": "cun.example.cn",
    "CSRF_TRUSTED_ORIGINS": "https://cun.example.cn",
    "ALLAUTH_TRUSTED_PROXY_COUNT": "1",
}
# The settings this test decides; everything else (the database of the run) is inherited, but
# the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE, which no server runs with.
OURS = (
    *PRODUCTION,
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "VILLAGEGOV_SMS_BACKEND",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def check_deploy() -> subprocess.CompletedProcess[str]:
    environment = {name: value for name, value in os.environ.items() if name not in OURS}
    environment.update(PRODUCTION)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production_but_for_the_silenced_preload_warning() -> None:
    result = check_deploy()

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (1 silenced)."


def test_the_one_silenced_check_is_hsts_preload() -> None:
    from django.conf import settings

    assert settings.SILENCED_SYSTEM_CHECKS == ["security.W021"]
    assert settings.SECURE_HSTS_PRELOAD is False
