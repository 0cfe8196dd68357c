"""``regctl supervise``: a long-running worker that claims and runs ready steps."""

from __future__ import annotations

import signal
import threading
from typing import Any

import click

from regctl.engine import api
from regctl.engine.policy import Leases


def _stop_on_signals(stop: threading.Event) -> None:
    def handler(signum: int, _frame: Any) -> None:
        click.echo(f"regctl supervise: {signal.Signals(signum).name}: stopping after running steps", err=True)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


@click.command("supervise")
@click.option("--concurrency", "-c", default=16, show_default=True, help="Steps run at once.")
@click.option("--until-idle", is_flag=True, help="Exit when nothing is runnable (for CI).")
@click.option("--batch", "batch_ref", metavar="BATCH", help="Only this batch (name or id).")
@click.option(
    "--lease",
    type=float,
    default=30.0,
    show_default=True,
    help="Lease seconds of a running step (renewed by heartbeat).",
)
@click.option(
    "--grace",
    type=float,
    default=10.0,
    show_default=True,
    help="Seconds running steps get to finish after SIGTERM/SIGINT.",
)
@click.pass_obj
def supervise(
    obj: Any, concurrency: int, until_idle: bool, batch_ref: str | None, lease: float, grace: float
) -> int:
    """Claim and run ready steps of every batch (or one) until stopped by SIGTERM/SIGINT."""
    store = api.open_store(obj.db_url)
    try:
        batch_id = store.find_batch(batch_ref)["id"] if batch_ref else None
        stop = threading.Event()
        _stop_on_signals(stop)
        summary = api.supervise(
            store,
            concurrency=concurrency,
            until_idle=until_idle,
            batch_id=batch_id,
            stop=stop,
            leases=Leases(duration=lease, grace=grace),
        )
    finally:
        store.close()
    click.echo(
        f"supervise: {summary.steps_run} steps run, {summary.steps_completed} completed, "
        f"{summary.steps_failed} failed, {summary.waiting_decisions} waiting on decisions"
    )
    return summary.exit_code if batch_id is not None else 0


COMMANDS = [supervise]
