"""The stack's limit: a bare Channels consumer on the same server (daphne) and channel layer as
the app, doing nothing but what the protocol's transport needs. It joins a group on connect and
sends a tiny snapshot, acknowledges each vote at once (no database), and on a `close` message
broadcasts one `poll.closed` event to the group. bench/vote_storm.py compares the app with it.

Served by: daphne bench.support.bare:application (DJANGO_SETTINGS_MODULE=villagegov.settings,
so CHANNEL_LAYERS is the app's: in-memory, or the Redis pub/sub layer with REDIS_URL).
"""

import json
import os
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villagegov.settings")
django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

GROUP = "bench-bare"


class BareConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.accept()
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.send(text_data='{"type":"snapshot","seq":0}')

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(GROUP, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        message = json.loads(text_data or "{}")
        if message.get("type") == "vote":
            ack = {
                "type": "ack",
                "client_id": message.get("client_id"),
                "poll": message.get("poll"),
                "duplicate": False,
            }
            await self.send(text_data=json.dumps(ack, separators=(",", ":")))
        elif message.get("type") == "close":
            event = {"type": "poll.closed", "seq": 1, "data": {"poll": message.get("poll"), "counts": {}}}
            await self.channel_layer.group_send(GROUP, {"type": "bare.event", "event": event})

    async def bare_event(self, message: dict[str, Any]) -> None:
        await self.send(
            text_data=json.dumps({"type": "event", "event": message["event"]}, separators=(",", ":"))
        )


application = ProtocolTypeRouter({"websocket": URLRouter([path("ws/bare/", BareConsumer.as_asgi())])})
