"""Forms of the topic pages. They check the shape of the input (and the photos' content, through
consultations.uploads); the services check the rules."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models import Session, TopicState
from consultations.services.topics import (
    ANSWER_MAX_LENGTH,
    BODY_MAX_LENGTH,
    MAX_PHOTOS,
    PHOTO_MAX_BYTES,
    TITLE_MAX_LENGTH,
)
from consultations.uploads import PHOTO_TYPES, ValidatedUpload, validated_upload
from villagegov.formats import local_date
from villagegov.models import Council


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files under one name; each is checked by its content and loses its metadata (the
    GPS position of a villager's house must not be published with their photo)."""

    widget = MultiplePhotoInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[ValidatedUpload]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("At most %(max)d photos.") % {"max": MAX_PHOTOS}, code="too_many")
        photos: list[ValidatedUpload] = []
        errors: list[ValidationError] = []
        for file in files:
            if not isinstance(file, UploadedFile):
                errors.append(ValidationError(_("This is not a file."), code="invalid"))
                continue
            try:
                photos.append(
                    validated_upload(
                        file, allowed_types=PHOTO_TYPES, max_bytes=PHOTO_MAX_BYTES, strip_metadata=True
                    )
                )
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return photos


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} · {local_date(timezone.localdate(obj.starts_at))} · {obj.get_state_display()}"


class TopicForm(forms.Form):
    council = forms.ModelChoiceField(
        label=_("For which body"),
        queryset=Council.objects.none(),
        help_text=_("The body whose meeting should discuss the matter."),
    )
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    matter = forms.CharField(
        label=_("The matter"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What is the problem, where, and what would you like done?"),
    )
    photos = MultiplePhotoField(
        label=_("Photos (optional)"),
        help_text=_("Up to 3 photos, JPEG, PNG or WebP, at most 5 MB each."),
        widget=MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args: Any, councils: QuerySet[Council], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        council_field = self.fields["council"]
        assert isinstance(council_field, forms.ModelChoiceField)
        council_field.queryset = councils


class TopicAnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (state.value, state.label)
            for state in (TopicState.ON_AGENDA, TopicState.HANDLED, TopicState.DECLINED)
        ],
        widget=forms.RadioSelect,
    )
    session = SessionChoiceField(
        label=_("Onto the agenda of"),
        queryset=Session.objects.none(),
        required=False,
        help_text=_("Only when taking the matter onto an agenda."),
    )
    answer = forms.CharField(
        label=_("Public answer"),
        max_length=ANSWER_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when the matter was handled directly or is declined (give the reason)."),
    )

    def __init__(self, *args: Any, sessions: QuerySet[Session], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        session_field = self.fields["session"]
        assert isinstance(session_field, forms.ModelChoiceField)
        session_field.queryset = sessions

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        outcome = cleaned.get("outcome")
        if outcome == TopicState.ON_AGENDA and not cleaned.get("session"):
            self.add_error("session", _("Choose the session whose agenda the matter goes onto."))
        if outcome == TopicState.HANDLED and not cleaned.get("answer", "").strip():
            self.add_error("answer", _("Say how the matter was handled."))
        if outcome == TopicState.DECLINED and not cleaned.get("answer", "").strip():
            self.add_error("answer", _("Give the reason the matter is declined."))
        return cleaned
