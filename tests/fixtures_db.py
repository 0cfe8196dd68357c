"""Fixtures: db (placeholder until its area lands)."""
