"""The exception tree of regctl.

Every error regctl raises on purpose derives from ``RegctlError``; the CLI boundary maps each
branch to an exit code (SPEC §6) and prints one line. Cancellation is *not* an error: it derives
from ``BaseException`` so that a step's ``except Exception`` cannot swallow it.

    RegctlError
    ├── UsageError            the person asked for something that cannot be done (exit 2)
    │   ├── ManifestError     a manifest is malformed: carries file, line and field (exit 2)
    │   ├── NotFound          a batch, job or step named on the command line does not exist (exit 2)
    │   └── DecisionError     an answer to a decision does not fit its schema / was already given (exit 2)
    ├── ConfigError           the environment lacks something (database URL, credential, browser) (exit 2)
    ├── StoreError            the database said no in a way the caller cannot fix by retrying
    └── StepError             raised by a step; decides whether the engine retries
        ├── RetryableStepError   the wire failed (timeout, connection, 5xx, 429, crashed browser)
        │   └── RateLimited      a named rate limit or a 429 says "come back later" (retry_after)
        └── PermanentStepError   the other side said no (validation, auth, 4xx): fail at once

    BaseException
    └── Cancelled             the step's job or batch was cancelled, or the supervisor is stopping
"""

from __future__ import annotations

__all__ = [
    "Cancelled",
    "ConfigError",
    "DecisionError",
    "ManifestError",
    "NotFound",
    "PermanentStepError",
    "RateLimited",
    "RegctlError",
    "RetryableStepError",
    "StepError",
    "StoreError",
    "UsageError",
]


class RegctlError(Exception):
    """Root of every error regctl raises on purpose."""

    exit_code = 1


class UsageError(RegctlError):
    exit_code = 2


class ManifestError(UsageError):
    """A manifest problem, located: ``file:line: field: message``."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file or "<manifest>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class NotFound(UsageError):
    pass


class DecisionError(UsageError):
    pass


class ConfigError(RegctlError):
    exit_code = 2


class StoreError(RegctlError):
    pass


class StepError(RegctlError):
    """Raised by a step. ``retryable`` tells the engine whether another attempt may help."""

    retryable = False


class RetryableStepError(StepError):
    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RateLimited(RetryableStepError):
    """Come back after ``retry_after`` seconds. The engine does not count it as a failed attempt."""


class PermanentStepError(StepError):
    retryable = False


class Cancelled(BaseException):
    """The running step must stop: its job/batch was cancelled or the supervisor is shutting down."""
