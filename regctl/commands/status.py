"""``regctl status [BATCH]``: every batch with counts and decisions waiting, or one batch's jobs."""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING, Any

import click
from rich.live import Live

from regctl.commands._common import (
    console,
    decisions_waiting,
    emit_json,
    is_terminal,
    json_option,
    resolve_batch,
    store_for,
)
from regctl.db.views import batch_progress, portal_drift
from regctl.render import (
    batch_detail,
    batch_lines,
    batch_table,
    changed_steps,
    summary_line,
    supervisors_table,
)

if TYPE_CHECKING:
    from regctl.db.store import Store

__all__ = ["COMMANDS", "all_batches", "batch_status"]

FINAL = frozenset({"completed", "completed_with_warnings", "failed", "cancelled"})


def all_batches(store: Store) -> list[dict[str, Any]]:
    """Every batch with its jobs by status and the number of decisions it waits on."""
    waiting = decisions_waiting(store)
    batches = store.list_batches()
    for b in batches:
        b["decisions_waiting"] = waiting.get(b["id"], 0)
    return batches


def batch_status(store: Store, ref: str) -> dict[str, Any]:
    """One batch: id, name, status, and jobs[] (id, restaurant, status, steps[] with key/status/attempts)."""
    view = batch_progress(store, resolve_batch(store, ref)["id"])
    view["decisions_waiting"] = sum(1 for j in view["jobs"] for s in j["steps"]
                                    if s["status"] == "action_required")
    view["portal_drift"] = portal_drift(store, view["id"])
    return view


def drift_lines(view: dict[str, Any]) -> list[str]:
    """The batch's portal-drift warnings, a line each (seen before they break a batch)."""
    return [f"warning: job {d['job_id']} {d['step']}: {line}" for d in view.get("portal_drift", [])
            for line in d["warnings"]]


def _watch(store: Store, ref: str | None, interval: float) -> None:
    """Refresh in place on a terminal; when piped, print transitions until the batch is final."""
    if not is_terminal():
        _watch_plain(store, ref, interval)
        return
    with Live(console=console(), auto_refresh=False) as live:
        while True:
            live.update(_renderable(store, ref), refresh=True)
            time.sleep(interval)


def _watch_plain(store: Store, ref: str | None, interval: float) -> None:
    if ref is None:
        console().print(batch_table(all_batches(store)))
        return
    seen: dict[tuple[int, str], str] = {}
    while True:
        view = batch_status(store, ref)
        seen, lines = changed_steps(seen, view)
        for line in lines:
            click.echo(line)
        if view["status"] in FINAL:
            click.echo(summary_line(view))
            return
        time.sleep(interval)


def _renderable(store: Store, ref: str | None) -> Any:
    return batch_table(all_batches(store)) if ref is None else batch_detail(batch_status(store, ref))


@click.command("status")
@click.argument("batch", required=False)
@json_option
@click.option("--watch", is_flag=True,
              help="Keep refreshing (Ctrl-C to stop); when piped, print changes until the batch is done.")
@click.option("--interval", type=click.FloatRange(0.05, 60), default=1.0, show_default=True,
              help="Seconds between refreshes with --watch.")
@click.option("--supervisors", is_flag=True, help="List the live supervisors instead.")
@click.pass_context
def status(ctx: click.Context, batch: str | None, as_json: bool, watch: bool, interval: float,
           supervisors: bool) -> None:
    """Show every batch (counts, decisions waiting), or BATCH (name or id) with a row per job."""
    with store_for(ctx) as store:
        if supervisors:
            rows = store.live_supervisors()
            emit_json(rows) if as_json else console().print(supervisors_table(rows))
            return
        if watch and not as_json:
            with contextlib.suppress(KeyboardInterrupt):
                _watch(store, batch, interval)
            return
        if batch is None:
            batches = all_batches(store)
            emit_json(batches) if as_json else console().print(batch_table(batches))
            return
        view = batch_status(store, batch)
        if as_json:
            emit_json(view, redacted=False)  # statuses, counts and errors only: nothing to mask
        elif is_terminal():
            console().print(batch_detail(view))
            for line in drift_lines(view):
                console().print(line, style="yellow", markup=False, highlight=False)
        else:
            click.echo("\n".join(batch_lines(view) + drift_lines(view)))


COMMANDS = [status]
