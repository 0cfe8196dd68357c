"""A hostile tenant and the start fence (issue 13): the fence is ONE advisory lock key per database,
and advisory locks need no privilege — any role with raw SQL can hold it.

Known open (docs/engine.md, "The start fence"): recorded as strict xfails, so fixing them shows."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from cli_support import NOOP_STEPS, regctl
from test_adversarial_tenancy import WAIT_STEPS, Tenant, _manifest, tenants  # noqa: F401

from regctl.db.fence import FENCE_KEY

pytestmark = pytest.mark.postgres
REGCTL = str(Path(sys.executable).parent / "regctl")


@pytest.mark.xfail(strict=True, reason="one fence per database: held shared, it stalls every cancel")
def test_a_tenant_holding_the_fence_does_not_stall_another_tenants_cancel(
    tenants: tuple[Tenant, Tenant], tmp_path: Path  # noqa: F811
) -> None:
    a, b = tenants
    waiting = regctl("run", "--no-progress", str(_manifest(tmp_path, a.organisation, "nightly", WAIT_STEPS)),
                     db=a.url)
    assert waiting.code == 3, waiting.output  # waits for a decision: still cancellable
    hostile = psycopg.connect(b.url, autocommit=True)
    try:
        hostile.execute("SELECT pg_advisory_lock_shared(%s)", (FENCE_KEY,))  # and never lets go
        cancel = subprocess.Popen([REGCTL, "--db", a.url, "cancel", "nightly", "--yes"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            assert cancel.wait(timeout=10) == 0
        finally:
            if cancel.poll() is None:
                cancel.kill()
            cancel.communicate()
    finally:
        hostile.close()


@pytest.mark.xfail(strict=True, reason="one fence per database: held exclusively, it stops all claims")
def test_a_tenant_holding_the_fence_does_not_stop_another_tenants_runs(
    tenants: tuple[Tenant, Tenant], tmp_path: Path  # noqa: F811
) -> None:
    a, b = tenants
    hostile = psycopg.connect(b.url, autocommit=True)
    try:
        hostile.execute("SELECT pg_advisory_lock(%s)", (FENCE_KEY,))
        run = subprocess.Popen([REGCTL, "--db", a.url, "run", "--no-progress",
                                str(_manifest(tmp_path, a.organisation, "nightly", NOOP_STEPS))],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        started = time.monotonic()
        try:
            assert run.wait(timeout=20) == 0 and time.monotonic() - started < 20
        finally:
            if run.poll() is None:
                run.kill()
            run.communicate()
    finally:
        hostile.close()
