"""The engine's :class:`~regctl.steps.base.StepContext`: what a running step sees and can do.

The restaurant, config and results are loaded on first use, so a step that never looks at them
(the engine's own no-op benchmark) costs no query. :func:`context_for` builds one outside a
supervisor, e.g. for ``regctl decide`` to run an action step's ``apply(ctx, answer)``.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regctl.db.records import ClaimedStep
from regctl.engine.policy import DEFAULT_RATE_LIMITS
from regctl.errors import Cancelled, RateLimited
from regctl.secrets import decrypt_secret_fields, expand_references

if TYPE_CHECKING:
    from regctl.db.store import Store

__all__ = ["BatchInfo", "EngineContext", "batch_info", "batch_info_of", "context_for", "data_root"]

JSON = dict[str, Any]


@dataclass(frozen=True)
class BatchInfo:
    """The parts of a batch row a step context needs (cached per supervisor)."""

    id: int
    name: str
    organisation: str
    target: str
    policies: JSON
    execution: JSON

    def rate_limit(self, name: str) -> tuple[int, float]:
        return self.rate_limit_override(name) or DEFAULT_RATE_LIMITS.get(name, (1, 1.0))

    def rate_limit_override(self, name: str) -> tuple[int, float] | None:
        """This batch's own bound on ``name`` (its manifest's ``execution.rate_limits``), if any."""
        spec = (self.execution.get("rate_limits") or {}).get(name)
        return (int(spec["capacity"]), float(spec["window"])) if spec else None


def batch_info(store: Store, batch_id: int) -> BatchInfo:
    return batch_info_of(store.batch_row(batch_id))


def batch_info_of(row: Mapping[str, Any]) -> BatchInfo:
    return BatchInfo(
        id=row["id"],
        name=row["name"],
        organisation=row["organisation_id"],
        target=row["target"],
        policies=dict(row["policies"] or {}),
        execution=dict(row["execution"] or {}),
    )


def data_root() -> Path:
    """Where steps write files: ``REGCTL_DATA_DIR``, else ``regctl-data`` in the working directory."""
    return Path(os.environ.get("REGCTL_DATA_DIR") or "regctl-data")


class EngineContext:
    """One run of one step. Thread-safe for the parts a sync step touches from its thread."""

    def __init__(
        self,
        store: Store,
        step: ClaimedStep,
        batch: BatchInfo,
        *,
        supervisor_id: str,
        shared: dict[str, Any] | None = None,
        lease: float = 30.0,
    ) -> None:
        self._store, self._step, self._lease = store, step, lease
        self.supervisor_id = supervisor_id
        self.job_id, self.batch_id, self.batch_name = step.job_id, batch.id, batch.name
        self.organisation, self.target = batch.organisation, batch.target
        # params are stored as written; ${ENV} references are expanded in memory only (docs/security.md)
        self.step_key, self.attempt = step.key, step.attempt
        self.params = expand_references(dict(step.params))
        self.recoveries = step.recoveries  # how often this attempt was lost with its supervisor before
        self.step_id = step.id
        self.database_url = store.url
        self.shared = shared if shared is not None else {}
        self.batch = batch
        self._cancel = threading.Event()
        self.stopping = False  # the supervisor (not the job) is stopping: the step goes back to ready
        self.lost = False  # another supervisor took the lease over: the result will be dropped
        self.timed_out = False
        self.threaded = False  # the step's code runs in a thread of its own (it cannot be interrupted)
        self.started_at: float | None = None  # time.monotonic() when its code started (the timeout's clock)
        self.begun = threading.Event()  # set when its code starts, or when it will not run here
        self.withdrawn = False  # its code had not begun within START_WAIT of the claim: it never will here
        self._starting = threading.Lock()  # makes "begin" and "withdraw" exclusive
        self.cancelled_at: float | None = None  # … when it was first asked to stop (the grace period's clock)
        self.abandoned: Any = None  # the work of a step that outlived its grace period
        self._data: JSON | None = None
        self._data_dir: Path | None = None

    def _job_data(self) -> JSON:
        if self._data is None:
            self._data = self._store.job_data(self.job_id)
        return self._data

    # Settable (the StepContext protocol declares plain attributes): a step or `decide` may replace
    # them for the rest of this run, e.g. after writing a new config.
    @property
    def restaurant(self) -> JSON:
        return dict(self._job_data()["restaurant"])

    @restaurant.setter
    def restaurant(self, value: JSON) -> None:
        self._job_data()["restaurant"] = dict(value)

    @property
    def config(self) -> JSON:
        """The job's registration config with its secrets decrypted (the row keeps them encrypted)."""
        return decrypt_secret_fields(self._job_data()["config"])

    @config.setter
    def config(self, value: JSON) -> None:
        self._job_data()["config"] = dict(value)

    @property
    def results(self) -> Mapping[str, JSON]:
        return dict(self._job_data()["results"])

    @results.setter
    def results(self, value: Mapping[str, JSON]) -> None:
        self._job_data()["results"] = dict(value)

    @property
    def data_dir(self) -> Path:
        """``REGCTL_DATA_DIR/<batch>/<job id>/<step key>``, created on first use."""
        path = self._data_dir or data_root() / self.batch_name / str(self.job_id) / self.step_key
        path.mkdir(parents=True, exist_ok=True)
        return path

    @data_dir.setter
    def data_dir(self, value: Path) -> None:
        self._data_dir = Path(value)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def mark_started(self) -> None:
        """Its code begins now — unless it was withdrawn (raises Cancelled: handed back, not run)."""
        with self._starting:
            if self.withdrawn:
                raise Cancelled(f"step {self.step_key} of job {self.job_id} was withdrawn before it began")
            self.started_at = time.monotonic()
            self.begun.set()

    def withdraw(self) -> bool:
        """If its code has not begun, make sure it never begins here: it is handed back ready (no attempt
        spent; cancelled if its job was). The start fence is released right after, so a cancel may
        return: a step beginning later would start after it. False when its code had already begun."""
        with self._starting:
            if self.started_at is not None:
                return False
            self.withdrawn = True
        self.cancel(stopping=True)
        return True

    def cancel(self, *, stopping: bool = False, lost: bool = False) -> None:
        """Signal the step to stop (job cancelled, timeout, lease lost, or supervisor stopping)."""
        self.stopping = self.stopping or stopping
        self.lost = self.lost or lost
        if self.cancelled_at is None:
            self.cancelled_at = time.monotonic()
        self._cancel.set()

    def wait_cancelled(self, timeout: float) -> bool:
        """Sleep up to ``timeout`` seconds, waking at once on cancellation (for cooperative steps)."""
        return self._cancel.wait(timeout)

    def check_cancelled(self) -> None:
        if self._cancel.is_set():
            raise Cancelled(f"step {self.step_key} of job {self.job_id} was cancelled")

    def heartbeat(self, message: str | None = None) -> None:
        self.check_cancelled()
        self._store.renew_lease(self.step_id, self.supervisor_id, lease=self._lease)

    def acquire_rate_limit(self, name: str) -> None:
        default, override = DEFAULT_RATE_LIMITS.get(name, (1, 1.0)), self.batch.rate_limit_override(name)
        wait = self._store.take_rate_limit(self.batch.organisation, name, default=default, override=override)
        if wait > 0:
            raise RateLimited(f"rate limit {name!r} is exhausted", retry_after=wait)


def context_for(store: Store, step_id: int, *, actor: str = "cli") -> EngineContext:
    """A context for a step outside the supervisor (e.g. ``apply(ctx, answer)`` in ``regctl decide``)."""
    row = store.step_row(step_id)
    step = ClaimedStep(
        id=row["id"],
        job_id=row["job_id"],
        batch_id=row["batch_id"],
        organisation_id=row["organisation_id"],
        key=row["key"],
        uses=row["uses"],
        kind=row["kind"],
        params=row["params"] or {},
        attempt=max(1, row["attempts"]),
        max_attempts=row["max_attempts"],
        timeout=row["timeout"],
        recoveries=row["recoveries"],
    )
    return EngineContext(store, step, batch_info(store, row["batch_id"]), supervisor_id=actor)
