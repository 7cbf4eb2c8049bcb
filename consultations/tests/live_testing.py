"""Builders for the live-layer tests: sockets on the real ASGI application (origin check and
authentication included), logged in by the session cookie of a test Client."""

import json
from typing import Any

from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.conf import settings

from consultations.models import Session
from villagegov.asgi import application
from villagegov.models import Person
from villagegov.testing import client_for

ORIGIN = b"http://testserver"
TIMEOUT = 3


def fresh_channel_layer() -> None:
    """A new in-memory layer for each test: its queues belong to the test's event loop."""
    channel_layers.backends.clear()


def socket_headers(
    person: Person | None, *, origin: bytes | None = ORIGIN, language: str | None = None
) -> list[tuple[bytes, bytes]]:
    """Headers of a browser on the site: its Origin, and the session cookie of `person` logged in
    (none for an anonymous visitor), with a language cookie if given."""
    cookies = []
    if person is not None:
        client = client_for(person)
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}")
    if language is not None:
        cookies.append(f"{settings.LANGUAGE_COOKIE_NAME}={language}")
    headers = [(b"host", b"testserver")]
    if cookies:
        headers.append((b"cookie", "; ".join(cookies).encode()))
    if origin is not None:
        headers.append((b"origin", origin))
    return headers


def socket_path(session: Session, *, village_code: str | None = None) -> str:
    code = village_code or session.council.village.admin_code
    return f"/ws/v/{code}/sessions/{session.pk}/"


def socket(path: str, headers: list[tuple[bytes, bytes]]) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, path, headers=headers)


async def connected(
    path: str, headers: list[tuple[bytes, bytes]]
) -> tuple[WebsocketCommunicator, dict[str, Any]]:
    """A connected socket and the snapshot it was sent."""
    communicator = socket(path, headers)
    ok, _ = await communicator.connect(timeout=TIMEOUT)
    assert ok
    snapshot = await communicator.receive_json_from(timeout=TIMEOUT)
    assert snapshot["type"] == "snapshot", snapshot
    return communicator, snapshot


async def refusal_code(path: str, headers: list[tuple[bytes, bytes]]) -> int | None:
    """The close code a refused socket gets (None if the handshake itself was refused)."""
    communicator = socket(path, headers)
    ok, _code = await communicator.connect(timeout=TIMEOUT)
    if not ok:
        return None
    output = await communicator.receive_output(timeout=TIMEOUT)
    assert output["type"] == "websocket.close", output
    return int(output["code"])


async def send_raw(communicator: WebsocketCommunicator, text: str) -> dict[str, Any]:
    await communicator.send_to(text_data=text)
    answer: dict[str, Any] = await communicator.receive_json_from(timeout=TIMEOUT)
    return answer


async def send_message(communicator: WebsocketCommunicator, message: Any) -> dict[str, Any]:
    return await send_raw(communicator, json.dumps(message))
