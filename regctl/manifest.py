"""YAML manifest → validated :class:`Manifest`; every error names file, line and field.

CONTRACT (the engine consumes :class:`Manifest`; the manifest work implements :func:`load_manifest`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from regctl.pipeline import Pipeline

__all__ = ["Execution", "Manifest", "load_manifest"]


@dataclass(frozen=True)
class Execution:
    mode: str = "parallel"  # parallel | sequential
    max_parallel_restaurants: int = 10
    limits: dict[str, int] = field(default_factory=dict)  # resource slots, e.g. {"browser": 3}
    rate_limits: dict[str, dict[str, float]] = field(default_factory=dict)  # name → {capacity, window}


@dataclass(frozen=True)
class Manifest:
    batch: str
    organisation: str
    target: str
    pipeline: Pipeline
    execution: Execution
    policies: dict[str, Any]
    defaults: dict[str, Any]
    notify: dict[str, Any] | None
    restaurants: list[dict[str, Any]]  # name, address, city, phone, email, website, ubereats_url,
    #                                    menu_file, opening_hours, …, and "extra" for unknown columns
    source: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict)  # normalised, with ${ENV} references unexpanded


def load_manifest(path: str | Path) -> Manifest:
    raise NotImplementedError
