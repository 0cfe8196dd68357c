"""The step graph of a job: step specs with needs/after/when/critical, and the built-in pipelines.

CONTRACT (owned by the manifest/CLI work; the engine consumes it): a pipeline is an ordered list of
:class:`StepSpec`, validated (unique keys, known relations, no cycles) and topologically sorted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Pipeline", "StepSpec"]


@dataclass(frozen=True)
class StepSpec:
    key: str  # unique within the pipeline
    uses: str  # step type name (registry lookup)
    kind: str  # "automatic" | "action_required" (from the step type)
    params: dict[str, Any] = field(default_factory=dict)  # `with:`
    needs: tuple[str, ...] = ()  # runs only after these succeeded (completed or skipped-by-condition)
    after: tuple[str, ...] = ()  # ordering only: runs whatever their outcome
    when: str | None = None  # condition expression over the job's data/config; false → skipped
    critical: bool = True
    retries: int = 3  # attempts in all
    timeout: float | None = None  # seconds
    resources: dict[str, int] = field(default_factory=dict)  # e.g. {"browser": 1}

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "uses": self.uses, "kind": self.kind, "params": self.params,
                "needs": list(self.needs), "after": list(self.after), "when": self.when,
                "critical": self.critical, "retries": self.retries, "timeout": self.timeout,
                "resources": self.resources}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> StepSpec:
        return cls(key=d["key"], uses=d["uses"], kind=d["kind"], params=dict(d.get("params") or {}),
                   needs=tuple(d.get("needs") or ()), after=tuple(d.get("after") or ()),
                   when=d.get("when"), critical=bool(d.get("critical", True)),
                   retries=int(d.get("retries", 3)), timeout=d.get("timeout"),
                   resources=dict(d.get("resources") or {}))


@dataclass(frozen=True)
class Pipeline:
    name: str  # "onboarding", or "custom"
    steps: tuple[StepSpec, ...]  # topologically sorted

    def to_json(self) -> list[dict[str, Any]]:
        return [s.to_json() for s in self.steps]
