"""Dubbing: a project per uploaded media file, taken through OrangeClone's pipeline one step
at a time.

`projects` (create, upload, transcribe, retry, delete), `review` (speaker names, segment edits,
translate, clone), `voices` (each speaker's voice, casts applied and saved, subtitle exports),
`views` (what the page receives, and team-scoped lookups), `casts` (named casts reused across
videos), `sync` (one step at a time per project, failures that keep what was done) and `status`
(the project kept in step with the status answers the tracker fetches).

Nothing is re-exported here: the tracker imports `status`, and `sync` imports the tracker, so a
package-wide import point would be circular. Import the module you need.
"""
