"""The models of deliberation: sessions, attendance, agenda, speakers, discussion, polls,
topics raised by residents, minutes, resolutions and the 四议两公开 record."""

from consultations.models.agenda import (
    AgendaItem,
    DiscussionItem,
    ElectionCandidate,
    ElectionItem,
    ItemState,
    MotionItem,
    ReportItem,
)
from consultations.models.delegations import Delegation
from consultations.models.discussion import Comment, SpeakerRequest, SpeakerState
from consultations.models.minutes import DecisionProcess, DecisionStep, DecisionStepKind, Minutes, Resolution
from consultations.models.polls import (
    Answer,
    Ballot,
    BallotChange,
    BallotIntake,
    Poll,
    PollKind,
    PollMethod,
    PollOption,
    PollState,
    PollVoter,
    SecretBallot,
    WrittenProxy,
)
from consultations.models.sessions import (
    Attendance,
    CheckInMethod,
    ConveningRequest,
    ConveningSignature,
    Session,
    SessionState,
)
from consultations.models.topics import Topic, TopicPhoto, TopicState, TopicSupport

__all__ = [
    "AgendaItem",
    "Answer",
    "Attendance",
    "Ballot",
    "BallotChange",
    "BallotIntake",
    "CheckInMethod",
    "Comment",
    "ConveningRequest",
    "ConveningSignature",
    "DecisionProcess",
    "DecisionStep",
    "DecisionStepKind",
    "Delegation",
    "DiscussionItem",
    "ElectionCandidate",
    "ElectionItem",
    "ItemState",
    "Minutes",
    "MotionItem",
    "Poll",
    "PollKind",
    "PollMethod",
    "PollOption",
    "PollState",
    "PollVoter",
    "ReportItem",
    "Resolution",
    "SecretBallot",
    "Session",
    "SessionState",
    "SpeakerRequest",
    "SpeakerState",
    "Topic",
    "TopicPhoto",
    "TopicState",
    "TopicSupport",
    "WrittenProxy",
]
