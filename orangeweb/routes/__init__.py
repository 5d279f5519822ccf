"""Plain HTTP routes of the dashboard (Starlette, no Reflex): sign-in/out, key submission, media.

Anything carrying a password or an API key travels as an ordinary form POST to these routes, never
through Reflex's websocket, so neither ever sits in a state var or a websocket frame.
"""
