"""WebSocket routes of every app; the apps with live parts add theirs here."""

from django.urls import URLPattern

websocket_urlpatterns: list[URLPattern] = []
