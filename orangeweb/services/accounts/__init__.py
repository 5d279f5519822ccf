"""Accounts: who may sign in, and as whom they act.

`auth` (first sign-up, sign-in, password change), `sessions` (the session cookie, rotation,
timeouts), `cookies` (the cookie's name, read from a `Cookie:` header), `redirects` (where
sign-in may send the browser), `passwords` (policy and argon2 hashing), `throttle` (failed
sign-ins), `teams` (invites, members, roles) and `identity` (`CurrentUser` and the rules for
names, emails and roles). Import the module you need: `from orangeweb.services.accounts import
auth`.
"""
