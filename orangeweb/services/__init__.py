"""The dashboard's logic, free of Reflex: states call these, these call the SDK and the models.

Every function takes the `sqlmodel.Session` to work in and commits its own work. Functions that
act for someone take a `CurrentUser` (`accounts.identity`) and check it themselves. Failures the
user should read are `DomainError`s (`errors`); the SDK's errors become words in `api_errors`.

- `accounts`: sign-up and sign-in, sessions, passwords, throttling, teams and who is acting.
- `keys`: the team's OrangeClone API keys, encrypted at rest, and the clients opened with them.
- `jobs`: submitting voice clones, dialogues and stories, reading them, their outputs and notices.
- `tracker`: the background poller that follows every unfinished job.
- `dubbing`: dubbing projects, from the uploaded file to the dubbed video.
- `media`: checking and storing uploaded files, subtitles, and the team's archive of outputs.
- `characters`, `scripts`: the team's characters, and AI-generated scripts.
- `ids`: row ids from outside, checked before any query.
"""
