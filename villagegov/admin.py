"""The Django admin: every model, for the people who run the server.

Writes made here go into the audit log like any other write, secrets left out; the audit
log itself can be read here but never added to, changed or deleted. The admin's login is
allauth's, so a staff member with an authenticator app is asked for its code here too.
"""

from typing import Any

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models, transaction
from django.db.models import Count, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from villagegov.models import (
    AuditChainHead,
    AuditRecord,
    AuditVerification,
    BodyRule,
    Council,
    CouncilSeat,
    Household,
    Invitation,
    Kinship,
    Notification,
    Person,
    RoleAssignment,
    RuleSet,
    Threshold,
    User,
    Village,
    VillagerGroup,
)
from villagegov.services.accounts import account_password_record
from villagegov.services.audit import audit_record, snapshot
from villagegov.services.invitations import AUDITED_FIELDS as INVITATION_AUDITED_FIELDS
from villagegov.services.invitations import invitation_code_generate

admin.site.site_header = settings.VILLAGEGOV_APP_TITLE
admin.site.site_title = settings.VILLAGEGOV_APP_TITLE
admin.site.index_title = _("Administration")
# Django's own admin login takes a password alone: allauth's asks for the second factor too
# (and applies its rate limits). A logged-in user who is not staff is refused, not looped.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]


def village_of(obj: models.Model) -> Village | None:
    """The village an object belongs to, for its audit record; rule sets and accounts have none."""
    if isinstance(obj, Village):
        return obj
    if isinstance(obj, Person | Household | VillagerGroup | Council):
        return obj.village
    if isinstance(obj, RoleAssignment | Kinship | Invitation):
        return obj.person.village
    if isinstance(obj, CouncilSeat):
        return obj.council.village
    return None


def admin_snapshot(obj: models.Model) -> dict[str, Any]:
    """An object's fields for the audit log, which supervisors and township staff read: never a
    secret (an invitation's code claims an account; a password hash can be cracked)."""
    if isinstance(obj, Invitation):
        return snapshot(obj, INVITATION_AUDITED_FIELDS)
    return snapshot(obj, [f.attname for f in obj._meta.concrete_fields if f.name != "password"])


def stored_snapshot(obj: models.Model) -> dict[str, Any] | None:
    """The object as the database still holds it, before the admin's form is saved."""
    if obj._state.adding or obj.pk is None:
        return None
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    return admin_snapshot(stored) if stored is not None else None


def audit_admin_write(
    request: HttpRequest, obj: models.Model, action: str, before: dict[str, Any] | None
) -> None:
    audit_record(
        actor=request.user if isinstance(request.user, User) else None,
        village=village_of(obj),
        action=f"admin.{action}",
        target=obj,
        before=before,
        after=None if action == "delete" else admin_snapshot(obj),
    )


class AuditedAdmin(admin.ModelAdmin):
    """Record every add, change and delete made through the admin, inlines included."""

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        before = stored_snapshot(obj)
        super().save_model(request, obj, form, change)
        audit_admin_write(request, obj, "change" if before is not None else "add", before)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_admin_write(request, obj, "delete", admin_snapshot(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit_admin_write(request, obj, "delete", admin_snapshot(obj))
            super().delete_queryset(request, queryset)

    def save_formset(self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool) -> None:
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            audit_admin_write(request, obj, "delete", admin_snapshot(obj))
            obj.delete()
        for obj in instances:
            before = stored_snapshot(obj)
            obj.save()
            audit_admin_write(request, obj, "change" if before is not None else "add", before)
        formset.save_m2m()


class ReadOnlyAdmin(admin.ModelAdmin):
    """The audit log is append-only: nobody, superusers included, adds, changes or deletes here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- rules -----------------------------------------------------------------------------


class BodyRuleInline(admin.TabularInline):
    model = BodyRule
    fields = ("body", "notice_days", "advisory", "citation_zh", "citation_en")
    extra = 0
    show_change_link = True


class ThresholdInline(admin.TabularInline):
    model = Threshold
    fields = (
        "purpose",
        "counted",
        "basis",
        "numerator",
        "denominator",
        "strict",
        "citation_zh",
        "citation_en",
    )
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(AuditedAdmin):
    list_display = ("code", "name_zh", "name_en", "effective_from")
    search_fields = ("code", "name_zh", "name_en")
    inlines = [BodyRuleInline]


@admin.register(BodyRule)
class BodyRuleAdmin(AuditedAdmin):
    list_display = ("body", "rule_set", "notice_days", "advisory", "citation_zh")
    list_filter = ("rule_set", "body", "advisory")
    search_fields = ("citation_zh", "citation_en")
    list_select_related = ("rule_set",)
    inlines = [ThresholdInline]


@admin.register(Threshold)
class ThresholdAdmin(AuditedAdmin):
    list_display = ("body_rule", "purpose", "counted", "basis", "numerator", "denominator", "strict")
    list_filter = ("body_rule__rule_set", "body_rule__body", "purpose")
    search_fields = ("citation_zh", "citation_en")
    list_select_related = ("body_rule__rule_set",)


# --- villages and people ---------------------------------------------------------------


class VillagerGroupInline(admin.TabularInline):
    model = VillagerGroup
    fields = ("number", "name")
    extra = 0


@admin.register(Village)
class VillageAdmin(AuditedAdmin):
    list_display = ("name", "admin_code", "township", "county", "province", "rule_set")
    list_filter = ("province", "county", "rule_set")
    search_fields = ("name", "admin_code", "township")
    list_select_related = ("rule_set",)
    inlines = [VillagerGroupInline]


@admin.register(VillagerGroup)
class VillagerGroupAdmin(AuditedAdmin):
    list_display = ("name", "number", "village", "household_count")
    list_filter = ("village",)
    search_fields = ("name", "village__name")
    list_select_related = ("village",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[VillagerGroup]:
        return super().get_queryset(request).annotate(household_total=Count("households"))

    @admin.display(description=_("households"), ordering="household_total")
    def household_count(self, group: Any) -> int:
        return int(group.household_total)


@admin.register(Household)
class HouseholdAdmin(AuditedAdmin):
    list_display = ("number", "village", "group", "head", "address", "member_count")
    list_filter = ("village", "group")
    search_fields = ("number", "address", "head__name")
    list_select_related = ("village", "group", "head")
    autocomplete_fields = ("head",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Household]:
        return super().get_queryset(request).annotate(member_total=Count("members"))

    @admin.display(description=_("members"), ordering="member_total")
    def member_count(self, household: Any) -> int:
        return int(household.member_total)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fields = ("role", "starts_on", "ends_on", "note")
    extra = 0


class KinshipInline(admin.TabularInline):
    model = Kinship
    fk_name = "person"
    fields = ("relation", "relative")
    autocomplete_fields = ("relative",)
    extra = 0


class CouncilSeatOfPersonInline(admin.TabularInline):
    model = CouncilSeat
    fields = ("council", "position", "starts_on", "ends_on")
    autocomplete_fields = ("council",)
    extra = 0


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = (
        "name",
        "village",
        "household",
        "gender",
        "birth_date",
        "phone",
        "is_registered_resident",
        "user",
        "left_on",
    )
    list_filter = ("village", "gender", "is_registered_resident", ("left_on", admin.EmptyFieldListFilter))
    search_fields = ("name", "phone", "household__number", "user__username")
    list_select_related = ("village", "household", "user")
    autocomplete_fields = ("household", "user")
    inlines = [RoleAssignmentInline, KinshipInline, CouncilSeatOfPersonInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ("person", "role", "starts_on", "ends_on", "note")
    list_filter = ("role", "person__village")
    search_fields = ("person__name", "note")
    list_select_related = ("person",)
    autocomplete_fields = ("person",)


@admin.register(Kinship)
class KinshipAdmin(AuditedAdmin):
    list_display = ("person", "relation", "relative")
    list_filter = ("relation", "person__village")
    search_fields = ("person__name", "relative__name")
    list_select_related = ("person", "relative")
    autocomplete_fields = ("person", "relative")


# --- councils --------------------------------------------------------------------------


class CouncilSeatInline(admin.TabularInline):
    model = CouncilSeat
    fields = ("person", "position", "starts_on", "ends_on")
    autocomplete_fields = ("person",)
    extra = 0


@admin.register(Council)
class CouncilAdmin(AuditedAdmin):
    list_display = ("name", "village", "body", "group", "seat_count")
    list_filter = ("body", "village")
    search_fields = ("name", "village__name")
    list_select_related = ("village", "group")
    inlines = [CouncilSeatInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Council]:
        return super().get_queryset(request).annotate(seat_total=Count("seats"))

    @admin.display(description=_("seats"), ordering="seat_total")
    def seat_count(self, council: Any) -> int:
        return int(council.seat_total)


@admin.register(CouncilSeat)
class CouncilSeatAdmin(AuditedAdmin):
    list_display = ("council", "person", "position", "starts_on", "ends_on")
    list_filter = ("position", "council__body", "council__village")
    search_fields = ("person__name", "council__name")
    list_select_related = ("council", "person")
    autocomplete_fields = ("council", "person")


# --- accounts and invitations ----------------------------------------------------------


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Mobile phone"), {"fields": ("phone", "phone_verified")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Mobile phone"), {"fields": ("phone", "phone_verified")}),
    )
    list_display = ("username", "phone", "phone_verified", "first_name", "last_name", "is_staff", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_active", "phone_verified")
    search_fields = ("username", "phone", "first_name", "last_name", "email")

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """Django's page; a password it sets (or disables) is recorded, the password never."""
        with transaction.atomic():
            before = self.get_object(request, unquote(id))
            response = super().user_change_password(request, id, form_url)
            after = self.get_object(request, unquote(id))
            if before is not None and after is not None and after.password != before.password:
                account_password_record(
                    actor=request.user if isinstance(request.user, User) else None,
                    user=after,
                    action="account.password_change",
                )
        return response


@admin.register(Invitation)
class InvitationAdmin(AuditedAdmin):
    list_display = ("code", "person", "created_by", "created_at", "expires_at", "claimed_at", "revoked_at")
    list_filter = (("claimed_at", admin.EmptyFieldListFilter), ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("code", "person__name")
    list_select_related = ("person", "created_by")
    autocomplete_fields = ("person", "created_by")
    # Codes are drawn by the service, never typed: a chosen code could be guessed.
    readonly_fields = ("code", "created_at")

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        if not obj.code:
            obj.code = invitation_code_generate()
        super().save_model(request, obj, form, change)


# --- the audit log (read-only) ---------------------------------------------------------


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = ("seq", "created_at", "village", "actor", "action", "target_type", "target_repr")
    list_filter = ("action", "village")
    search_fields = ("action", "target_type", "target_id", "target_repr", "hash")
    list_select_related = ("village", "actor")
    date_hierarchy = "created_at"


@admin.register(AuditChainHead)
class AuditChainHeadAdmin(ReadOnlyAdmin):
    list_display = ("seq", "hash")


@admin.register(AuditVerification)
class AuditVerificationAdmin(ReadOnlyAdmin):
    list_display = ("verified_at", "checked", "ok", "broken_seq", "reason")
    list_filter = ("ok",)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Sent messages are a record of who was told what, and when."""

    list_display = ("created_at", "village", "person", "message", "read_at")
    list_filter = ("village",)
    search_fields = ("person__name", "message")
    list_select_related = ("village", "person")
