"""Who must set up a second factor: every role that may change more than a villager may
(the roster, the minutes, the books, the decisions), and no role that may only read."""

import pytest
from django.test import override_settings
from django.urls import reverse

from villagegov.models import Role, Village
from villagegov.permissions import ROLES_ALLOWED, ROLES_REQUIRING_MFA, Action
from villagegov.testing import client_for, make_person

# What every villager may do, or what only reads: no second factor for these alone.
READING_OR_EVERYONES = {
    Action.VIEW_VILLAGE,
    Action.VIEW_ROSTER,
    Action.VIEW_AUDIT_LOG,
    Action.VIEW_REVIEWS,
    Action.VIEW_FINANCES,
    Action.TAKE_PART,
    Action.RAISE_TOPIC,
    Action.RAISE_OBJECTION,
}


def test_every_role_with_a_power_to_change_things_requires_a_second_factor() -> None:
    changing = {
        role
        for action, roles in ROLES_ALLOWED.items()
        if action not in READING_OR_EVERYONES
        for role in roles
    }
    assert changing == ROLES_REQUIRING_MFA


@override_settings(VILLAGEGOV_REQUIRE_MFA=True)
@pytest.mark.parametrize("role", [Role.COLLECTIVE_HEAD, Role.PARTY_BRANCH_MEMBER])
def test_the_collectives_head_and_the_party_branch_are_sent_to_set_it_up(
    village: Village, role: Role
) -> None:
    client = client_for(make_person(village, roles=(role,), with_account=True))
    response = client.get(reverse("village_dashboard", args=[village.admin_code]))
    assert response["Location"] == reverse("mfa_activate_totp")
