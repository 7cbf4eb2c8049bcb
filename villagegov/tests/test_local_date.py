"""Dates inside messages are written as the reader's language writes them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from villagegov.formats import local_date
from villagegov.models import Person, Role
from villagegov.services.roster import role_assign


def test_chinese_and_english() -> None:
    with translation.override("zh-hans"):
        assert local_date(date(2024, 1, 1)) == "2024年1月1日"
    with translation.override("en"):
        assert local_date(date(2024, 1, 1)) == "Jan. 1, 2024"
    assert local_date(None) == "—"


def test_a_refusal_names_the_date_in_chinese(official: Person, resident: Person) -> None:
    assert official.user is not None
    role_assign(actor=official.user, person=resident, role=Role.CLERK, starts_on=date(2024, 1, 1))
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refusal:
        role_assign(actor=official.user, person=resident, role=Role.CLERK, starts_on=date(2024, 3, 1))
    assert "2024年1月1日" in str(refusal.value)
