"""The ledger's pages: vouchers from draft to posting, the chart with balances, an account's
ledger (明细账), the trial balance (试算平衡表), income and expenditure (收支明细), downloads, the
opening balances' import and the disclosure of the finances on the board."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from assets.charts import ChartBar, ChartGroup, bar_chart
from assets.exports import ExportFormatRefused, export_format, table_response
from assets.forms.ledger import (
    AccountForm,
    DayForm,
    DiscloseForm,
    OpeningImportForm,
    PeriodForm,
    ReverseForm,
    VoucherFilterForm,
    VoucherForm,
    YearForm,
    line_rows,
)
from assets.imports import MAX_IMPORT_BYTES, ImportRefused, read_table
from assets.models import Account, Collective, Voucher, VoucherKind, VoucherState
from assets.selectors import ledger as selectors
from assets.services import ledger as services
from consultations.uploads import upload_limit_message, upload_limited, upload_stopped
from supervision.models import ReviewState
from supervision.selectors.reviews import subject_reviews
from villagegov.models import Village
from villagegov.permissions import Action
from villagegov.views.base import acting_user, roles_allow, village_view


def _voucher(village: Village, voucher_id: int) -> Voucher:
    voucher = selectors.village_voucher(village, voucher_id)
    if voucher is None:
        raise Http404
    return voucher


def _account(village: Village, account_id: int) -> Account:
    account = selectors.village_account(village, account_id)
    if account is None:
        raise Http404
    return account


# ---------------------------------------------------------------------------------------------
# Vouchers
# ---------------------------------------------------------------------------------------------


def _filters(request: HttpRequest, village: Village) -> tuple[VoucherFilterForm, selectors.VoucherFilters]:
    form = VoucherFilterForm(request.GET or None, accounts=selectors.village_accounts(village))
    if not form.is_valid():
        return form, selectors.VoucherFilters()
    month = form.cleaned_data.get("month")
    return form, selectors.VoucherFilters(
        state=form.cleaned_data.get("state") or "",
        month=month.replace(day=1) if month else None,
        account=form.cleaned_data.get("account"),
        search=(form.cleaned_data.get("search") or "").strip(),
    )


@village_view(Action.VIEW_FINANCES)
def voucher_list(request: HttpRequest, village: Village) -> HttpResponse:
    form, filters = _filters(request, village)
    page = Paginator(selectors.vouchers(village, filters), selectors.VOUCHER_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "filter_form": form,
        "page_obj": page,
        "awaiting": selectors.vouchers_awaiting_review(village),
        "keeps_accounts": roles_allow(request, Action.KEEP_ACCOUNTS),
    }
    return render(request, "assets/voucher_list.html", context)


def _render_voucher_form(
    request: HttpRequest, form: VoucherForm, voucher: Voucher | None, *, status: int
) -> HttpResponse:
    return render(request, "assets/voucher_form.html", {"form": form, "voucher": voucher}, status=status)


@village_view(Action.KEEP_ACCOUNTS)
def voucher_create(request: HttpRequest, village: Village) -> HttpResponse:
    source = request.POST.get("rows") if request.method == "POST" else request.GET.get("lines")
    form = VoucherForm(
        request.POST or None,
        accounts=selectors.leaf_accounts(village),
        rows=line_rows(source),
        initial={"date": timezone.localdate(), "attachments": 0},
    )
    if request.method == "POST" and form.is_valid():
        try:
            voucher = services.voucher_create(
                actor=acting_user(request),
                village=village,
                date=form.cleaned_data["date"],
                summary=form.cleaned_data["summary"],
                attachments=form.cleaned_data["attachments"],
                lines=form.cleaned_data["lines"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The voucher is saved as a draft. Check it, then send it for review.")
            )
            return redirect("voucher_detail", village.admin_code, voucher.pk)
    return _render_voucher_form(request, form, None, status=400 if request.method == "POST" else 200)


@village_view(Action.KEEP_ACCOUNTS)
def voucher_update(request: HttpRequest, village: Village, voucher_id: int) -> HttpResponse:
    voucher = _voucher(village, voucher_id)
    lines = selectors.voucher_lines(voucher)
    initial: dict[str, Any] = {
        "date": voucher.date,
        "summary": voucher.summary,
        "attachments": voucher.attachments,
    }
    for index, line in enumerate(lines, start=1):
        initial |= {
            f"account_{index}": line.account_id,
            f"summary_{index}": line.summary,
            f"debit_{index}": line.debit or None,
            f"credit_{index}": line.credit or None,
        }
    source = request.POST.get("rows") if request.method == "POST" else request.GET.get("lines")
    form = VoucherForm(
        request.POST or None,
        accounts=selectors.leaf_accounts(village),
        rows=line_rows(source, at_least=max(len(lines) + 2, 8) if request.method != "POST" else 2),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.voucher_update(
                actor=acting_user(request),
                voucher=voucher,
                date=form.cleaned_data["date"],
                summary=form.cleaned_data["summary"],
                attachments=form.cleaned_data["attachments"],
                lines=form.cleaned_data["lines"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("voucher_detail", village.admin_code, voucher.pk)
    elif request.method != "POST":
        try:
            if voucher.state != VoucherState.DRAFT:
                raise ValidationError(_("Only a draft can be edited."))
            services.refuse_if_reviewed(voucher)
        except ValidationError as refusal:
            messages.error(request, refusal.messages[0])
            return redirect("voucher_detail", village.admin_code, voucher.pk)
    return _render_voucher_form(request, form, voucher, status=400 if request.method == "POST" else 200)


def _render_detail(
    request: HttpRequest,
    village: Village,
    voucher: Voucher,
    *,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    lines = selectors.voucher_lines(voucher)
    collective = Collective.objects.get(village=village)
    keeps = roles_allow(request, Action.KEEP_ACCOUNTS)
    draft = voucher.state == VoucherState.DRAFT
    posted = voucher.state == VoucherState.POSTED
    reversal = selectors.reversal_of(voucher) if posted else None
    reviews = list(subject_reviews(voucher)[:10])
    # Reviewed, a voucher is no longer edited; under review, not discarded (the services say why).
    reviewed = bool(reviews)
    under_review = subject_reviews(voucher).filter(state=ReviewState.OPEN).exists()
    context = {
        "voucher": voucher,
        "lines": lines,
        "reviews": reviews,
        "review_link": services.review_link(voucher),
        "needs_review": collective.vouchers_need_review,
        "reversal": reversal,
        "errors": errors or [],
        "can_edit": keeps and draft and voucher.kind != VoucherKind.REVERSAL and not reviewed,
        "can_discard": keeps and not posted and not under_review,
        "can_submit": keeps and draft,
        "can_post": keeps
        and (voucher.state == VoucherState.SUBMITTED or (draft and not collective.vouchers_need_review)),
        "can_reverse": keeps and posted and reversal is None and voucher.kind != VoucherKind.REVERSAL,
        "reverse_form": ReverseForm(initial={"date": timezone.localdate()}),
    }
    return render(request, "assets/voucher_detail.html", context, status=status)


@village_view(Action.VIEW_FINANCES)
def voucher_detail(request: HttpRequest, village: Village, voucher_id: int) -> HttpResponse:
    return _render_detail(request, village, _voucher(village, voucher_id))


def _voucher_action(request: HttpRequest, village: Village, voucher_id: int, action: str) -> HttpResponse:
    voucher = _voucher(village, voucher_id)
    actor = acting_user(request)
    try:
        if action == "discard":
            services.voucher_discard(actor=actor, voucher=voucher)
            messages.success(request, _("The voucher is discarded."))
            return redirect("voucher_list", village.admin_code)
        if action == "submit":
            services.voucher_submit(actor=actor, voucher=voucher)
            message = _("The voucher is sent for review. The supervision committee is told.")
        elif action == "post":
            services.voucher_post(actor=actor, voucher=voucher)
            message = _("The voucher is posted in the books.")
        else:
            form = ReverseForm(request.POST)
            if not form.is_valid():
                return _render_detail(request, village, voucher, errors=[_("Give a valid date.")], status=400)
            reversal = services.voucher_reverse(actor=actor, voucher=voucher, date=form.cleaned_data["date"])
            messages.success(
                request, _("The reversing voucher is drafted. It is reviewed and posted like any other.")
            )
            return redirect("voucher_detail", village.admin_code, reversal.pk)
    except ValidationError as error:
        return _render_detail(
            request, village, _voucher(village, voucher_id), errors=error.messages, status=400
        )
    messages.success(request, message)
    return redirect("voucher_detail", village.admin_code, voucher.pk)


@village_view(Action.KEEP_ACCOUNTS)
@require_POST
def voucher_discard(request: HttpRequest, village: Village, voucher_id: int) -> HttpResponse:
    return _voucher_action(request, village, voucher_id, "discard")


@village_view(Action.KEEP_ACCOUNTS)
@require_POST
def voucher_submit(request: HttpRequest, village: Village, voucher_id: int) -> HttpResponse:
    return _voucher_action(request, village, voucher_id, "submit")


@village_view(Action.KEEP_ACCOUNTS)
@require_POST
def voucher_post(request: HttpRequest, village: Village, voucher_id: int) -> HttpResponse:
    return _voucher_action(request, village, voucher_id, "post")


@village_view(Action.KEEP_ACCOUNTS)
@require_POST
def voucher_reverse(request: HttpRequest, village: Village, voucher_id: int) -> HttpResponse:
    return _voucher_action(request, village, voucher_id, "reverse")


# ---------------------------------------------------------------------------------------------
# The chart and an account's ledger
# ---------------------------------------------------------------------------------------------


def _render_accounts(
    request: HttpRequest, village: Village, *, form: AccountForm | None = None, status: int = 200
) -> HttpResponse:
    day_form = DayForm(request.GET or None)
    day = day_form.day_or_today()
    keeps = roles_allow(request, Action.KEEP_ACCOUNTS)
    if form is None and keeps:
        form = AccountForm(accounts=selectors.village_accounts(village).filter(active=True))
    context = {
        "figures": selectors.balances_on(village, day=day),
        "day": day,
        "day_form": day_form,
        "form": form if keeps else None,
    }
    return render(request, "assets/account_list.html", context, status=status)


@village_view(Action.VIEW_FINANCES)
def account_list(request: HttpRequest, village: Village) -> HttpResponse:
    return _render_accounts(request, village)


@village_view(Action.KEEP_ACCOUNTS)
@require_POST
def account_create(request: HttpRequest, village: Village) -> HttpResponse:
    form = AccountForm(request.POST, accounts=selectors.village_accounts(village).filter(active=True))
    if form.is_valid():
        try:
            account = services.account_create(
                actor=acting_user(request),
                village=village,
                parent=form.cleaned_data["parent"],
                code_suffix=form.cleaned_data["code_suffix"],
                name=form.cleaned_data["name"],
                name_en=form.cleaned_data["name_en"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The sub-account %(account)s is added.") % {"account": account})
            return redirect("account_list", village.admin_code)
    return _render_accounts(request, village, form=form, status=400)


@village_view(Action.VIEW_FINANCES)
def account_detail(request: HttpRequest, village: Village, account_id: int) -> HttpResponse:
    account = _account(village, account_id)
    lines = selectors.account_lines(account)
    page = Paginator(lines, selectors.LEDGER_PAGE_SIZE).get_page(request.GET.get("page"))
    offset = (page.number - 1) * selectors.LEDGER_PAGE_SIZE
    rows = selectors.ledger_rows(account, lines, offset=offset, limit=selectors.LEDGER_PAGE_SIZE)
    context = {"account": account, "page_obj": page, "rows": rows}
    return render(request, "assets/account_detail.html", context)


# ---------------------------------------------------------------------------------------------
# Reports and downloads
# ---------------------------------------------------------------------------------------------


@village_view(Action.VIEW_FINANCES)
def trial_balance(request: HttpRequest, village: Village) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    context = {"form": form, "report": selectors.trial_balance(village, start=start, end=end)}
    return render(request, "assets/trial_balance.html", context)


def statement_chart(statement: selectors.IncomeStatement) -> Any:
    return bar_chart(
        [
            ChartGroup(
                label=_("Month %(month)d") % {"month": month},
                bars=[
                    ChartBar(label=_("income"), value=income, tone="income"),
                    ChartBar(label=_("expenditure"), value=expense, tone="expense"),
                ],
            )
            for month, income, expense, _result in statement.month_rows
        ]
    )


@village_view(Action.VIEW_FINANCES)
def income_statement(request: HttpRequest, village: Village) -> HttpResponse:
    form = YearForm(request.GET or None)
    statement = selectors.income_statement(village, form.year_or_this())
    context = {
        "form": form,
        "statement": statement,
        "chart": statement_chart(statement),
        "months": range(1, 13),
    }
    return render(request, "assets/income_statement.html", context)


def _vouchers_table(
    village: Village, filters: selectors.VoucherFilters
) -> tuple[list[str], list[list[object]]]:
    headers = [
        _("Date"),
        _("Number"),
        _("State"),
        _("Summary"),
        pgettext("ledger", "Account code"),
        pgettext("ledger", "Account"),
        _("Line summary"),
        _("Debit"),
        _("Credit"),
    ]
    rows: list[list[object]] = []
    for voucher in selectors.vouchers(village, filters).prefetch_related("lines__account"):
        for line in voucher.lines.all():
            rows.append(
                [
                    voucher.date,
                    f"{voucher.year}-{voucher.number}" if voucher.number else "",
                    voucher.get_state_display(),
                    voucher.summary,
                    line.account.code,
                    line.account.name,
                    line.summary,
                    line.debit,
                    line.credit,
                ]
            )
    return headers, rows


@village_view(Action.VIEW_FINANCES)
def ledger_export(request: HttpRequest, village: Village) -> HttpResponse:
    try:
        fmt = export_format(request)
    except ExportFormatRefused as refusal:
        return HttpResponse(str(refusal), status=400, content_type="text/plain; charset=utf-8")
    what = request.GET.get("what", "vouchers")
    stamp = timezone.localdate().isoformat()
    totals: list[object] | None = None
    if what == "vouchers":
        _form, filters = _filters(request, village)
        headers, rows = _vouchers_table(village, filters)
        title = _("Vouchers")
    elif what == "trial_balance":
        start, end = PeriodForm(request.GET or None).period()
        report = selectors.trial_balance(village, start=start, end=end)
        headers = [
            pgettext("ledger", "Account code"),
            pgettext("ledger", "Account"),
            _("Opening debit"),
            _("Opening credit"),
            _("Debits"),
            _("Credits"),
            _("Closing debit"),
            _("Closing credit"),
        ]
        rows = [
            [
                figure.account.code,
                figure.account.name,
                figure.opening_debit,
                figure.opening_credit,
                figure.debit,
                figure.credit,
                figure.closing_debit,
                figure.closing_credit,
            ]
            for figure in report.rows
        ]
        totals = [
            "",
            _("Total"),
            report.opening_debit,
            report.opening_credit,
            report.debit,
            report.credit,
            report.closing_debit,
            report.closing_credit,
        ]
        title = _("Trial balance")
    elif what == "statement":
        statement = selectors.income_statement(village, YearForm(request.GET or None).year_or_this())
        headers = (
            [pgettext("ledger", "Account code"), pgettext("ledger", "Account")]
            + [str(month) for month in range(1, 13)]
            + [_("Total")]
        )
        rows = [[row.code, row.name, *row.months, row.total] for row in statement.income + statement.expense]
        totals = [
            "",
            _("Income less expenditure"),
            *(r for _m, _i, _e, r in statement.month_rows),
            statement.result,
        ]
        title = _("Income and expenditure")
    else:
        return HttpResponse(
            _("Choose what to download: vouchers, trial_balance or statement."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return table_response(
        fmt=fmt,
        filename=f"{what}-{village.admin_code}-{stamp}",
        title=str(title),
        headers=[str(header) for header in headers],
        rows=rows,
        totals=totals,
    )


# ---------------------------------------------------------------------------------------------
# Opening balances
# ---------------------------------------------------------------------------------------------

OPENING_UPLOAD_MAX_BYTES = MAX_IMPORT_BYTES


def _render_opening(
    request: HttpRequest, form: OpeningImportForm, *, errors: list[str] | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request, "assets/opening_import.html", {"form": form, "errors": errors or []}, status=status
    )


@upload_limited(lambda: OPENING_UPLOAD_MAX_BYTES)
@village_view(Action.KEEP_ACCOUNTS)
def opening_balance_import(request: HttpRequest, village: Village) -> HttpResponse:
    if request.GET.get("template"):
        return table_response(
            fmt="csv" if request.GET.get("format") == "csv" else "xlsx",
            filename=f"opening-{village.admin_code}",
            title=_("Opening balances"),
            headers=["科目编码", "科目名称", "借方余额", "贷方余额"],
            rows=[
                [account.code, account.name, "", ""]
                for account in selectors.leaf_accounts(village).exclude(kind__in=services.PROFIT_AND_LOSS)
            ],
        )
    if request.method != "POST":
        return _render_opening(
            request, OpeningImportForm(initial={"date": date(timezone.localdate().year, 1, 1)})
        )
    if upload_stopped(request):
        return _render_opening(
            request, OpeningImportForm(), errors=[upload_limit_message(OPENING_UPLOAD_MAX_BYTES)], status=400
        )
    form = OpeningImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_opening(request, form, status=400)
    try:
        rows = read_table(form.cleaned_data["file"], columns=services.OPENING_COLUMNS)
        voucher = services.opening_balance_import(
            actor=acting_user(request), village=village, day=form.cleaned_data["date"], rows=rows
        )
    except ImportRefused as refusal:
        return _render_opening(request, form, errors=refusal.errors, status=400)
    except ValidationError as error:
        return _render_opening(request, form, errors=error.messages, status=400)
    messages.success(
        request, _("The opening balances are drafted as a voucher. Send it for review, then post it.")
    )
    return redirect("voucher_detail", village.admin_code, voucher.pk)


# ---------------------------------------------------------------------------------------------
# Disclosure
# ---------------------------------------------------------------------------------------------


@village_view(Action.KEEP_ACCOUNTS)
def finance_disclose(request: HttpRequest, village: Village) -> HttpResponse:
    today = timezone.localdate()
    form = DiscloseForm(
        request.POST or None, initial={"period_start": today.replace(day=1), "period_end": today}
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            item = services.finance_disclose(
                actor=acting_user(request),
                village=village,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The finances are published on the disclosure board."))
            return redirect("disclosure_detail", village.admin_code, item.pk)
    if (
        form.is_bound
        and form.is_valid()
        and form.cleaned_data["period_start"] <= form.cleaned_data["period_end"]
    ):
        preview = selectors.finance_summary(
            village, start=form.cleaned_data["period_start"], end=form.cleaned_data["period_end"]
        )
    context = {"form": form, "preview": preview}
    return render(
        request, "assets/finance_disclose.html", context, status=400 if request.method == "POST" else 200
    )
