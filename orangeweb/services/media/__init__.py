"""Files: checked by content, stored, and turned into what pages and the API need.

`probe` (dubbing media checked against the key's tier, with the credit estimate), `upload`
(the browser's chunks written to disk under a size cap), `upload_rules` (what the `/_upload`
guard is told about each handler), `samples` (voice samples, browser recordings made into WAV),
`recordings` (checked recordings waiting for a character), `subtitles` (SRT and WebVTT),
`slot_fit` (does a translation fit its segment's time), `dub_mix` (a dubbed file rendered from
the segments' takes, with its tracks in `dub_tracks`), `waveform` (peaks and pauses for the
segment editor) and `archive` (the team's copies of job outputs, fetched from signed URLs).
Media types and extensions come from the SDK's one table, `orangeweb.orangeclone.media_types`.
"""
