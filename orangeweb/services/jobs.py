"""Jobs, the one import point for pages: submit voice clones, dialogues and stories, read the
team's jobs. The work is split over `jobs_submit` and `jobs_submit_story` (row first, then the
POST), `jobs_query` (team-scoped reads) and `jobs_common` (views and status rules); the tracker
follows the jobs (`orangeweb.services.tracker`).
"""

from orangeweb.services.jobs_common import (
    JobDetail,
    JobEventView,
    JobPage,
    JobView,
    SceneInput,
    SceneView,
)
from orangeweb.services.jobs_query import (
    get_job,
    job_output_path,
    list_jobs,
    story_audio_path,
    team_activity,
)
from orangeweb.services.jobs_submit import estimate_voice, submit_voice
from orangeweb.services.jobs_submit_story import (
    regenerate,
    resubmit_failed_scenes,
    submit_story,
)

__all__ = [
    "JobDetail",
    "JobEventView",
    "JobPage",
    "JobView",
    "SceneInput",
    "SceneView",
    "estimate_voice",
    "get_job",
    "job_output_path",
    "list_jobs",
    "regenerate",
    "resubmit_failed_scenes",
    "story_audio_path",
    "submit_story",
    "submit_voice",
    "team_activity",
]
