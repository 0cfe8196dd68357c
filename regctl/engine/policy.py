"""Small policy objects the supervisor consults: retry/backoff, leases, rate-limit defaults.

A step never sleeps to retry: it raises, and :meth:`RetryPolicy.after_failure` says whether and when
the next attempt is due; the store persists that as ``next_attempt_at``.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field

from regctl.errors import RateLimited, StepError

__all__ = ["DEFAULT_RATE_LIMITS", "Leases", "RetryDecision", "RetryPolicy", "is_retryable"]

# name → (capacity, window seconds); a manifest's execution.rate_limits overrides them.
DEFAULT_RATE_LIMITS: dict[str, tuple[int, float]] = {
    "platform_account_creation": (1, 60.0),
    "extraction_api": (10, 60.0),
}


def is_retryable(exc: BaseException) -> bool:
    """Retryable: a ``StepError`` that says so, timeouts and connection errors of any library."""
    if isinstance(exc, StepError):
        return exc.retryable
    return isinstance(exc, TimeoutError | ConnectionError)


@dataclass(frozen=True)
class RetryDecision:
    retry: bool
    delay: float  # seconds until the next attempt (0 when not retrying)
    counts_attempt: bool = True  # False for RateLimited: the attempt is given back


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter: base × factor^(attempt-1), capped, ± jitter fraction."""

    base: float = 2.0
    factor: float = 2.0
    cap: float = 60.0
    jitter: float = 0.25
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    @classmethod
    def from_env(cls) -> RetryPolicy:
        """Default policy; ``REGCTL_RETRY_BASE`` (seconds) shortens it for demos and tests."""
        base = os.environ.get("REGCTL_RETRY_BASE")
        return cls(base=float(base)) if base else cls()

    def delay(self, attempt: int) -> float:
        raw = min(self.cap, self.base * self.factor ** max(0, attempt - 1))
        return max(0.0, raw * (1 + self.rng.uniform(-self.jitter, self.jitter)))

    def after_failure(self, exc: BaseException, attempt: int, max_attempts: int) -> RetryDecision:
        if isinstance(exc, RateLimited):
            return RetryDecision(True, max(0.0, exc.retry_after or self.base), counts_attempt=False)
        if not is_retryable(exc) or attempt >= max_attempts:
            return RetryDecision(False, 0.0)
        hinted = getattr(exc, "retry_after", None)  # a 429's Retry-After wins over the backoff
        return RetryDecision(True, float(hinted) if hinted else self.delay(attempt))


@dataclass(frozen=True)
class Leases:
    """How long a claim holds a step, and how often the holder renews it."""

    duration: float = 30.0
    grace: float = 10.0  # how long running steps get to stop after cancel / SIGTERM

    @property
    def heartbeat_every(self) -> float:
        return self.duration / 3
