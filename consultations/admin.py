"""Consultations in the Django admin, read-only: their states change only through the services,
which check the law's rules, notify the villagers and write the audit log. Ballots are not listed
at all: a secret ballot box is not browsed, and named ballots are on the poll's page."""

from django.contrib import admin
from django.http import HttpRequest
from polymorphic.query import PolymorphicQuerySet

from consultations.models import (
    AgendaItem,
    Attendance,
    Comment,
    ConveningRequest,
    ConveningSignature,
    DecisionProcess,
    DecisionStep,
    Minutes,
    Poll,
    Resolution,
    Session,
    SpeakerRequest,
    Topic,
    WrittenProxy,
)
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


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    list_display = ("title", "session", "position", "state", "polymorphic_ctype")
    list_filter = ("state", "session__council__village")
    search_fields = ("title", "session__title")
    list_select_related = ("session", "polymorphic_ctype")

    def get_queryset(self, request: HttpRequest) -> PolymorphicQuerySet:
        # One query for the list, whatever the kinds of the items.
        return AgendaItem.objects.non_polymorphic()


@admin.register(Poll)
class PollAdmin(ReadOnlyAdmin):
    list_display = ("question", "item", "method", "secret", "state", "votes_cast", "passed")
    list_filter = ("state", "method", "secret", "item__session__council__village")
    search_fields = ("question",)
    list_select_related = ("item",)


@admin.register(WrittenProxy)
class WrittenProxyAdmin(ReadOnlyAdmin):
    list_display = ("session", "grantor", "holder", "recorded_at")
    list_select_related = ("session", "grantor", "holder")


@admin.register(SpeakerRequest)
class SpeakerRequestAdmin(ReadOnlyAdmin):
    list_display = ("item", "person", "state", "requested_at")
    list_filter = ("state",)
    list_select_related = ("item", "person")


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("item", "author", "posted_at", "hidden_at")
    search_fields = ("body", "author__name")
    list_select_related = ("item", "author")


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin):
    list_display = ("title", "village", "council", "state", "raised_at")
    list_filter = ("state", "village")
    search_fields = ("title", "body")
    list_select_related = ("village", "council")


@admin.register(Minutes)
class MinutesAdmin(ReadOnlyAdmin):
    list_display = ("session", "signed_at", "signed_by")
    list_select_related = ("session", "signed_by")


@admin.register(Resolution)
class ResolutionAdmin(ReadOnlyAdmin):
    list_display = ("title", "session", "published_at")
    list_select_related = ("session",)


@admin.register(DecisionProcess)
class DecisionProcessAdmin(ReadOnlyAdmin):
    list_display = ("title", "village", "matter", "created_at")
    list_filter = ("village",)


@admin.register(DecisionStep)
class DecisionStepAdmin(ReadOnlyAdmin):
    list_display = ("process", "step", "held_on", "recorded_at")
    list_select_related = ("process",)
