"""Reflex states: thin adapters from UI events to services. Each resolves the user on the server."""
