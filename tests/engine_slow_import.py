"""A step module whose import hangs (a network call at import time, a lock) while the file named by
``REGCTL_TEST_IMPORT_HOLD`` exists; it first creates the file named by ``REGCTL_TEST_IMPORT_MARK``.
Without those variables (the test process itself) it imports at once."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from regctl.steps.base import StepContext

if os.environ.get("REGCTL_TEST_IMPORT_MARK"):
    Path(os.environ["REGCTL_TEST_IMPORT_MARK"]).touch()
while os.environ.get("REGCTL_TEST_IMPORT_HOLD") and os.path.exists(os.environ["REGCTL_TEST_IMPORT_HOLD"]):
    time.sleep(0.05)


def run(ctx: StepContext) -> dict[str, Any]:
    """Log ``start <time.time()>`` to ``with.log`` when given."""
    if ctx.params.get("log"):
        with open(str(ctx.params["log"]), "a") as log:
            log.write(f"start {time.time()!r} {ctx.step_key} {ctx.job_id} {ctx.attempt}\n")
    return {}
