"""``regctl status [BATCH]``: every batch with counts and decisions waiting, or one batch's jobs.

One batch on a terminal reads a summary (jobs and steps counted by status in the database) and
only the rows shown — as many as fit the screen, busiest first, or ``--rows N`` —
(:func:`regctl.db.views.batch_summary`), so a batch of 10,000 restaurants answers about as fast as
one of ten. ``--json`` and the piped listing carry every job (piped, ``--rows N`` cuts it too).
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING, Any

import click

from regctl.commands._common import (
    batch_names,
    command_hint,
    console,
    decisions_waiting,
    emit_json,
    is_terminal,
    json_option,
    resolve_batch,
    store_for,
)
from regctl.db.views import batch_progress, batch_summary, portal_drift
from regctl.plain_text import batch_lines, batch_tsv, changed_steps, summary_line, supervisors_tsv

if TYPE_CHECKING:
    from regctl.db.store import Store

__all__ = ["COMMANDS", "all_batches", "batch_overview", "batch_status"]

FINAL = frozenset({"completed", "completed_with_warnings", "failed", "cancelled"})
SETTLED = FINAL | {"waiting"}  # `status --watch` ends here: nothing moves until someone acts
MIN_ROWS = 10  # jobs listed on a terminal even when it is short


def _unfinished(batch: dict[str, Any]) -> dict[str, Any]:
    """A waiting batch has not finished (the store stamps ``finished_at`` whenever a run goes idle)."""
    if batch.get("status") == "waiting":
        batch["finished_at"] = None
    return batch


def all_batches(store: Store) -> list[dict[str, Any]]:
    """Every batch with its jobs by status and the number of decisions it waits on."""
    waiting = decisions_waiting(store)
    batches = store.list_batches()
    for b in batches:
        b["decisions_waiting"] = waiting.get(b["id"], 0)
        _unfinished(b)
    return batches


def batch_status(store: Store, ref: str) -> dict[str, Any]:
    """One batch: id, name, status, and jobs[] (id, restaurant, status, steps[] with key/status/attempts)."""
    view = batch_progress(store, resolve_batch(store, ref)["id"])
    view["decisions_waiting"] = sum(1 for j in view["jobs"] for s in j["steps"]
                                    if s["status"] == "action_required")
    view["portal_drift"] = portal_drift(store, view["id"])
    return _unfinished(view)


def drift_lines(view: dict[str, Any]) -> list[str]:
    """The batch's portal-drift warnings, a line each (seen before they break a batch)."""
    return [f"warning: job {d['job_id']} {d['step']}: {line}" for d in view.get("portal_drift", [])
            for line in d["warnings"]]


def rows_that_fit() -> int:
    """Job rows a terminal shows under the header, the bar and the "… and N more" line."""
    return max(MIN_ROWS, console().size.height - 8)


def batch_overview(store: Store, ref: str, rows: int) -> dict[str, Any]:
    """One batch as a terminal shows it: counts over the batch, and the ``rows`` busiest jobs."""
    view = batch_summary(store, resolve_batch(store, ref)["id"], rows=rows)
    view["decisions_waiting"] = view["step_counts"].get("action_required", 0)
    view["portal_drift"] = portal_drift(store, view["id"])
    return _unfinished(view)


# ---------------------------------------------------------------- --watch ------------------------

def _watch(ctx: click.Context, store: Store, ref: str | None, interval: float, timeout: float | None) -> int:
    """Refresh in place on a terminal, or print transitions when piped, until BATCH is final or
    waiting (or ``timeout`` passes); the exit code is `regctl run`'s for the batch."""
    deadline = None if timeout is None else time.monotonic() + timeout
    settled = _watch_live(store, ref, interval, deadline) if is_terminal() else \
        _watch_plain(store, ref, interval, deadline)
    if ref is None:
        return 0
    view = batch_status(store, ref)
    if settled:
        click.echo(summary_line(view, review=command_hint(ctx, "review", view["name"])))
    else:
        click.echo(f"batch {view['name']} is still {view['status']} after {timeout:g}s", err=True)
    from regctl.engine import api

    return api.exit_code(store, view["id"])


def _watch_live(store: Store, ref: str | None, interval: float, deadline: float | None) -> bool:
    from rich.live import Live

    from regctl.render import batch_detail, batch_table

    out = console()
    with Live(console=out, auto_refresh=False) as live:
        while True:
            view = None if ref is None else batch_overview(store, ref, rows=rows_that_fit())
            live.update(batch_table(all_batches(store), width=out.width) if view is None
                        else batch_detail(view, width=out.width), refresh=True)
            if view is not None and view["status"] in SETTLED:
                return True
            if _past(deadline):
                return False
            time.sleep(interval)


def _watch_plain(store: Store, ref: str | None, interval: float, deadline: float | None) -> bool:
    if ref is None:
        click.echo("\n".join(batch_tsv(all_batches(store))))
        return True
    seen: dict[tuple[int, str], str] = {}
    while True:
        view = batch_status(store, ref)
        seen, lines = changed_steps(seen, view)
        for line in lines:
            click.echo(line)
        if view["status"] in SETTLED:
            return True
        if _past(deadline):
            return False
        time.sleep(interval)


def _past(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() >= deadline


# ---------------------------------------------------------------- the command --------------------

def _print_supervisors(live: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        emit_json(live)
    elif is_terminal():
        from regctl.render import supervisors_table  # rich: only when drawing on a terminal

        console().print(supervisors_table(live))
    else:
        click.echo("\n".join(supervisors_tsv(live)))


def _print_batches(store: Store, as_json: bool) -> None:
    batches = all_batches(store)
    if as_json:
        emit_json(batches)
    elif is_terminal():
        from regctl.render import batch_table

        out = console()
        out.print(batch_table(batches, width=out.width))
    else:
        click.echo("\n".join(batch_tsv(batches)))


def _print_batch(store: Store, ref: str, as_json: bool, rows: int | None) -> None:
    if as_json:
        emit_json(batch_status(store, ref), redacted=False)  # statuses, counts and errors: nothing to mask
    elif is_terminal():
        from regctl.render import batch_detail

        out = console()
        view = batch_overview(store, ref, rows=rows or rows_that_fit())
        out.print(batch_detail(view, max_rows=len(view["jobs"]), width=out.width))
        for line in drift_lines(view):
            out.print(line, style="yellow", markup=False, highlight=False)
    else:
        view = batch_status(store, ref) if rows is None else batch_overview(store, ref, rows=rows)
        click.echo("\n".join(batch_lines(view) + drift_lines(view)))


EXAMPLES = """\b
Examples:
  regctl status                        every batch
  regctl status demo                   one batch: counts, and the busiest jobs that fit the screen
  regctl status demo --rows 500        …the 500 busiest
  regctl status demo --watch           follow it until it is done or waits on a decision
  regctl status demo --watch --timeout 600 || echo "not done: $?"
  regctl status demo --json | jq '.jobs[] | select(.status == "failed") | .id'
  regctl status | cut -f2,5            piped: tab-separated columns under a header"""


@click.command("status", epilog=EXAMPLES)
@click.argument("batch", required=False, shell_complete=batch_names)
@json_option
@click.option("--watch", is_flag=True,
              help="Keep refreshing until BATCH is final or waiting on a decision (exit code as `run`'s); "
                   "when piped, print each change.")
@click.option("--interval", type=click.FloatRange(0.05, 60), default=1.0, show_default=True,
              help="Seconds between refreshes with --watch.")
@click.option("--timeout", type=click.FloatRange(0, min_open=True), metavar="SECONDS",
              help="With --watch: stop after this long (the exit code then says the batch is not done).")
@click.option("--rows", type=click.IntRange(1), metavar="N",
              help="Jobs listed for BATCH, busiest first (default: what fits the screen; piped: all).")
@click.option("--supervisors", is_flag=True, help="List the live supervisors instead.")
@click.pass_context
def status(ctx: click.Context, batch: str | None, as_json: bool, watch: bool, interval: float,
           timeout: float | None, rows: int | None, supervisors: bool) -> None:
    """Show every batch (counts, decisions waiting), or BATCH (name or id) with a row per job.

    On a terminal: tables (a compact layout under 100 columns); piped: plain tab-separated lines.
    """
    with store_for(ctx) as store:
        if supervisors:
            _print_supervisors(store.live_supervisors(), as_json)
        elif watch and not as_json:
            code = 0
            with contextlib.suppress(KeyboardInterrupt):
                code = _watch(ctx, store, batch, interval, timeout)
            ctx.exit(code)
        elif batch is None:
            _print_batches(store, as_json)
        else:
            _print_batch(store, batch, as_json, rows)


COMMANDS = [status]
