"""Forms of the roster pages. They check the shape of the input; the services check the rules."""

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from villagegov.forms.fields import date_field
from villagegov.models import (
    ASSIGNABLE_ROLES,
    Gender,
    Household,
    Person,
    Relation,
    Role,
    Village,
    VillagerGroup,
)
from villagegov.services.roster import MAX_GROUP_NUMBER

if TYPE_CHECKING:
    pass


class HouseholdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Household) -> str:
        parts = [obj.number, obj.address, obj.group.name if obj.group else ""]
        return " · ".join(part for part in parts if part)


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, widget=forms.RadioSelect)
    birth_date = date_field(_("Date of birth"), required=False)
    phone = forms.CharField(
        label=_("Mobile phone"), max_length=30, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    household = HouseholdChoiceField(
        label=_("Household"), queryset=Household.objects.none(), required=False, empty_label=_("(none)")
    )
    is_registered_resident = forms.BooleanField(
        label=_("Registered villager (may vote here)"), required=False, initial=True
    )
    joined_on = date_field(_("On the roster since"), initial=timezone.localdate)

    def __init__(self, *args: Any, village: Village, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        household_field = self.fields["household"]
        assert isinstance(household_field, HouseholdChoiceField)
        household_field.queryset = Household.objects.filter(village=village).select_related("group")

    @staticmethod
    def initial_for(person: Person) -> dict[str, Any]:
        return {
            "name": person.name,
            "gender": person.gender,
            "birth_date": person.birth_date,
            "phone": person.phone,
            "household": person.household_id,
            "is_registered_resident": person.is_registered_resident,
            "joined_on": person.joined_on,
        }


class LeaveReason(models.TextChoices):
    DEATH = "death", _("Death")
    MARRIED_OUT = "married_out", _("Married out of the village")
    MOVED_AWAY = "moved_away", _("Moved away")
    CIVIL_SERVICE = "civil_service", _("Civil-service appointment")
    OTHER = "other", _("Other")


class PersonLeaveForm(forms.Form):
    left_on = date_field(_("Left the roster on"), initial=timezone.localdate)
    # No preselected reason: one careless tap must not record a death.
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", _("(choose)")), *LeaveReason.choices])
    details = forms.CharField(label=_("Details"), max_length=150, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("reason") == LeaveReason.OTHER and not cleaned.get("details", "").strip():
            self.add_error("details", _("Say why the person leaves."))
        return cleaned

    def reason_text(self) -> str:
        """The reason as the register records it, in the village's language whoever types it."""
        with translation.override(settings.LANGUAGE_CODE):
            label = str(LeaveReason(self.cleaned_data["reason"]).label)
        details = self.cleaned_data["details"].strip()
        return f"{label}: {details}" if details else label


class RoleAssignForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("(choose a role)")), *ASSIGNABLE_ROLES])
    starts_on = date_field(_("Term starts"), initial=timezone.localdate)
    ends_on = date_field(_("Term ends"), required=False, help_text=_("Leave empty if the end is not set."))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def role_choice(self) -> Role:
        return Role(self.cleaned_data["role"])


class RoleEndForm(forms.Form):
    ends_on = date_field(_("Last day of the term"), initial=timezone.localdate)


def person_option_value(person: Person) -> str:
    """How a person is offered in a name picker's suggestions: the name and the roster number."""
    return f"{person.name} (#{person.pk})"


def pick_person(typed: str, candidates: QuerySet[Person]) -> Person:
    """The person a name picker's text names: by the roster number of a suggestion, or by a name
    that only one of `candidates` has."""
    text = typed.strip()
    numbered = re.search(r"#([0-9]{1,18})\)?$", text)
    if numbered:
        found = candidates.filter(pk=int(numbered.group(1))).first()
        if found is None:
            raise forms.ValidationError(_("There is no such person on this village's roster."))
        typed_name = text[: numbered.start()].strip(" (")
        if typed_name and typed_name != found.name:
            # A mistyped number must not silently pick someone else.
            raise forms.ValidationError(
                _("Number %(number)s is %(name)s. Pick the person from the list.")
                % {"number": found.pk, "name": found.name}
            )
        return found
    named = list(candidates.filter(name=text)[:2])
    if not named:
        raise forms.ValidationError(_("No one of that name is on this village's roster."))
    if len(named) > 1:
        raise forms.ValidationError(
            _("Several people are called %(name)s. Pick the right one from the list.") % {"name": text}
        )
    return named[0]


class KinshipDeclareForm(forms.Form):
    """The relative is typed, with the village's people offered as suggestions (a datalist) that
    carry their roster number, so a name shared by several people is still picked exactly."""

    relation = forms.ChoiceField(label=_("is this person's"), choices=Relation.choices)
    relative = forms.CharField(
        label=_("Relative"),
        max_length=80,
        help_text=_("Start typing a name and pick the person from the list."),
        widget=forms.TextInput(attrs={"list": "relative-options", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, candidates: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates

    option_value = staticmethod(person_option_value)

    def clean_relative(self) -> Person:
        return pick_person(self.cleaned_data["relative"], self.candidates)

    def relation_choice(self) -> Relation:
        return Relation(self.cleaned_data["relation"])


class GroupForm(forms.Form):
    number = forms.IntegerField(label=_("Group number"), min_value=1, max_value=MAX_GROUP_NUMBER)
    name = forms.CharField(label=_("Name"), max_length=100)


class HouseholdForm(forms.Form):
    number = forms.CharField(label=_("Household number"), max_length=30)
    group = forms.ModelChoiceField(
        label=_("Villager group"),
        queryset=VillagerGroup.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)

    def __init__(self, *args: Any, village: Village, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group_field = self.fields["group"]
        assert isinstance(group_field, forms.ModelChoiceField)
        group_field.queryset = VillagerGroup.objects.filter(village=village)


class HouseholdHeadForm(forms.Form):
    head = forms.ModelChoiceField(label=_("Household head"), queryset=Person.objects.none())

    def __init__(self, *args: Any, members: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        head_field = self.fields["head"]
        assert isinstance(head_field, forms.ModelChoiceField)
        head_field.queryset = members


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or phone"), max_length=50, required=False)
    group = forms.ModelChoiceField(
        label=_("Villager group"),
        queryset=VillagerGroup.objects.none(),
        required=False,
        empty_label=_("(all)"),
    )
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("(any)")), *Role.choices], required=False)
    include_left = forms.BooleanField(label=_("Include people who left"), required=False)

    def __init__(self, *args: Any, village: Village, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group_field = self.fields["group"]
        assert isinstance(group_field, forms.ModelChoiceField)
        group_field.queryset = VillagerGroup.objects.filter(village=village)

    def role_choice(self) -> Role | None:
        role = self.cleaned_data.get("role")
        return Role(role) if role else None
