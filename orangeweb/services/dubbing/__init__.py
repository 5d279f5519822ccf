"""Dubbing: a project per uploaded media file, taken through OrangeClone's pipeline one step
at a time.

`projects` (create, upload, transcribe, retry, delete), `review` (speaker names, segment edits,
translate, clone), `voices` (each speaker's voice, casts applied and saved, subtitle exports),
`views` (what the page receives, read from the database only, and team-scoped lookups), `casts`
(named casts reused across videos), `steps` (the steps and what a retry keeps), `step_runs` (one
step at a time per project, failures that keep what was done) and `status` (the one place a
project takes its job's state; the tracker, the only poller, feeds it every answer); `pseudo`
recognises the sandbox's pseudo-translation marker.

Nothing is re-exported here: the job kinds import `status`, and `step_runs` imports the
tracker, so a package-wide import point would be circular. Import the module you need.
"""
