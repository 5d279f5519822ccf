"""The team's OrangeClone API keys.

`store` adds (verified first), lists, revokes and selects keys, and opens SDK clients with them
(`open_client`, `open_client_for_team`); `secrets` encrypts them at rest and rotates the
encryption keys; `sandbox` issues a key through the sandbox's admin API in one click.
"""
