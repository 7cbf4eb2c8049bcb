"""Forms of the ledger pages. They check the shape of the input; the services check the rules."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assets.forms.fields import money_field
from assets.models import Account, VoucherState
from assets.services.ledger import SUMMARY_MAX_LENGTH, LineInput
from assets.values import digits
from villagegov.forms.fields import DateInput

DEFAULT_LINE_ROWS = 8
MAX_LINE_ROWS = 50
EMPTY_LABEL = "---------"


class AccountSelect(forms.Widget):
    """A <select> of the chart's accounts whose <option>s are rendered once per form and shared
    by every line row (50 rows × the whole chart would otherwise render each option 50 times)."""

    def __init__(self, options: SafeString, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.options = options

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        options = str(self.options)
        if value not in (None, ""):
            chosen = format_html('<option value="{}">', value)
            options = options.replace(chosen, chosen[:-1] + " selected>", 1)
        final = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), mark_safe(options))


def account_options(accounts: Iterable[Account]) -> SafeString:
    """The <option>s of `accounts`, after an empty one."""
    return format_html('<option value="">{}</option>', EMPTY_LABEL) + format_html_join(
        "", '<option value="{}">{}</option>', ((account.pk, str(account)) for account in accounts)
    )


class AccountField(forms.Field):
    """One of the accounts the form was given, by id; none when left empty."""

    default_error_messages = {
        "invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]
    }

    def __init__(self, *, accounts: dict[int, Account], options: SafeString, **kwargs: Any) -> None:
        super().__init__(widget=AccountSelect(options), **kwargs)
        self.accounts = accounts

    def to_python(self, value: Any) -> Account | None:
        if value in self.empty_values:
            return None
        account = self.accounts.get(digits(str(value)) or 0)
        if account is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return account

    def prepare_value(self, value: Any) -> Any:
        return value.pk if isinstance(value, Account) else value


def line_rows(value: object, *, at_least: int = DEFAULT_LINE_ROWS) -> int:
    """How many line rows a voucher form shows: `?lines=` or the posted `rows`, within limits."""
    try:
        rows = int(str(value))
    except (TypeError, ValueError):
        rows = at_least
    return max(min(rows, MAX_LINE_ROWS), at_least, 2)


class VoucherForm(forms.Form):
    """The voucher's header and `rows` line rows named account_N, summary_N, debit_N, credit_N
    (N from 1); a row left blank is ignored."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    summary = forms.CharField(label=_("Summary (摘要)"), max_length=SUMMARY_MAX_LENGTH)
    attachments = forms.IntegerField(
        label=_("Attached documents (附单据张数)"), min_value=0, max_value=999, initial=0
    )
    rows = forms.IntegerField(widget=forms.HiddenInput, min_value=2, max_value=MAX_LINE_ROWS)

    def __init__(self, *args: Any, accounts: QuerySet[Account], rows: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rows"].initial = rows
        self.row_count = rows
        # The accounts are read and their options rendered once for all the rows.
        chart = {account.pk: account for account in accounts}
        options = account_options(chart.values())
        for index in range(1, rows + 1):
            self.fields[f"account_{index}"] = AccountField(
                label=pgettext_lazy("ledger", "Account"), accounts=chart, options=options, required=False
            )
            self.fields[f"summary_{index}"] = forms.CharField(
                label=_("Line summary"), max_length=SUMMARY_MAX_LENGTH, required=False
            )
            self.fields[f"debit_{index}"] = money_field(_("Debit (借方)"), required=False)
            self.fields[f"credit_{index}"] = money_field(_("Credit (贷方)"), required=False)

    def line_fields(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [
            (index, [self[f"{name}_{index}"] for name in ("account", "summary", "debit", "credit")])
            for index in range(1, self.row_count + 1)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lines: list[LineInput] = []
        for index in range(1, self.row_count + 1):
            account = cleaned.get(f"account_{index}")
            summary = cleaned.get(f"summary_{index}") or ""
            debit = cleaned.get(f"debit_{index}") or Decimal("0")
            credit = cleaned.get(f"credit_{index}") or Decimal("0")
            if any(f"{name}_{index}" in self.errors for name in ("account", "debit", "credit")):
                continue
            if account is None and not summary and not debit and not credit:
                continue  # a blank row
            if account is None:
                self.add_error(f"account_{index}", _("Choose the account of this line, or clear the line."))
                continue
            lines.append((account, summary, debit, credit))
        cleaned["lines"] = lines
        return cleaned


class AccountForm(forms.Form):
    parent = forms.ModelChoiceField(label=_("Parent account"), queryset=Account.objects.none())
    code_suffix = forms.RegexField(
        label=_("Two more digits of the code"),
        regex=r"^[0-9]{2}$",
        max_length=2,
        help_text=_("The sub-account's code is the parent's code and these two digits, e.g. 10201."),
        error_messages={"invalid": _("Give two digits, 01 to 99.")},
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    name_en = forms.CharField(label=_("Name in English"), max_length=100, required=False)

    def __init__(self, *args: Any, accounts: QuerySet[Account], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = accounts


class VoucherFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("any")), *list(VoucherState.choices)], required=False
    )
    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    account = forms.ModelChoiceField(
        label=pgettext_lazy("ledger", "Account"), queryset=Account.objects.none(), required=False
    )
    search = forms.CharField(label=_("Search"), max_length=100, required=False)

    def __init__(self, *args: Any, accounts: QuerySet[Account], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        account = self.fields["account"]
        assert isinstance(account, forms.ModelChoiceField)
        account.queryset = accounts


class DayForm(forms.Form):
    day = forms.DateField(label=_("Balances at the end of"), required=False, widget=DateInput())

    def day_or_today(self) -> date:
        if self.is_valid() and self.cleaned_data.get("day"):
            day: date = self.cleaned_data["day"]
            return day
        return timezone.localdate()


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def period(self) -> tuple[date, date]:
        """The period asked for; by default this year up to today. A reversed period is swapped."""
        today = timezone.localdate()
        cleaned = self.cleaned_data if self.is_valid() else {}
        end = cleaned.get("end") or today
        start = cleaned.get("start") or date(end.year, 1, 1)
        return (start, end) if start <= end else (end, start)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1949, max_value=2999, required=False)

    def year_or_this(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return int(self.cleaned_data["year"])
        return timezone.localdate().year


class ReverseForm(forms.Form):
    date = forms.DateField(
        label=_("Date of the reversing voucher"),
        required=False,
        widget=DateInput(),
        help_text=_("Today if left empty."),
    )


class OpeningImportForm(forms.Form):
    date = forms.DateField(label=_("Balances as of"), widget=DateInput())
    file = forms.FileField(
        label=_("Table of balances (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class DiscloseForm(forms.Form):
    period_start = forms.DateField(label=_("First day of the period"), widget=DateInput())
    period_end = forms.DateField(label=_("Last day of the period"), widget=DateInput())
