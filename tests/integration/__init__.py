"""Integration suites: real HTTP against real servers."""
