from .audit import AuditChainHead, AuditRecord, AuditVerification
from .councils import ROSTER_BODIES, Council, CouncilSeat, SeatPosition
from .invitations import Invitation
from .notifications import Notification
from .rules import ALTERNATIVE_PURPOSES, Basis, Body, BodyRule, Counted, Purpose, RuleSet, Threshold
from .users import User
from .villages import (
    ASSIGNABLE_ROLES,
    INVERSE_RELATION,
    Gender,
    Household,
    Kinship,
    Person,
    Relation,
    Role,
    RoleAssignment,
    Village,
    VillagerGroup,
)

__all__ = [
    "ALTERNATIVE_PURPOSES",
    "ASSIGNABLE_ROLES",
    "INVERSE_RELATION",
    "ROSTER_BODIES",
    "AuditChainHead",
    "AuditRecord",
    "AuditVerification",
    "Basis",
    "Body",
    "BodyRule",
    "Council",
    "CouncilSeat",
    "Counted",
    "Gender",
    "Household",
    "Invitation",
    "Kinship",
    "Notification",
    "Person",
    "Purpose",
    "Relation",
    "Role",
    "RoleAssignment",
    "RuleSet",
    "SeatPosition",
    "Threshold",
    "User",
    "Village",
    "VillagerGroup",
]
