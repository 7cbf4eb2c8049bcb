"""Settings read from the environment, as `manage.py` would at start-up: production refuses SMS
backends that keep codes and asks officials for a second factor, and the client's address behind a
proxy is configurable."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
READ = (
    "import json; from villagegov import settings as s; print(json.dumps({"
    "'sms': s.VILLAGEGOV_SMS_BACKEND, 'phone_verification': s.ACCOUNT_PHONE_VERIFICATION_ENABLED, "
    "'proxies': s.ALLAUTH_TRUSTED_PROXY_COUNT, 'ip_header': s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER, "
    "'require_mfa': s.VILLAGEGOV_REQUIRE_MFA}))"
)
OURS = (
    "DEBUG",
    "SECRET_KEY",
    "VILLAGEGOV_SMS_BACKEND",
    "ALLAUTH_TRUSTED_PROXY_COUNT",
    "ALLAUTH_TRUSTED_CLIENT_IP_HEADER",
    "VILLAGEGOV_REQUIRE_MFA",
)
PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "a-production-secret-of-some-length-1234567890"}


def import_settings(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {name: value for name, value in os.environ.items() if name not in OURS}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", READ],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_with(**env: str) -> dict[str, object]:
    result = import_settings(**env)
    assert result.returncode == 0, result.stderr
    loaded: dict[str, object] = json.loads(result.stdout)
    return loaded


def test_development_logs_sms_and_verifies_phones() -> None:
    assert settings_with() == {
        "sms": "console",
        "phone_verification": True,
        "proxies": 0,
        "ip_header": None,
        "require_mfa": False,
    }


def test_production_without_a_gateway_sends_no_sms_and_verifies_no_phone() -> None:
    loaded = settings_with(**PRODUCTION)
    assert (loaded["sms"], loaded["phone_verification"]) == ("disabled", False)


@pytest.mark.parametrize("backend", ["console", "memory"])
def test_production_refuses_backends_that_keep_codes(backend: str) -> None:
    result = import_settings(**PRODUCTION, VILLAGEGOV_SMS_BACKEND=backend)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "VILLAGEGOV_SMS_BACKEND" in result.stderr


def test_manage_py_check_refuses_to_start_with_the_console_backend_in_production() -> None:
    environment = {name: value for name, value in os.environ.items() if name not in OURS}
    environment.update(PRODUCTION, VILLAGEGOV_SMS_BACKEND="console")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "VILLAGEGOV_SMS_BACKEND" in result.stderr


def test_production_with_a_gateway_verifies_phones() -> None:
    loaded = settings_with(**PRODUCTION, VILLAGEGOV_SMS_BACKEND="aliyun")
    assert (loaded["sms"], loaded["phone_verification"]) == ("aliyun", True)


def test_the_client_address_is_read_as_configured_behind_a_proxy() -> None:
    loaded = settings_with(ALLAUTH_TRUSTED_PROXY_COUNT="1", ALLAUTH_TRUSTED_CLIENT_IP_HEADER="X-Real-IP")
    assert (loaded["proxies"], loaded["ip_header"]) == (1, "X-Real-IP")


def test_a_proxy_count_that_is_not_a_number_is_refused() -> None:
    result = import_settings(ALLAUTH_TRUSTED_PROXY_COUNT="one")

    assert result.returncode != 0
    assert "ALLAUTH_TRUSTED_PROXY_COUNT must be a whole number" in result.stderr


def test_production_requires_officials_to_set_up_a_second_factor() -> None:
    assert settings_with(**PRODUCTION)["require_mfa"] is True


@pytest.mark.parametrize(("debug", "switch", "required"), [("0", "0", False), ("1", "1", True)])
def test_the_second_factor_switch_overrides_the_default(debug: str, switch: str, required: bool) -> None:
    loaded = settings_with(**PRODUCTION | {"DEBUG": debug}, VILLAGEGOV_REQUIRE_MFA=switch)
    assert loaded["require_mfa"] is required
