"""Forms of the discussion of an agenda item."""

from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.selectors.discussion import COMMENT_MAX_LENGTH, HIDE_REASON_MAX_LENGTH


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your post"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CommentHideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding"),
        max_length=HIDE_REASON_MAX_LENGTH,
        help_text=_("Everyone will see this reason in place of the post."),
    )
