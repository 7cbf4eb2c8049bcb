"""The village-affairs supervision committee (村务监督委员会): appointments, reviews of any subject,
their evidence and sign-offs, findings followed to rectification, formal questions, and the
disclosure board (村务公开栏)."""

from supervision.models.appraisal import Appraisal, AppraisalRating, AppraisalResult, DisclosurePolicy
from supervision.models.disclosure import DisclosureItem, DisclosureObjection, DisclosureSection
from supervision.models.findings import (
    Finding,
    FindingResponse,
    FindingState,
    FindingVerification,
    VerificationOutcome,
)
from supervision.models.questions import Question
from supervision.models.reviews import (
    Appointment,
    ComplaintFollowUp,
    DisclosureCheck,
    DistributionCheck,
    Evidence,
    MeetingAttendance,
    PolicyCheck,
    ProjectReview,
    ProjectStage,
    Review,
    ReviewEntry,
    ReviewState,
    SignOff,
    SignOffDecision,
    VoucherReview,
)

__all__ = [
    "Appointment",
    "Appraisal",
    "AppraisalRating",
    "AppraisalResult",
    "ComplaintFollowUp",
    "DisclosureCheck",
    "DisclosureItem",
    "DisclosureObjection",
    "DisclosurePolicy",
    "DisclosureSection",
    "DistributionCheck",
    "Evidence",
    "Finding",
    "FindingResponse",
    "FindingState",
    "FindingVerification",
    "MeetingAttendance",
    "PolicyCheck",
    "ProjectReview",
    "ProjectStage",
    "Question",
    "Review",
    "ReviewEntry",
    "ReviewState",
    "SignOff",
    "SignOffDecision",
    "VerificationOutcome",
    "VoucherReview",
]
