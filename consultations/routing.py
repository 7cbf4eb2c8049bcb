"""WebSocket routes of consultations: one socket per person following a session live."""

from django.urls import URLPattern, path

import villagegov.converters  # noqa: F401  (registers the "id" converter)
from consultations.consumers import SessionConsumer

websocket_urlpatterns: list[URLPattern] = [
    path(
        "ws/v/<str:village_code>/sessions/<id:session_id>/",
        SessionConsumer.as_asgi(),
        name="ws_session",
    ),
]
