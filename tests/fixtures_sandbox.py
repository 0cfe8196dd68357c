"""Fixtures: sandbox (placeholder until its area lands)."""
