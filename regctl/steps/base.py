"""The contract between the engine and a step type.

A step type is a callable ``step(ctx)`` — plain or ``async`` — that returns a JSON-able dict or
None. ``ctx`` is a :class:`StepContext`. An ``action_required`` step type instead supplies two
callables: ``request(ctx)`` builds the :class:`DecisionRequest` a person (or a policy) answers, and
``apply(ctx, answer)`` turns a valid answer into the step's result (and may write records).

Steps never sleep to retry: they raise ``RetryableStepError`` / ``RateLimited`` /
``PermanentStepError`` (regctl.errors) and the engine persists the next attempt.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

__all__ = [
    "SHARED_CLOSERS",
    "DecisionRequest",
    "StepContext",
    "StepKind",
    "StepType",
]

JSON = dict[str, Any]

# Key in ``ctx.shared`` holding async callables ``close(shared)`` that the supervisor awaits, on its
# own event loop, when it stops (e.g. the shared browser registers its closer there).
SHARED_CLOSERS = "on_supervisor_stop"


class StepKind(enum.StrEnum):
    AUTOMATIC = "automatic"  # a supervisor runs it
    ACTION_REQUIRED = "action_required"  # waits for a decision by a person or a policy


@dataclass(frozen=True)
class DecisionRequest:
    """What an action_required step asks. Stored with the step; rendered by `regctl review`."""

    kind: str  # "select_company", "configure_registration", or "generic" (prompt from schema)
    prompt: str  # one line: what is asked
    schema: JSON  # JSON Schema of a valid answer
    options: list[JSON] = field(default_factory=list)  # e.g. candidate companies with scores
    defaults: JSON = field(default_factory=dict)  # pre-filled answer
    context: JSON = field(default_factory=dict)  # anything else the prompt shows

    def to_json(self) -> JSON:
        return {"kind": self.kind, "prompt": self.prompt, "schema": with_property_order(self.schema),
                "options": self.options, "defaults": self.defaults, "context": self.context}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DecisionRequest:
        return cls(kind=data["kind"], prompt=data["prompt"], schema=data["schema"],
                   options=list(data.get("options", [])), defaults=dict(data.get("defaults", {})),
                   context=dict(data.get("context", {})))


def with_property_order(schema: Any) -> Any:
    """``schema`` with ``x-order`` (its property names, in order) beside every ``properties``.

    PostgreSQL's JSONB does not keep object key order (lists it keeps), so a stored request would
    otherwise ask its questions in JSONB's order. Validators ignore the unknown keyword.
    """
    if isinstance(schema, list):
        return [with_property_order(s) for s in schema]
    if not isinstance(schema, Mapping):
        return schema
    out = {k: with_property_order(v) for k, v in schema.items()}
    if isinstance(schema.get("properties"), Mapping) and "x-order" not in schema:
        out["x-order"] = list(schema["properties"])
    return out


class StepContext(Protocol):
    """What a running step can see and do. The engine supplies the implementation."""

    job_id: int
    batch_id: int
    batch_name: str
    organisation: str
    target: str  # target name from the manifest: "sandbox" or a production profile
    step_key: str
    attempt: int  # 1 for the first attempt
    params: JSON  # the step's `with:` mapping
    restaurant: JSON  # the restaurant record as a dict (id, name, address, …, extra)
    config: JSON  # the job's registration config (secrets decrypted), {} before configure_registration
    results: Mapping[str, JSON]  # results of this job's finished steps, by step key
    data_dir: Path  # where this step may write files (images, screenshots, traces)
    database_url: str  # for steps that read/write domain records through regctl.db
    shared: dict[str, Any]  # per-supervisor cache: http clients, the browser, …

    @property
    def cancelled(self) -> bool:
        """True once the job/batch is cancelled or the supervisor is stopping."""
        ...

    def check_cancelled(self) -> None:
        """Raise ``Cancelled`` if :attr:`cancelled`."""
        ...

    def heartbeat(self, message: str | None = None) -> None:
        """Keep the lease alive (the engine also heartbeats on its own) and record progress."""
        ...

    def acquire_rate_limit(self, name: str) -> None:
        """Take one token of a named rate limit shared by all supervisors through the database.

        Raises ``RateLimited(retry_after=…)`` when none is free; the engine reschedules the step
        without counting a failed attempt.
        """
        ...


RunFn = Callable[[StepContext], "JSON | Awaitable[JSON | None] | None"]
RequestFn = Callable[[StepContext], "DecisionRequest | Awaitable[DecisionRequest]"]
ApplyFn = Callable[[StepContext, JSON], "JSON | Awaitable[JSON | None] | None"]


@dataclass(frozen=True)
class StepType:
    """A registered step type. ``resources`` claims per-supervisor-shared slots, e.g. {"browser": 1}."""

    name: str
    kind: StepKind = StepKind.AUTOMATIC
    run: RunFn | None = None
    request: RequestFn | None = None
    apply: ApplyFn | None = None
    resources: Mapping[str, int] = field(default_factory=dict)
    timeout: float | None = None  # seconds; the manifest may override
    retries: int | None = None  # attempts; the manifest may override
    description: str = ""
    params: Mapping[str, Any] | None = None  # JSON Schema of `with:` (regctl.steps.params); None: unchecked
