"""Jobs: submit voice clones, dialogues and stories, and read the team's jobs.

`submit` and `submit_story` (row first, then the POST), `queries` (team-scoped reads), `views`
(what pages receive), `status` (status rules, history events, notices), `inputs` (submission
keys, characters, scenes), `callbacks` (batch hooks), `stories` (scene state across
resubmissions), `media` (outputs served to the browser) and `notices` (the bus pages listen on).
The tracker follows the jobs (`orangeweb.services.tracker`). Pages call the entry points below
as `jobs.submit_voice(...)`.
"""

from orangeweb.services.jobs.estimates import (
    TYPICAL,
    SpeechRate,
    basis_words,
    estimate_story,
    estimate_voice,
)
from orangeweb.services.jobs.inputs import SceneInput
from orangeweb.services.jobs.queries import (
    get_job,
    job_output_path,
    list_jobs,
    story_audio_path,
    team_activity,
)
from orangeweb.services.jobs.speech_rates import read_rates
from orangeweb.services.jobs.submit import submit_voice
from orangeweb.services.jobs.submit_story import regenerate, resubmit_failed_scenes, submit_story
from orangeweb.services.jobs.views import JobDetail, JobEventView, JobPage, JobView, SceneView

__all__ = [
    "TYPICAL",
    "JobDetail",
    "JobEventView",
    "JobPage",
    "JobView",
    "SceneInput",
    "SceneView",
    "SpeechRate",
    "basis_words",
    "estimate_story",
    "estimate_voice",
    "get_job",
    "job_output_path",
    "list_jobs",
    "read_rates",
    "regenerate",
    "resubmit_failed_scenes",
    "story_audio_path",
    "submit_story",
    "submit_voice",
    "team_activity",
]
