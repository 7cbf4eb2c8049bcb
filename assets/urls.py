"""Pages of the village's collective (under /v/<village_code>/collective/): members and shares,
the asset register, contracts, the ledger and distributions."""

from django.urls import path

import villagegov.converters  # noqa: F401  (registers the "id" converter)
from assets.views import contracts, distributions, ledger, members, register

urlpatterns = [
    path("", members.collective_dashboard, name="collective_dashboard"),
    path("settings/", members.collective_settings, name="collective_settings"),
    path("mine/", members.my_shares, name="my_shares"),
    path("members/", members.member_list, name="member_list"),
    path("members/new/", members.member_admit, name="member_admit"),
    path("members/import/", members.member_import, name="member_import"),
    path("members/export/", members.member_export, name="member_export"),
    path("members/<id:membership_id>/", members.member_detail, name="member_detail"),
    path("members/<id:membership_id>/shares/", members.member_shares_change, name="member_shares_change"),
    path("members/<id:membership_id>/leave/", members.member_leave, name="member_leave"),
    path("assets/", register.asset_list, name="asset_list"),
    path("assets/new/", register.asset_create, name="asset_create"),
    path("assets/export/", register.asset_export, name="asset_export"),
    path("assets/<id:asset_id>/", register.asset_detail, name="asset_detail"),
    path("assets/<id:asset_id>/edit/", register.asset_update, name="asset_update"),
    path("assets/<id:asset_id>/valuations/", register.valuation_record, name="valuation_record"),
    path("assets/<id:asset_id>/documents/", register.asset_document_upload, name="asset_document_upload"),
    path("documents/<id:document_id>/", register.asset_document_file, name="asset_document_file"),
    path("contracts/", contracts.contract_list, name="contract_list"),
    path("contracts/new/", contracts.contract_create, name="contract_create"),
    path("contracts/<id:contract_id>/", contracts.contract_detail, name="contract_detail"),
    path("contracts/<id:contract_id>/receipts/", contracts.rent_receipt_record, name="rent_receipt_record"),
    path("contracts/<id:contract_id>/terminate/", contracts.contract_terminate, name="contract_terminate"),
    path("ledger/", ledger.voucher_list, name="voucher_list"),
    path("ledger/vouchers/new/", ledger.voucher_create, name="voucher_create"),
    path("ledger/vouchers/<id:voucher_id>/", ledger.voucher_detail, name="voucher_detail"),
    path("ledger/vouchers/<id:voucher_id>/edit/", ledger.voucher_update, name="voucher_update"),
    path("ledger/vouchers/<id:voucher_id>/discard/", ledger.voucher_discard, name="voucher_discard"),
    path("ledger/vouchers/<id:voucher_id>/submit/", ledger.voucher_submit, name="voucher_submit"),
    path("ledger/vouchers/<id:voucher_id>/post/", ledger.voucher_post, name="voucher_post"),
    path("ledger/vouchers/<id:voucher_id>/reverse/", ledger.voucher_reverse, name="voucher_reverse"),
    path("ledger/accounts/", ledger.account_list, name="account_list"),
    path("ledger/accounts/new/", ledger.account_create, name="account_create"),
    path("ledger/accounts/<id:account_id>/", ledger.account_detail, name="account_detail"),
    path("ledger/trial-balance/", ledger.trial_balance, name="trial_balance"),
    path("ledger/statement/", ledger.income_statement, name="income_statement"),
    path("ledger/opening/", ledger.opening_balance_import, name="opening_balance_import"),
    path("ledger/export/", ledger.ledger_export, name="ledger_export"),
    path("ledger/disclose/", ledger.finance_disclose, name="finance_disclose"),
    path("distributions/", distributions.distribution_list, name="distribution_list"),
    path("distributions/new/", distributions.distribution_create, name="distribution_create"),
    path("distributions/<id:plan_id>/", distributions.distribution_detail, name="distribution_detail"),
    path(
        "distributions/<id:plan_id>/publish/", distributions.distribution_publish, name="distribution_publish"
    ),
    path(
        "distributions/<id:plan_id>/propose/", distributions.distribution_propose, name="distribution_propose"
    ),
    path(
        "distributions/<id:plan_id>/withdraw/",
        distributions.distribution_withdraw,
        name="distribution_withdraw",
    ),
    path(
        "distributions/<id:plan_id>/pay/", distributions.distribution_pay_start, name="distribution_pay_start"
    ),
    path(
        "distributions/<id:plan_id>/payments/<id:allocation_id>/",
        distributions.payment_record,
        name="payment_record",
    ),
    path(
        "distributions/<id:plan_id>/result/",
        distributions.distribution_result_publish,
        name="distribution_result_publish",
    ),
    path("distributions/<id:plan_id>/export/", distributions.distribution_export, name="distribution_export"),
]
