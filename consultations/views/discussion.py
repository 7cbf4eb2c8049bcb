"""The written discussion of an agenda item: posting, and moderators hiding a post."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.forms.discussion import CommentForm, CommentHideForm
from consultations.selectors.discussion import village_comment
from consultations.services import discussion as services
from consultations.views.agenda import agenda_item, item_url, render_item
from villagegov.models import Village
from villagegov.permissions import Action, person_in
from villagegov.views.base import acting_user, village_view


@village_view(Action.TAKE_PART)
@require_POST
def comment_post(request: HttpRequest, village: Village, session_id: int, item_id: int) -> HttpResponse:
    item = agenda_item(request, village, session_id, item_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        actor = acting_user(request)
        person = person_in(actor, village)
        try:
            if person is None:
                raise ValidationError(_("Only people on this village's roster can take part."))
            services.comment_post(actor=actor, item=item, person=person, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your post was added."))
            return redirect(item_url(item) + "#discussion")
    return render_item(request, village, item, status=400, comment_form=form)


@village_view(Action.MODERATE_DISCUSSION)
@require_POST
def comment_hide(request: HttpRequest, village: Village, session_id: int, comment_id: int) -> HttpResponse:
    comment = village_comment(village, session_id, comment_id)
    if comment is None:
        raise Http404
    item = agenda_item(request, village, session_id, comment.item_id)
    form = CommentHideForm(request.POST)
    if form.is_valid():
        try:
            services.comment_hide(
                actor=acting_user(request), comment=comment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The post is hidden. Everyone sees the reason."))
            return redirect(item_url(item) + f"#comment-{comment.pk}")
    return render_item(request, village, item, status=400, hide_form=form, hiding=comment.pk)
