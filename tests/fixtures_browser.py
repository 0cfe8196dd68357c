"""Fixtures: browser (placeholder until its area lands)."""
