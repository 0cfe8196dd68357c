"""Step types for test_nightly_resume.py, loaded by `regctl` subprocesses via ``module:function``.

``hang_first_attempt`` never finishes its first run (the supervisor running it is killed), so
the step is left ``running`` under a lease that then expires; any later attempt returns at once.
"""

from __future__ import annotations

import time
from typing import Any


def hang_first_attempt(ctx: Any) -> dict[str, Any]:
    if ctx.attempt == 1 and ctx.recoveries == 0:  # its first run (a kill is a recovery, not an attempt)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            ctx.check_cancelled()
            time.sleep(0.05)
    return {"attempt": ctx.attempt}
