"""Sessions and attendance in the Django admin, read-only: their states change only through the
services, which check the law's rules, notify the villagers and write the audit log."""

from django.contrib import admin

from consultations.models import Attendance, ConveningRequest, ConveningSignature, Session
from villagegov.admin import ReadOnlyAdmin


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ("title", "council", "starts_at", "state", "chair", "place")
    list_filter = ("state", "council__body", "council__village")
    search_fields = ("title", "place", "council__name", "chair__name")
    list_select_related = ("council", "chair")
    date_hierarchy = "starts_at"
    # The check-in code is a secret: whoever reads it can check in.
    exclude = ("join_code",)


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ("session", "person", "checked_in_at", "method", "recorded_by")
    list_filter = ("method", "session__council__village")
    search_fields = ("person__name", "session__title")
    list_select_related = ("session", "person", "recorded_by")


@admin.register(ConveningRequest)
class ConveningRequestAdmin(ReadOnlyAdmin):
    list_display = ("matter", "council", "initiator", "created_at", "threshold_reached_at")
    list_filter = ("council__body", "council__village")
    search_fields = ("matter", "initiator__name", "council__name")
    list_select_related = ("council", "initiator")


@admin.register(ConveningSignature)
class ConveningSignatureAdmin(ReadOnlyAdmin):
    list_display = ("request", "person", "signed_at")
    list_filter = ("request__council__village",)
    search_fields = ("person__name", "request__matter")
    list_select_related = ("request", "person")
