"""WebSocket routes of every app; the apps with live parts add theirs here."""

from django.urls import URLPattern

from consultations.routing import websocket_urlpatterns as consultations_routes

websocket_urlpatterns: list[URLPattern] = [*consultations_routes]
