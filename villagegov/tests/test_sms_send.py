"""sms_send: one door for every text message, the backend chosen by settings."""

import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from villagegov import sms
from villagegov.sms import SmsMessage, sms_send


@override_settings(VILLAGEGOV_SMS_BACKEND="memory")
def test_memory_backend_keeps_messages_in_the_outbox() -> None:
    sms.outbox.clear()

    sms_send(phone="+8613800138000", message="你好")

    assert sms.outbox == [SmsMessage(phone="+8613800138000", message="你好")]


@override_settings(VILLAGEGOV_SMS_BACKEND="console")
def test_console_backend_logs_the_message(caplog: pytest.LogCaptureFixture) -> None:
    sms.outbox.clear()

    with caplog.at_level(logging.INFO, logger="villagegov.sms"):
        sms_send(phone="+8613800138000", message="code 123456")

    assert "+8613800138000" in caplog.text and "code 123456" in caplog.text
    assert sms.outbox == []


@override_settings(VILLAGEGOV_SMS_BACKEND="carrier-pigeon")
def test_an_unknown_backend_is_a_configuration_error() -> None:
    with pytest.raises(ImproperlyConfigured, match="carrier-pigeon"):
        sms_send(phone="+8613800138000", message="hello")


@override_settings(VILLAGEGOV_SMS_BACKEND="disabled")
def test_disabled_backend_sends_nothing_and_logs_neither_number_nor_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sms.outbox.clear()

    with caplog.at_level(logging.DEBUG, logger="villagegov.sms"):
        sms_send(phone="+8613800138000", message="code 123456")

    assert "disabled" in caplog.text
    assert "13800138000" not in caplog.text and "123456" not in caplog.text
    assert sms.outbox == []
