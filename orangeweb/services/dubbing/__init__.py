"""Dubbing: a project per uploaded media file, taken through OrangeClone's pipeline one step
at a time.

`projects` (create, upload, transcribe, retry, delete), `review` (speaker names, segment edits,
translate, clone), `voices` (each speaker's voice, casts applied and saved, subtitle exports),
`views` (what the page receives, read from the database only, and team-scoped lookups), `casts`
(named casts reused across videos), `steps` (the steps and what a retry keeps), `step_runs` (one
step at a time per project, failures that keep what was done) and `status` (the one place a
project takes its job's state; the tracker, the only poller, feeds it every answer); `pseudo`
recognises the sandbox's pseudo-translation marker.

The segment studio: `segment_layout` (merge, split, retime, delete, add, auto-merge, pure),
`segment_edits` (those saved as revisions, with the waveform and silences), `segment_history`
(undo/redo, the revision check, the live announcement), `remote_sync` (what OrangeClone's
answers may change once the team edited here), `takes`/`take_views` (every take of a line, the
pinned one, stale lines, revert), `render_plans` (what a render needs and costs, against a
full re-dub), `render_runs` (the dashboard's own render, tracked), `languages` (several target
languages per project), `subtitle_import`/`subtitle_layout` (SRT/WebVTT into the lines, or as
the segments), `speaker_repair` and `speaker_characters`.

Nothing is re-exported here: the job kinds import `status`, and `step_runs` imports the
tracker, so a package-wide import point would be circular. Import the module you need.
"""
