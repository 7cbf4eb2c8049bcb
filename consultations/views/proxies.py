"""Written proxies of a session (书面委托): the list and the form to record one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from consultations.forms.proxies import ProxyForm
from consultations.models import Session
from consultations.selectors.proxies import (
    PROXY_CITATION,
    proxies_allowed,
    proxies_refused,
    proxy_candidates,
    session_proxies,
)
from consultations.services.proxies import proxy_record
from villagegov.models import Village
from villagegov.permissions import Action
from villagegov.views.base import acting_user, village_view


@village_view(Action.RECORD_ATTENDANCE)
def proxy_list(request: HttpRequest, village: Village, session_id: int) -> HttpResponse:
    session = get_object_or_404(
        Session.objects.select_related("council__village"), pk=session_id, council__village=village
    )
    allowed = proxies_allowed(session)
    people = proxy_candidates(session) if allowed else []
    form = ProxyForm(request.POST or None, people=people)
    refusal = ""
    if request.method == "POST":
        if not allowed:
            refusal = proxies_refused(session)
        elif form.is_valid():
            try:
                proxy = proxy_record(
                    actor=acting_user(request),
                    session=session,
                    grantor=form.person("grantor"),
                    holder=form.person("holder"),
                    document=form.cleaned_data["document"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(holder)s will vote for %(grantor)s.")
                    % {"holder": proxy.holder.name, "grantor": proxy.grantor.name},
                )
                return redirect("proxy_list", village.admin_code, session.pk)
    context = {
        "session": session,
        "allowed": allowed,
        "citation": PROXY_CITATION.citation(),
        "form": form,
        "proxies": list(session_proxies(session)),
        "refusal": refusal,
    }
    return render(request, "consultations/proxy_list.html", context, status=400 if form.is_bound else 200)
