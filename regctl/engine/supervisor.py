"""The supervisor: claim → run → record, in batches, until stopped (or idle).

One asyncio loop per process. Database work runs on ONE dedicated thread (so it never blocks
async steps and our own transactions never contend); sync steps run in a thread pool of
``concurrency`` workers. Each turn of the loop records every finished outcome, unlocks their
dependents and claims new steps in a single transaction (:meth:`Store.cycle`). Housekeeping renews
leases, notices cancelled jobs and reclaims expired leases. On PostgreSQL a LISTEN thread wakes
the loop at once on NOTIFY; on SQLite the loop polls.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from regctl.db.fence import FENCE_KEY, StartFence
from regctl.db.records import ClaimedStep, StepOutcome
from regctl.db.store import BACKOFF_FIRST, BACKOFF_MAX, Store, connection_lost, describe_db_error
from regctl.engine.context import BatchInfo, EngineContext, batch_info_of
from regctl.engine.listen import Listener
from regctl.engine.policy import Leases, RetryPolicy
from regctl.engine.policy_hook import PolicyTask, apply_policy, policy_for, unanswered
from regctl.engine.runner import run_step
from regctl.engine.states import StepStatus
from regctl.steps.base import SHARED_CLOSERS
from regctl.steps.registry import lookup

__all__ = ["Stats", "Supervisor", "new_supervisor_id"]

log = logging.getLogger(__name__)
T = TypeVar("T")
ADMIT_EVERY = 0.25  # seconds between admission attempts when claims come up short
TICK = 0.25  # how often the loop looks at the stop flag while idle
FENCE_PATIENCE = 10.0  # seconds of refused claims before the supervisor says why it claims nothing
START_WAIT = 2.0  # at most this long a start holds off a cancel (a step's code normally begins in ms)


def new_supervisor_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class Stats:
    """Counters of what this supervisor did (for RunSummary and the benchmark)."""

    def __init__(self) -> None:
        self.run = self.completed = self.failed = self.cycles = 0

    def add(self, outcomes: list[StepOutcome]) -> None:
        self.run += len(outcomes)
        self.completed += sum(o.status == StepStatus.COMPLETED for o in outcomes)
        self.failed += sum(o.status == StepStatus.FAILED for o in outcomes)


class Supervisor:
    def __init__(
        self,
        store: Store,
        *,
        concurrency: int = 16,
        until_idle: bool = False,
        batch_id: int | None = None,
        retry: RetryPolicy | None = None,
        leases: Leases | None = None,
        stop: threading.Event | None = None,
        on_progress: Callable[[], None] | None = None,
        poll: float | None = None,
        supervisor_id: str | None = None,
    ) -> None:
        self.store, self.concurrency, self.until_idle = store, max(1, concurrency), until_idle
        self.batch_id = batch_id
        self.retry = retry or RetryPolicy.from_env()
        self.leases = leases or Leases()
        self.stop_event = stop or threading.Event()
        self.on_progress = on_progress
        self.poll = poll if poll is not None else (1.0 if store.is_postgres else 0.05)
        self.id = supervisor_id or new_supervisor_id()
        self.stats = Stats()
        self.shared: dict[str, Any] = {}
        self._step_s: float | None = None  # moving average of how long a step runs
        self._turn_s: float | None = None  # … and of how long a database turn takes
        self._running: dict[int, EngineContext] = {}
        self._slots: set[asyncio.Task[None]] = set()  # a task per busy slot
        self._admitted = False  # the last turn admitted jobs (and so claimed nothing)
        self._next_expiry: float | None = None  # when another supervisor's first lease runs out
        self._types_seen: set[str] = set()  # step types already looked up (imported) here
        self._policies: set[asyncio.Future[bool]] = set()  # policy evaluations in flight
        self._policy_seen: set[tuple[int, int]] = set()  # (step id, attempt) already evaluated here
        self._done: list[tuple[StepOutcome, EngineContext]] = []
        self._batches: dict[int, BatchInfo] = {}
        self._db_pool = ThreadPoolExecutor(1, thread_name_prefix="regctl-db")
        self._fence = StartFence(store.engine)  # used on the database thread only
        self._steps_pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="regctl-step")
        self._last_admit = 0.0
        self._last_progress = 0.0
        self._stopping_since: float | None = None
        self._outage_since: float | None = None  # when the database connection was lost
        self._refused_since: float | None = None  # since when every turn was refused the start fence
        self._refusal_told = False

    # ------------------------------------------------------------------ plumbing ---------------

    async def _db(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await self._db_retrying(lambda _lost: fn(*args, **kwargs))

    async def _db_retrying(self, call: Callable[[bool], T]) -> T:
        """Run ``call`` on the database thread; while the connection is lost, back off and call again.

        ``call`` receives True once a previous try lost its connection (its commit may have landed).
        """
        delay, lost = BACKOFF_FIRST, False
        while True:
            try:
                result = await self._loop.run_in_executor(self._db_pool, call, lost)
            except Exception as error:
                if not connection_lost(error):
                    raise
                self._database_lost(error)
                await asyncio.sleep(delay)
                delay, lost = min(delay * 2, BACKOFF_MAX), True
                continue
            self._database_back()
            return result

    def _database_lost(self, error: Exception) -> None:
        if self._outage_since is None:
            self._outage_since = time.monotonic()
            log.warning(
                "supervisor %s lost its database connection (%s); retrying until it answers",
                self.id,
                describe_db_error(error),
            )

    def _database_back(self) -> None:
        if self._outage_since is not None:
            away = time.monotonic() - self._outage_since
            log.info("supervisor %s: database back after %.1f s", self.id, away)
            self._outage_since = None

    def _wake_up(self, payload: str = "") -> None:
        if payload == "cancel":
            self._check_cancels = True
            self._poke.set()
        if payload == "batch":  # a batch was submitted: admit its jobs now, not at the next admission tick
            self._last_admit = 0.0
        self._wake.set()

    def _notified(self, payload: str) -> None:
        """Called on the LISTEN thread."""
        self._loop.call_soon_threadsafe(self._wake_up, payload)

    def run(self) -> Stats:
        """Run until stopped (or idle with ``until_idle``); always releases leases on the way out.

        Step types are looked up (their modules imported) in a worker thread when first claimed:
        a supervisor imports only what its steps need.
        """
        try:
            return asyncio.run(self._main())
        finally:
            self._steps_pool.shutdown(wait=False, cancel_futures=True)
            self._db_pool.shutdown(wait=True)
            self._fence.close()

    async def _main(self) -> Stats:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._poke = asyncio.Event()  # wakes housekeeping (a cancel was notified)
        self._check_cancels = False
        await self._db(
            self.store.register_supervisor,
            self.id,
            host=socket.gethostname(),
            pid=os.getpid(),
            concurrency=self.concurrency,
            batch_id=self.batch_id,
        )
        listener = Listener.start(self.store, self._notified)
        await self._unanswered_policies()
        housekeeping = asyncio.create_task(self._housekeeping())
        try:
            await self._work()
        finally:
            housekeeping.cancel()
            await self._finish_running()
            await self._close_shared()
            if listener is not None:
                listener.stop()
            await self._db(self.store.stop_supervisor, self.id)
        return self.stats

    async def _close_shared(self) -> None:
        """Let steps' shared resources (the browser) close on this loop; never fails the stop."""
        for close in list(self.shared.get(SHARED_CLOSERS, ())):
            try:
                await close(self.shared)
            except Exception:
                log.warning("closing a shared resource failed", exc_info=True)

    # ------------------------------------------------------------------ the loop ---------------

    async def _work(self) -> None:
        while True:
            self._notice_stop()
            done, self._done = self._done, []
            want = 0 if self._stopping_since is not None else self._room()
            self._admitted = False
            claimed = await self._turn(done, want) if done or want > 0 else []
            if self._stopping_since is not None and not self._running:
                return
            if (
                self.until_idle
                and not self._running
                and not claimed
                and not self._done
                and not self._policies
            ) and await self._db(self.store.runnable, batch_id=self.batch_id) == 0:
                return
            if not self._done and not self._admitted:
                await self._sleep()

    async def _turn(self, done: list[tuple[StepOutcome, EngineContext]], want: int) -> list[ClaimedStep]:
        now = time.monotonic()
        outcomes = [o for o, _ in done]
        admit = want > 0 and now - self._last_admit >= ADMIT_EVERY
        held = self._held_steps(outcomes)
        cycle = await self._db_retrying(
            lambda lost: self.store.cycle(
                outcomes,
                supervisor_id=self.id,
                claim=want,
                lease=self.leases.duration,
                batch_id=self.batch_id,
                admit=admit,
                keep=held if lost else None,  # a lost claim's steps are handed back, not leaked
                start=self._start,
                fence=self._fence,
            )
        )
        self._turn_s = self._average(self._turn_s, time.monotonic() - now)
        if admit:
            self._last_admit = now
        self._admitted = cycle.admitted > 0  # claim the admitted jobs' steps at once, without sleeping
        self._fence_refused(cycle.refused, now)
        self.stats.add(outcomes)
        self.stats.cycles += 1
        self._after_outcomes(done)
        self._progress()
        return cycle.claimed

    def _fence_refused(self, refused: bool, now: float) -> None:
        """Say so once when claims have been refused the start fence for FENCE_PATIENCE seconds."""
        if not refused:
            if self._refusal_told:
                log.info("supervisor %s: claiming again", self.id)
            self._refused_since, self._refusal_told = None, False
        elif self._refused_since is None:
            self._refused_since = now
        elif not self._refusal_told and now - self._refused_since >= FENCE_PATIENCE:
            self._refusal_told = True
            log.warning(
                "supervisor %s: no claim for %.0f s: a cancel holds or waits for the start fence (a "
                "process holding it shared may be stopped), or another session holds advisory lock %d",
                self.id, now - self._refused_since, FENCE_KEY,
            )

    def _held_steps(self, outcomes: list[StepOutcome]) -> list[int]:
        """Ids of the steps this process knows it holds (running, queued or just finished)."""
        return [*self._running, *(o.step_id for o in outcomes)]

    async def _sleep(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), min(self.poll, TICK))
        self._wake.clear()

    def _progress(self) -> None:
        if self.on_progress is not None and time.monotonic() - self._last_progress > 0.1:
            self._last_progress = time.monotonic()
            self.on_progress()

    # ------------------------------------------------------------------ steps ------------------

    def _start(self, claimed: list[ClaimedStep]) -> None:
        """The ``start`` hook of a turn (see :meth:`Store.cycle`): on the database thread, once the
        claim has committed and while the start fence is held, build the steps' contexts (their
        types are looked up — imported — here, once per type and process), start them on the loop
        and return when their code has begun (at most START_WAIT: a step whose code has not begun
        by then — its event loop blocked by a step, say — is withdrawn and handed back without spending
        its attempt; begun later, after the fence let a cancel through, it would start after
        `regctl cancel` returned)."""
        if not claimed:
            return
        contexts = [self._context_now(step) for step in claimed]
        if self._fence.lost():  # a cancel may have gone through meanwhile: none of them begins
            log.warning("supervisor %s: start fence lost before %d steps began; handed back", self.id,
                        len(contexts))
            for ctx in contexts:
                ctx.withdraw()
        self._loop.call_soon_threadsafe(self._launch, contexts)
        deadline = time.monotonic() + START_WAIT
        for ctx in contexts:
            if not ctx.begun.wait(max(0.0, deadline - time.monotonic())) and ctx.withdraw():
                log.warning(
                    "supervisor %s: step %s had not begun %.0f s after its claim; handed back",
                    self.id, ctx.step_id, START_WAIT,
                )

    def _context_now(self, step: ClaimedStep) -> EngineContext:
        """A claimed step's context, built on the database thread."""
        if step.uses not in self._types_seen:
            with contextlib.suppress(Exception):  # an unknown type fails its step in run_step
                lookup(step.uses)
            self._types_seen.add(step.uses)
        batch = self._batches.get(step.batch_id)
        if batch is None:
            batch = self._batches[step.batch_id] = batch_info_of(self.store.batch_row(step.batch_id))
        return EngineContext(
            self.store, step, batch, supervisor_id=self.id, shared=self.shared, lease=self.leases.duration
        )

    @staticmethod
    def _average(old: float | None, new: float) -> float:
        return new if old is None else 0.8 * old + 0.2 * new

    def _room(self) -> int:
        """Free slots: claim only what can start now (a claimed step not yet started is no attempt)."""
        return self.concurrency - len(self._running)

    def _launch(self, contexts: list[EngineContext]) -> None:
        """On the loop: a slot task per started step."""
        for ctx in contexts:
            self._running[ctx.step_id] = ctx
            slot = asyncio.create_task(self._slot(ctx))
            self._slots.add(slot)
            slot.add_done_callback(self._slots.discard)

    async def _slot(self, ctx: EngineContext) -> None:
        """One slot: run the step; the slot is free again when its code has returned (or was abandoned)."""
        began = time.monotonic()
        try:
            outcome = await run_step(ctx, None, self.retry, grace=self.leases.grace)
        finally:  # also when the loop cancels us at shutdown: the step no longer runs here
            self._running.pop(ctx.step_id, None)
        self._step_s = self._average(self._step_s, time.monotonic() - began)
        if not ctx.lost:  # another supervisor holds it now: its late result is not ours to record
            self._done.append((outcome, ctx))
        self._wake.set()

    def _after_outcomes(self, done: list[tuple[StepOutcome, EngineContext]]) -> None:
        """Hand newly waiting action steps to their batch's policy, if the manifest names one."""
        for outcome, ctx in done:
            task = policy_for(ctx, outcome)
            if task is not None:
                self._hand_to_policy(task)

    def _hand_to_policy(self, task: PolicyTask) -> None:
        """Evaluate each waiting step's policy once in this process (a person may still be needed)."""
        if (task.step_id, task.attempt) in self._policy_seen:
            return
        self._policy_seen.add((task.step_id, task.attempt))
        future = self._loop.run_in_executor(self._steps_pool, apply_policy, self.store, task)
        self._policies.add(future)
        future.add_done_callback(self._policy_done)

    async def _unanswered_policies(self) -> None:
        """Policies are durable: a waiting step with a policy and no decision is evaluated again by
        any supervisor (its first evaluation may have been lost with a crashed one)."""
        batches = await self._db(self.store.batches_with_policies, self.batch_id)
        if batches:
            for task in await self._db(unanswered, self.store, self.batch_id, batches):
                self._hand_to_policy(task)

    def _policy_done(self, future: asyncio.Future[bool]) -> None:
        self._policies.discard(future)
        self._wake.set()

    # ------------------------------------------------------------------ housekeeping -----------

    async def _housekeeping(self) -> None:
        last_lease = 0.0
        while True:
            now = time.monotonic()
            if now - last_lease >= self.leases.heartbeat_every or self._check_cancels:
                self._check_cancels = False
                await self._heartbeat()
                if now - last_lease >= self.leases.heartbeat_every:
                    await self._reclaim()
                    await self._unanswered_policies()
                    last_lease = now
            if self._next_expiry is not None and time.time() >= self._next_expiry:
                await self._reclaim()  # another supervisor's lease ran out between our heartbeats
            # A cancel NOTIFY wakes us at once (PostgreSQL); SQLite looks every poll interval.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._poke.wait(), min(1.0, self.leases.heartbeat_every))
            self._poke.clear()
            self._check_cancels = self._check_cancels or not self.store.is_postgres

    async def _heartbeat(self) -> None:
        """Renew our leases; stop the steps whose job was cancelled and those whose lease we lost."""
        running = list(self._running)
        lease = self.leases.duration
        cancelled, lost = await self._db(self.store.heartbeat, self.id, lease=lease, held=running)
        for step_id in cancelled:
            ctx = self._running.get(step_id)
            if ctx is not None:
                ctx.cancel()
        for step_id in lost:
            ctx = self._running.get(step_id)
            if ctx is not None:
                log.warning("supervisor %s lost the lease of step %s; stopping it", self.id, step_id)
                ctx.cancel(lost=True)

    async def _reclaim(self) -> None:
        await self._db(self.store.reclaim_expired, actor=self.id)
        self._next_expiry = await self._db(self.store.next_lease_expiry, self.id)

    def _notice_stop(self) -> None:
        if self.stop_event.is_set() and self._stopping_since is None:
            self._stopping_since = time.monotonic()
            log.info("supervisor %s stopping: %d steps running", self.id, len(self._running))
        if self._stopping_since is not None and time.monotonic() - self._stopping_since > self.leases.grace:
            for ctx in self._running.values():
                ctx.cancel(stopping=True)
                # the grace period ran from the stop request: a step still running is handed back now
                ctx.cancelled_at = min(ctx.cancelled_at or self._stopping_since, self._stopping_since)

    async def _finish_running(self) -> None:
        """Give running steps one last short chance to end, then record whatever finished."""
        deadline = time.monotonic() + 1.0
        while self._running and time.monotonic() < deadline:
            for ctx in self._running.values():
                ctx.cancel(stopping=True)
            await asyncio.sleep(0.05)
        if self._done:
            outcomes, self._done = [o for o, _ in self._done], []
            await self._db(
                self.store.cycle, outcomes, supervisor_id=self.id, claim=0, lease=self.leases.duration
            )
            self.stats.add(outcomes)
