"""Pages of the collective's members and shares: the register, a member's page with the share
history, admitting, changing shares, leaving, the export and the import of the register, the
collective's settings and a villager's own shares."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assets.exports import ExportFormatRefused, export_format, table_response
from assets.forms.members import (
    CollectiveForm,
    MemberAdmitForm,
    MemberImportForm,
    MemberLeaveForm,
    ShareChangeForm,
)
from assets.imports import MAX_IMPORT_BYTES, ImportRefused, read_table
from assets.models import JoinReason, Membership
from assets.selectors.dashboard import collective_overview
from assets.selectors.members import (
    MEMBER_PAGE_SIZE,
    MemberState,
    admit_candidates,
    collective_of,
    confirming_resolutions,
    member_totals,
    memberships_of,
    register_on,
    share_history,
    village_members,
    village_membership,
)
from assets.services import members as services
from assets.values import ZERO
from consultations.uploads import MEGABYTE, upload_limited, upload_stopped
from villagegov.models import Village
from villagegov.permissions import Action, person_in
from villagegov.views.base import acting_user, roles_allow, village_view

# The import's file and the form's other fields, with room to spare.
IMPORT_UPLOAD_MAX_BYTES = MAX_IMPORT_BYTES + MEGABYTE


@village_view(Action.VIEW_FINANCES)
def collective_dashboard(request: HttpRequest, village: Village) -> HttpResponse:
    overview = collective_overview(village, on=timezone.localdate())
    return render(request, "assets/collective_dashboard.html", {"overview": overview})


def _membership(village: Village, membership_id: int) -> Membership:
    membership = village_membership(village, membership_id)
    if membership is None:
        raise Http404
    return membership


def _bad_request(message: str) -> HttpResponse:
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


@village_view(Action.MANAGE_MEMBERS)
def collective_settings(request: HttpRequest, village: Village) -> HttpResponse:
    # Every village has its collective from its creation (assets.apps and migration 0002).
    collective = collective_of(village)
    if collective is None:
        raise Http404
    initial: dict[str, Any] = {
        "name": collective.name,
        "reserve_rate": collective.reserve_rate,
        "vouchers_need_review": collective.vouchers_need_review,
    }
    form = CollectiveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.collective_update(
                actor=acting_user(request),
                collective=collective,
                name=form.cleaned_data["name"],
                reserve_rate=form.cleaned_data["reserve_rate"],
                vouchers_need_review=form.cleaned_data["vouchers_need_review"],
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The collective's settings are saved."))
            return redirect("collective_settings", village.admin_code)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "assets/collective_settings.html", {"form": form, "collective": collective}, status=status
    )


@village_view(Action.VIEW_VILLAGE)
def my_shares(request: HttpRequest, village: Village) -> HttpResponse:
    person = person_in(acting_user(request), village)
    memberships = memberships_of(village, person) if person is not None else []
    context = {"person": person, "memberships": memberships, "today": timezone.localdate()}
    return render(request, "assets/my_shares.html", context)


@village_view(Action.VIEW_FINANCES)
def member_list(request: HttpRequest, village: Village) -> HttpResponse:
    query = request.GET.get("q", "")[:50]
    state = request.GET.get("state", MemberState.CURRENT)
    if state not in MemberState.VALUES:
        state = MemberState.CURRENT
    memberships = village_members(village, query=query, state=state)
    page = Paginator(memberships, MEMBER_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "query": query,
        "state": state,
        "states": [
            (MemberState.CURRENT, _("Current members")),
            (MemberState.LEFT, _("Former members")),
            (MemberState.ALL, _("Everyone")),
        ],
        "totals": member_totals(memberships),
        "can_manage": roles_allow(request, Action.MANAGE_MEMBERS),
        "today": timezone.localdate(),
    }
    return render(request, "assets/member_list.html", context)


@village_view(Action.MANAGE_MEMBERS)
def member_admit(request: HttpRequest, village: Village) -> HttpResponse:
    candidates = admit_candidates(village)
    resolutions = confirming_resolutions(village)
    form = MemberAdmitForm(request.POST or None, candidates=candidates, resolutions=resolutions)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_admit(
                actor=acting_user(request),
                village=village,
                person=form.cleaned_data["person"],
                shares=form.cleaned_data["shares"],
                joined_on=form.cleaned_data["joined_on"],
                join_reason=form.cleaned_data["join_reason"],
                resolution=form.cleaned_data["resolution"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(
                request,
                _("%(name)s is admitted as member no. %(number)s.")
                % {"name": membership.person.name, "number": membership.number},
            )
            return redirect("member_detail", village.admin_code, membership.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "person_options": [MemberAdmitForm.option_value(person) for person in candidates[:2000]],
        "has_resolutions": resolutions.exists(),
    }
    return render(request, "assets/member_admit.html", context, status=status)


def _render_detail(
    request: HttpRequest,
    village: Village,
    membership: Membership,
    *,
    shares_form: ShareChangeForm | None = None,
    leave_form: MemberLeaveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    manages = roles_allow(request, Action.MANAGE_MEMBERS) and membership.left_on is None
    resolutions = confirming_resolutions(village)
    context = {
        "membership": membership,
        "history": share_history(membership),
        "shares_form": shares_form
        if shares_form is not None
        else (ShareChangeForm(resolutions=resolutions) if manages else None),
        "leave_form": leave_form if leave_form is not None else (MemberLeaveForm() if manages else None),
    }
    return render(request, "assets/member_detail.html", context, status=status)


@village_view(Action.VIEW_FINANCES)
def member_detail(request: HttpRequest, village: Village, membership_id: int) -> HttpResponse:
    return _render_detail(request, village, _membership(village, membership_id))


@village_view(Action.MANAGE_MEMBERS)
@require_POST
def member_shares_change(request: HttpRequest, village: Village, membership_id: int) -> HttpResponse:
    membership = _membership(village, membership_id)
    form = ShareChangeForm(request.POST, resolutions=confirming_resolutions(village))
    if form.is_valid():
        try:
            services.membership_shares_change(
                actor=acting_user(request),
                membership=membership,
                shares=form.cleaned_data["shares"],
                effective_on=form.cleaned_data["effective_on"],
                reason=form.cleaned_data["reason"],
                resolution=form.cleaned_data["resolution"],
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The change of shares is recorded."))
            return redirect("member_detail", village.admin_code, membership.pk)
    return _render_detail(request, village, _membership(village, membership_id), shares_form=form, status=400)


@village_view(Action.MANAGE_MEMBERS)
@require_POST
def member_leave(request: HttpRequest, village: Village, membership_id: int) -> HttpResponse:
    membership = _membership(village, membership_id)
    form = MemberLeaveForm(request.POST)
    if form.is_valid():
        try:
            services.membership_end(
                actor=acting_user(request),
                membership=membership,
                left_on=form.cleaned_data["left_on"],
                leave_reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(
                request,
                _(
                    "The membership of %(name)s is ended. "
                    "They are no longer on the roll of the members' assembly."
                )
                % {"name": membership.person.name},
            )
            return redirect("member_detail", village.admin_code, membership.pk)
    return _render_detail(request, village, _membership(village, membership_id), leave_form=form, status=400)


@village_view(Action.VIEW_FINANCES)
def member_export(request: HttpRequest, village: Village) -> HttpResponse:
    try:
        fmt = export_format(request)
    except ExportFormatRefused as refusal:
        return _bad_request(str(refusal))
    day_text = request.GET.get("day", "")
    if day_text:
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            return _bad_request(_("Give the day as YYYY-MM-DD, such as 2024-12-31."))
    else:
        day = timezone.localdate()
    register = register_on(village, day=day)
    headers = [_("Member number"), _("Name"), _("Shares"), _("Joined"), _("Reason for joining")]
    rows = [
        [
            entry.membership.number,
            entry.membership.person.name,
            entry.shares,
            entry.membership.joined_on,
            entry.membership.get_join_reason_display(),
        ]
        for entry in register
    ]
    totals = [
        _("Total"),
        ngettext("%(count)d member", "%(count)d members", len(rows)) % {"count": len(rows)},
        sum((entry.shares for entry in register), start=ZERO),
        None,
        None,
    ]
    return table_response(
        fmt=fmt,
        filename=f"members-{village.admin_code}-{day.isoformat()}",
        title=_("Share register"),
        headers=headers,
        rows=rows,
        totals=totals,
    )


def _import_template(fmt: str) -> HttpResponse:
    headers = [names[0] for names in services.IMPORT_COLUMNS.values()]
    example = ["1", "张三", "1970-01-31", "1.00", "2020-01-01", str(JoinReason.FOUNDING.label)]
    return table_response(
        fmt=fmt, filename="members-import-template", title=_("Members"), headers=headers, rows=[example]
    )


def _render_import(
    request: HttpRequest, village: Village, form: MemberImportForm, *, errors: list[str], status: int
) -> HttpResponse:
    context = {
        "form": form,
        "errors": errors,
        "columns": services.IMPORT_COLUMNS,
        "has_resolutions": confirming_resolutions(village).exists(),
    }
    return render(request, "assets/member_import.html", context, status=status)


@upload_limited(lambda: IMPORT_UPLOAD_MAX_BYTES)
@village_view(Action.MANAGE_MEMBERS)
def member_import(request: HttpRequest, village: Village) -> HttpResponse:
    resolutions = confirming_resolutions(village)
    if request.method != "POST":
        template = request.GET.get("template")
        if template:
            if template not in ("xlsx", "csv"):
                return _bad_request(_("Choose XLSX or CSV for the download."))
            return _import_template(template)
        return _render_import(
            request, village, MemberImportForm(resolutions=resolutions), errors=[], status=200
        )
    if upload_stopped(request):
        return _render_import(
            request,
            village,
            MemberImportForm(resolutions=resolutions),
            errors=[_("The file is larger than 5 MB.")],
            status=400,
        )
    form = MemberImportForm(request.POST, request.FILES, resolutions=resolutions)
    if not form.is_valid():
        return _render_import(request, village, form, errors=[], status=400)
    try:
        rows = read_table(form.cleaned_data["file"], columns=services.IMPORT_COLUMNS)
        missing = [key for key in services.REQUIRED_COLUMNS if key not in rows[0].values]
        if missing:
            raise ImportRefused(
                [
                    _("The file has no column %(column)s.") % {"column": services.IMPORT_COLUMNS[key][0]}
                    for key in missing
                ]
            )
        imported = services.members_import(
            actor=acting_user(request), village=village, rows=rows, resolution=form.cleaned_data["resolution"]
        )
    except ImportRefused as refusal:
        return _render_import(request, village, form, errors=refusal.errors, status=400)
    except ValidationError as refusal:
        return _render_import(request, village, form, errors=list(refusal.messages), status=400)
    messages.success(
        request,
        ngettext("%(count)d member is admitted.", "%(count)d members are admitted.", len(imported))
        % {"count": len(imported)},
    )
    return redirect("member_list", village.admin_code)
