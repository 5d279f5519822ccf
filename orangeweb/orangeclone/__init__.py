"""Typed async SDK for the OrangeClone voice-cloning and dubbing API (httpx only).

No Reflex and no database here: the dashboard's services build on this, and it is tested
against fakes and the sandbox over real HTTP.
"""

from orangeweb.orangeclone.client import OrangeClone
from orangeweb.orangeclone.clock import Clock, SystemClock
from orangeweb.orangeclone.constants import DEFAULT_BASE_URL, TIERS, TierName
from orangeweb.orangeclone.errors import (
    AuthError,
    Forbidden,
    InsufficientCredits,
    InvalidRequest,
    NotFound,
    OrangeCloneError,
    RateLimited,
    ServerError,
    TransportError,
    UnexpectedResponse,
)
from orangeweb.orangeclone.models import (
    BatchJob,
    BatchSceneStatus,
    BatchStatus,
    Character,
    CharacterCreated,
    DubbingJob,
    DubbingSegment,
    DubbingSpeaker,
    DubbingStatus,
    DubbingStepResult,
    GeneratedScript,
    UploadTarget,
    VoiceJob,
    VoiceStatus,
)
from orangeweb.orangeclone.params import BatchScene, ScriptCharacter, SegmentEdit, VoiceAssignment
from orangeweb.orangeclone.ratelimit import DEFAULT_BUDGETS, BudgetRegistry, RateBudget
from orangeweb.orangeclone.retry import RetryPolicy
from orangeweb.orangeclone.timeouts import Timeouts

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_BUDGETS",
    "TIERS",
    "AuthError",
    "BatchJob",
    "BatchScene",
    "BatchSceneStatus",
    "BatchStatus",
    "BudgetRegistry",
    "Character",
    "CharacterCreated",
    "Clock",
    "DubbingJob",
    "DubbingSegment",
    "DubbingSpeaker",
    "DubbingStatus",
    "DubbingStepResult",
    "Forbidden",
    "GeneratedScript",
    "InsufficientCredits",
    "InvalidRequest",
    "NotFound",
    "OrangeClone",
    "OrangeCloneError",
    "RateBudget",
    "RateLimited",
    "RetryPolicy",
    "ScriptCharacter",
    "SegmentEdit",
    "ServerError",
    "SystemClock",
    "TierName",
    "Timeouts",
    "TransportError",
    "UnexpectedResponse",
    "UploadTarget",
    "VoiceAssignment",
    "VoiceJob",
    "VoiceStatus",
]
