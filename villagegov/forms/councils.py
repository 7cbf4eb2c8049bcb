"""Forms of the council pages. They check the shape of the input; the services check the rules."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from villagegov.forms.fields import date_field
from villagegov.models import Body, Person, SeatPosition, Village, VillagerGroup

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Far above any village's population, far below what the database or the arithmetic would mind.
MAX_COUNT = 1_000_000


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        # The household number tells apart people who share a name.
        return f"{obj.name} · {obj.household.number}" if obj.household else obj.name


class CouncilForm(forms.Form):
    body = forms.ChoiceField(label=_("Kind of body"), choices=Body.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    group = forms.ModelChoiceField(
        label=_("Villager group"),
        queryset=VillagerGroup.objects.none(),
        required=False,
        empty_label=_("(none)"),
        help_text=_("Only for a villager group meeting."),
    )

    def __init__(self, *args: Any, village: Village, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group_field = self.fields["group"]
        assert isinstance(group_field, forms.ModelChoiceField)
        group_field.queryset = VillagerGroup.objects.filter(village=village)

    def body_choice(self) -> Body:
        return Body(self.cleaned_data["body"])


class CouncilSeatForm(forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none(), empty_label=_("(choose)"))
    position = forms.ChoiceField(
        label=_("Position"), choices=SeatPosition.choices, initial=SeatPosition.MEMBER
    )
    starts_on = date_field(_("Term starts"), initial=timezone.localdate)
    ends_on = date_field(_("Term ends"), required=False, help_text=_("Leave empty if the end is not set."))
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("For example the member's portfolio, or their finance or accounting knowledge."),
    )

    def __init__(self, *args: Any, candidates: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person_field = self.fields["person"]
        assert isinstance(person_field, PersonChoiceField)
        person_field.queryset = candidates

    def position_choice(self) -> SeatPosition:
        return SeatPosition(self.cleaned_data["position"])


class CouncilSeatEndForm(forms.Form):
    ends_on = date_field(_("Last day of the term"), initial=timezone.localdate)


def _count_field(label: "StrOrPromise", *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=MAX_COUNT, required=required)


class QuorumCalculatorForm(forms.Form):
    """The figures of a meeting, to see whether it is quorate and whether a motion passes.

    No figure may exceed what it is a part of: the body's members, the households, the attendees."""

    attendees = _count_field(_("Attendees"))
    households_represented = _count_field(_("Households represented"), required=False)
    yes_votes = _count_field(_("Votes in favour"), required=False)

    def __init__(self, *args: Any, members: int, households: int | None, **kwargs: Any) -> None:
        """`households` is None for a body that is not quorate by households."""
        super().__init__(*args, **kwargs)
        self.members = members
        self.households = households
        # Only the assemblies that may be quorate by households ask for them.
        if households is None:
            del self.fields["households_represented"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        attendees = cleaned.get("attendees")
        if attendees is not None and attendees > self.members:
            self.add_error(
                "attendees",
                ngettext_lazy(
                    "There cannot be more attendees than the body's %(total)d member.",
                    "There cannot be more attendees than the body's %(total)d members.",
                    "total",
                )
                % {"total": self.members},
            )
        represented = cleaned.get("households_represented")
        if self.households is not None and represented is not None and represented > self.households:
            self.add_error(
                "households_represented",
                ngettext_lazy(
                    "There cannot be more households represented than the %(total)d household counted.",
                    "There cannot be more households represented than the %(total)d households counted.",
                    "total",
                )
                % {"total": self.households},
            )
        yes_votes = cleaned.get("yes_votes")
        if attendees is not None and yes_votes is not None and yes_votes > attendees:
            self.add_error("yes_votes", _("There cannot be more votes in favour than attendees."))
        return cleaned

    @classmethod
    def submitted_in(cls, data: Any) -> bool:
        """Whether the query string carries the calculator (it shares the page with member paging)."""
        return any(name in data for name in cls.base_fields)
