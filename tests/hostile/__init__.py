"""Hostile and broken input: nothing crashes, nothing is injected, nothing is lost (issue #5)."""
