"""The steps of a dubbing project, in order, and what retrying each one keeps."""

from __future__ import annotations

# Steps, in order; `failed_step` names one of them.
UPLOAD, TRANSCRIBE, REVIEW, TRANSLATE, CLONE = (
    "upload",
    "transcribe",
    "review",
    "translate",
    "clone",
)
RUNNING = frozenset({"uploading", "submitting", "transcribing", "translating", "cloning"})
RETRY_WORDS = {
    UPLOAD: "Retry the upload: the file is still here, nothing needs uploading again.",
    TRANSCRIBE: "Retry the transcription: the file is still here.",
    REVIEW: "Your other edits are kept; try that change again.",
    TRANSLATE: "Retry the translation: the transcript and your edits are kept.",
    CLONE: "Retry the dubbing: the transcript, translation and voices are kept.",
}
