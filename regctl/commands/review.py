"""`regctl review`: answer waiting decisions interactively (or list them with --list)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import click
from rich.table import Table

from regctl.commands._common import (
    actor,
    bounded_actor,
    command_hint,
    console,
    emit_json,
    is_terminal,
    json_option,
    parse_job,
    resolve_batch,
    store_for,
)
from regctl.commands._progress import follow
from regctl.commands.run import graceful_stop
from regctl.db.views import batch_progress
from regctl.engine import api
from regctl.errors import UsageError
from regctl.plain_text import summary_line
from regctl.review.prompter import QuestionaryPrompter
from regctl.review.protocol import Prompter
from regctl.review.requests import WaitingDecision, waiting_decisions
from regctl.review.session import ReviewSummary, run_review

if TYPE_CHECKING:
    from regctl.db.store import Store

__all__ = ["COMMANDS"]

EXIT_WAITING = 3


@click.command("review")
@click.argument("batch", required=False)
@click.option("--job", "job_ref", metavar="ID", help="Only this job's decisions.")
@click.option("--step", "step_key", metavar="KEY", help="Only decisions of this step (e.g. select_company).")
@click.option("--list", "list_only", is_flag=True, help="List waiting decisions instead of asking.")
@click.option("--as", "as_name", metavar="NAME", callback=bounded_actor,
              help="Record the decisions as NAME (default: your OS user).")
@click.option("--continue/--no-continue", "continue_run", default=None,
              help="Afterwards, run the batch in the foreground if no supervisor is running "
                   "(default: ask).")
@json_option
@click.pass_context
def review(ctx: click.Context, batch: str | None, job_ref: str | None, step_key: str | None,
           list_only: bool, as_name: str | None, continue_run: bool | None, as_json: bool) -> None:
    """Answer every waiting decision with prompts, showing "n of m".

    Ctrl-C stops at once: decisions already answered stay recorded, the rest keep waiting.
    """
    with store_for(ctx) as store:
        batch_id = resolve_batch(store, batch)["id"] if batch else None
        job_id = parse_job(job_ref) if job_ref else None
        if list_only:
            _list(waiting_decisions(store, batch_id=batch_id, job_id=job_id, step_key=step_key), as_json)
            return
        _require_terminal()
        prompter = QuestionaryPrompter(console())
        summary = run_review(store, prompter, actor=as_name or actor(),
                             batch_id=batch_id, job_id=job_id, step_key=step_key)
        _report(summary)
        if not summary.interrupted:
            _maybe_continue(ctx, store, prompter, summary, continue_run)
    ctx.exit(EXIT_WAITING if summary.interrupted or summary.left_waiting else 0)


def _require_terminal() -> None:
    if not sys.stdin.isatty():
        raise UsageError("regctl review asks questions and needs a terminal; "
                         "use `regctl decide JOB STEP --json FILE` in scripts")


def _list(waiting: list[WaitingDecision], as_json: bool) -> None:
    if as_json:
        emit_json([w.to_json() for w in waiting])
        return
    out = console()
    if not waiting:
        out.print("No decisions are waiting.")
        return
    table = Table(title=f"{len(waiting)} decision(s) waiting", title_justify="left")
    for column in ("Batch", "Job", "Restaurant", "Step", "Waiting since"):
        table.add_column(column)
    for w in waiting:
        table.add_row(w.batch, str(w.job_id), w.restaurant, w.step_key, _since(w.waiting_since))
    out.print(table)


def _since(at: float | None) -> str:
    if at is None:
        return "—"
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(at))
    return f"{stamp} ({_ago(time.time() - at)} ago)"


def _ago(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{int(seconds // size)} {unit}"
    return f"{int(seconds)} s"


def _report(summary: ReviewSummary) -> None:
    out = console()
    if summary.total == 0:
        out.print("No decisions are waiting.")
        return
    copied = f" ({summary.applied_to_others} by apply-to-all)" if summary.applied_to_others else ""
    out.print(f"Answered {summary.answered} of {summary.total}{copied}.")
    if summary.interrupted:
        out.print("Stopped: nothing half-written; the unanswered decisions are still waiting.")
    if summary.left_waiting:
        out.print(f"{summary.left_waiting} decision(s) left waiting.")


def _maybe_continue(ctx: click.Context, store: Store, prompter: Prompter, summary: ReviewSummary,
                    continue_run: bool | None) -> None:
    """No supervisor alive → offer to run the answered batches in the foreground now, with the live
    view `regctl run` shows, ending with the batch's name and outcome."""
    if not summary.batch_ids or store.live_supervisors():
        return
    if continue_run is None:
        continue_run = prompter.confirm("No supervisor is running. Continue the batch in the foreground now?",
                                        default=True)
    if not continue_run:
        console().print("The batch continues when a supervisor runs (`regctl supervise` or `regctl resume`).")
        return
    with graceful_stop() as stop:
        for batch_id in sorted(summary.batch_ids):
            def work(poke: Callable[[], None], batch_id: int = batch_id) -> api.RunSummary:
                return api.supervise(store, until_idle=True, batch_id=batch_id, on_progress=poke, stop=stop)

            follow(store, batch_id, work, live=is_terminal())
            name = str(store.batch_row(batch_id)["name"])
            hint = command_hint(ctx, "review", name)
            click.echo(summary_line(batch_progress(store, batch_id), review=hint))
            if stop.is_set():
                click.echo(f"Stopped; `{command_hint(ctx, 'resume', name)}` carries on.", err=True)
                return


COMMANDS = [review]
