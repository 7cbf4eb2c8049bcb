"""The collective in the Django admin, read-only: members, the register, contracts, the books and
distributions change only through the services, which check the law's rules (a voucher posts
after the committee's review, a plan pays after its resolution) and write the audit log. A posted
voucher cannot be changed from here either: the database's triggers refuse it too."""

from django.contrib import admin
from django.http import HttpRequest
from polymorphic.query import PolymorphicQuerySet

from assets.models import (
    Account,
    Allocation,
    Asset,
    AssetDocument,
    Collective,
    Contract,
    DistributionPlan,
    Membership,
    Payment,
    RentInstalment,
    RentReceipt,
    ShareChange,
    Valuation,
    Voucher,
    VoucherLine,
)
from villagegov.admin import ReadOnlyAdmin


@admin.register(Collective)
class CollectiveAdmin(ReadOnlyAdmin):
    list_display = ("name", "village", "reserve_rate", "vouchers_need_review")
    list_select_related = ("village",)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("number", "person", "village", "shares", "joined_on", "left_on", "leave_reason")
    list_filter = ("join_reason", "leave_reason", "village")
    search_fields = ("person__name", "number")
    list_select_related = ("person", "village")


@admin.register(ShareChange)
class ShareChangeAdmin(ReadOnlyAdmin):
    list_display = ("membership", "effective_on", "shares_before", "shares_after", "reason", "recorded_at")
    list_filter = ("membership__village",)
    search_fields = ("membership__person__name", "reason")
    list_select_related = ("membership__person",)


@admin.register(Asset)
class AssetAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "village", "polymorphic_ctype", "category", "status", "current_value")
    list_filter = ("category", "status", "polymorphic_ctype", "village")
    search_fields = ("code", "name")
    list_select_related = ("village", "polymorphic_ctype")

    def get_queryset(self, request: HttpRequest) -> PolymorphicQuerySet:
        # One query for the list, whatever the kinds of the assets.
        return Asset.objects.non_polymorphic()


@admin.register(Valuation)
class ValuationAdmin(ReadOnlyAdmin):
    list_display = ("asset", "valued_on", "value", "basis", "recorded_at")
    list_filter = ("asset__village",)
    list_select_related = ("asset",)


@admin.register(AssetDocument)
class AssetDocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "asset", "original_name", "content_type", "size", "uploaded_at")
    list_filter = ("asset__village",)
    list_select_related = ("asset",)


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ("number", "counterparty", "asset", "kind", "starts_on", "ends_on", "terminated_on")
    list_filter = ("kind", "village")
    search_fields = ("number", "counterparty")
    list_select_related = ("asset",)


@admin.register(RentInstalment)
class RentInstalmentAdmin(ReadOnlyAdmin):
    list_display = ("contract", "due_on", "amount")
    list_filter = ("contract__village",)
    list_select_related = ("contract",)


@admin.register(RentReceipt)
class RentReceiptAdmin(ReadOnlyAdmin):
    list_display = ("contract", "received_on", "amount", "method", "reference")
    list_filter = ("method", "contract__village")
    list_select_related = ("contract",)


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "village", "kind", "normal_side", "active")
    list_filter = ("kind", "village")
    search_fields = ("code", "name")
    list_select_related = ("village",)


@admin.register(Voucher)
class VoucherAdmin(ReadOnlyAdmin):
    list_display = ("year", "number", "date", "summary", "village", "kind", "state", "debit_total")
    list_filter = ("state", "kind", "village")
    search_fields = ("summary",)
    list_select_related = ("village",)
    date_hierarchy = "date"


@admin.register(VoucherLine)
class VoucherLineAdmin(ReadOnlyAdmin):
    list_display = ("voucher", "position", "account", "debit", "credit")
    list_filter = ("voucher__village",)
    list_select_related = ("voucher", "account")


@admin.register(DistributionPlan)
class DistributionPlanAdmin(ReadOnlyAdmin):
    list_display = ("title", "village", "year", "distributable", "published_at", "payment_started_at")
    list_filter = ("year", "village")
    list_select_related = ("village",)


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ("plan", "membership", "shares", "amount")
    list_filter = ("plan__village",)
    list_select_related = ("plan", "membership__person")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("allocation", "amount", "paid_on", "method", "reference")
    list_filter = ("method",)
    list_select_related = ("allocation__membership__person",)
