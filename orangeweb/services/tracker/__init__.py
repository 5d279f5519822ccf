"""The job tracker: one per deployment, following every unfinished job until it rests.

`loop` (the `Tracker`, `tracker_lifespan` and `wake`), `lease` (which worker polls), `policy`
(how often a job is asked about), `pacing` (a share of each key's minute kept for people),
`queries` (its database reads, stuck submissions, resume after a takeover), `apply` (what a poll
answer means for a job row) and `archive` (copying finished outputs into the team's archive).

Nothing is re-exported here: the jobs and dubbing packages import `policy` and `apply`, and
`loop` imports them back, so a package-wide import point would be circular. Import the module
you need.
"""
