"""``regctl cancel BATCH|job:ID``: stop a batch or one job; running steps stop within their grace."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable

import click

from regctl.commands._common import (
    actor,
    console,
    is_job_ref,
    is_terminal,
    parse_job,
    resolve_batch,
    store_for,
)
from regctl.engine import api
from regctl.errors import UsageError

__all__ = ["COMMANDS"]

FINISHED = ("completed", "completed_with_warnings", "cancelled")
SLOW = 2.0  # seconds before a cancel says what it waits for


def _waiting_said(call: Callable[[], int]) -> int:
    """``call()`` (the cancel), saying on stderr what it waits for if it takes more than SLOW seconds.

    A cancel waits for the start fence (docs/engine.md): normally milliseconds, but a supervisor that
    is stopped (SIGSTOP, a debugger) while starting steps holds it until it runs again or dies, and a
    silent command would look hung.
    """
    done = threading.Event()
    counted: list[int] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            counted.append(call())
        except BaseException as error:  # handed to the caller's thread
            failed.append(error)
        finally:
            done.set()

    threading.Thread(target=run, daemon=True, name="regctl-cancel").start()
    if not done.wait(SLOW):
        click.echo(
            "waiting for supervisors that are starting steps to let go of the start fence (a stopped "
            "supervisor holds it until it runs again or dies; Ctrl-C leaves everything as it was)…",
            err=True,
        )
        done.wait()
    if failed:
        raise failed[0]
    return counted[0]


def _confirm(what: str, yes: bool) -> None:
    """On a terminal, ask before cancelling (``--yes`` skips it); scripts and pipes are not asked."""
    if yes or not (is_terminal() and sys.stdin.isatty()):
        return
    from regctl.review.prompter import QuestionaryPrompter  # the one prompt library: y/n, then Enter

    question = f"Cancel {what}? Its running steps stop and nothing more of it runs"
    try:
        agreed = QuestionaryPrompter(console()).confirm(question, default=False)
    except KeyboardInterrupt:
        agreed = False
    if not agreed:
        raise click.exceptions.Exit(1)


@click.command("cancel")
@click.argument("target", metavar="BATCH|job:ID")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation on a terminal.")
@click.pass_context
def cancel(ctx: click.Context, target: str, yes: bool) -> None:
    """Cancel a batch (name or id) or one job (job:ID): no new step starts from the moment this
    returns, and running steps are signalled to stop (recorded cancelled after the grace period).
    A finished batch or job is refused."""
    with store_for(ctx) as store:
        if is_job_ref(target):
            job_id = parse_job(target)
            job = store.find_job(job_id)
            if job["status"] in FINISHED:
                raise UsageError(f"job {job_id} is already {job['status']}: nothing to cancel")
            _confirm(f"job {job_id}", yes)
            n = _waiting_said(lambda: api.cancel(store, job_id=job_id, actor=actor()))
            click.echo(f"job {job_id} cancelled ({n} step(s))")
            return
        batch = resolve_batch(store, target)
        if batch["status"] in FINISHED:
            raise UsageError(f"batch {batch['name']} is already {batch['status']}: nothing to cancel")
        _confirm(f"batch {batch['name']} (#{batch['id']})", yes)
        n = _waiting_said(lambda: api.cancel(store, batch_id=batch["id"], actor=actor()))
        click.echo(f"batch {batch['name']} (#{batch['id']}) cancelled ({n} step(s))")


COMMANDS = [cancel]
