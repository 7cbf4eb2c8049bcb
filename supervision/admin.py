"""Supervision in the Django admin, read-only: appointments, reviews, findings, questions and the
disclosure board change only through the services, which check the law's rules, notify the
people concerned and write the audit log. Evidence files are served only by the app's own view,
which checks who may read them, so the admin shows their records, not links to the files."""

from django.contrib import admin
from django.http import HttpRequest
from polymorphic.query import PolymorphicQuerySet

from supervision.models import (
    Appointment,
    DisclosureItem,
    DisclosureObjection,
    Evidence,
    Finding,
    FindingResponse,
    FindingVerification,
    Question,
    Review,
    ReviewEntry,
    SignOff,
)
from villagegov.admin import ReadOnlyAdmin


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ("seat", "resolution", "finance_knowledge", "recorded_by", "recorded_at")
    list_filter = ("finance_knowledge", "seat__council__village")
    search_fields = ("seat__person__name", "resolution__title")
    list_select_related = ("seat__council", "seat__person", "resolution", "recorded_by")


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("title", "village", "polymorphic_ctype", "state", "opened_at", "concluded_at")
    list_filter = ("state", "polymorphic_ctype", "village")
    search_fields = ("title", "summary")
    list_select_related = ("village", "polymorphic_ctype")
    date_hierarchy = "opened_at"

    def get_queryset(self, request: HttpRequest) -> PolymorphicQuerySet:
        # One query for the list, whatever the kinds of the reviews.
        return Review.objects.non_polymorphic()


@admin.register(ReviewEntry)
class ReviewEntryAdmin(ReadOnlyAdmin):
    list_display = ("review", "text", "corrects", "written_by", "written_at")
    list_filter = ("review__village",)
    search_fields = ("text", "review__title")
    list_select_related = ("review", "corrects", "written_by")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "review", "content_type", "size", "sha256", "uploaded_by", "uploaded_at")
    list_filter = ("content_type", "review__village")
    search_fields = ("original_name", "sha256", "review__title")
    list_select_related = ("review", "uploaded_by")
    # The stored path is not a link anyone should follow past the permission check.
    exclude = ("file",)


@admin.register(SignOff)
class SignOffAdmin(ReadOnlyAdmin):
    list_display = ("review", "member", "decision", "signed_at")
    list_filter = ("decision", "review__village")
    search_fields = ("member__name", "review__title", "reason")
    list_select_related = ("review", "member")


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ("description", "review", "responsible", "deadline", "state")
    list_filter = ("state", "review__village")
    search_fields = ("description", "required_action", "responsible__name")
    list_select_related = ("review", "responsible")
    date_hierarchy = "deadline"


@admin.register(FindingResponse)
class FindingResponseAdmin(ReadOnlyAdmin):
    list_display = ("finding", "responded_by", "responded_at")
    list_filter = ("finding__review__village",)
    search_fields = ("text", "responded_by__name")
    list_select_related = ("finding", "responded_by")


@admin.register(FindingVerification)
class FindingVerificationAdmin(ReadOnlyAdmin):
    list_display = ("finding", "outcome", "verified_by", "verified_at")
    list_filter = ("outcome", "finding__review__village")
    list_select_related = ("finding", "verified_by")


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ("text", "village", "addressed_to_person", "addressed_to_council", "due_on", "answered_at")
    list_filter = ("village",)
    search_fields = ("text", "answer")
    list_select_related = ("village", "addressed_to_person", "addressed_to_council")


@admin.register(DisclosureItem)
class DisclosureItemAdmin(ReadOnlyAdmin):
    list_display = ("title", "village", "section", "period_start", "period_end", "published_at")
    list_filter = ("section", "village")
    search_fields = ("title", "body")
    list_select_related = ("village",)
    date_hierarchy = "published_at"


@admin.register(DisclosureObjection)
class DisclosureObjectionAdmin(ReadOnlyAdmin):
    list_display = ("item", "person", "raised_at", "answered_at")
    list_filter = ("item__village",)
    search_fields = ("text", "person__name")
    list_select_related = ("item", "person")
