"""The job tracker: one per deployment, following every unfinished job until it rests.

`loop` (the `Tracker`, `tracker_lifespan` and `wake`), `lease` (which worker polls), `polling`
(one key's due jobs, a request each), `policy` (how often a job is asked about, by age),
`schedule` (polls around a job's expected finish), `expect` (each job's timing and its key's
learned speed), `lineup` (a key's younger jobs waiting behind an older one), `pacing` (a share
of each key's minute kept for people), `queries` (its database reads, stuck submissions, resume
after a takeover), `apply` (what a poll answer means for a job row) and `archive` (copying
finished outputs into the team's archive).

Nothing is re-exported here: the jobs and dubbing packages import `policy` and `apply`, and
`loop` imports them back, so a package-wide import point would be circular. Import the module
you need.
"""
