"""Files: checked by content, stored, and turned into what pages and the API need.

`probe` (dubbing media checked against the key's tier, with the credit estimate), `upload`
(the browser's chunks written to disk under a size cap), `samples` (voice samples, browser
recordings made into WAV), `subtitles` (SRT and WebVTT), `slot_fit` (does a translation fit its
segment's time) and `archive` (the team's copies of job outputs, fetched from signed URLs).
"""
