"""``regctl run MANIFEST``: create or resume the batch, then supervise it until nothing is runnable."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from regctl.commands._common import actor, allow_path_option, command_hint, db_url, is_terminal, store_for
from regctl.commands._progress import follow
from regctl.db.views import batch_progress
from regctl.engine import api
from regctl.manifest import load_manifest
from regctl.plain_text import summary_line

if TYPE_CHECKING:
    from regctl.db.store import Store

__all__ = ["COMMANDS", "run", "start_background_supervisor"]

INTERRUPTED = 130  # the shell's code for "stopped by Ctrl-C"


@contextlib.contextmanager
def graceful_stop() -> Iterator[threading.Event]:
    """SIGINT/SIGTERM set the returned event (stop claiming, let running steps finish); a second
    SIGINT raises KeyboardInterrupt. Handlers are restored afterwards."""
    stop = threading.Event()

    def handle(signum: int, _frame: object) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()
        click.echo("stopping: no new steps start; running steps finish (Ctrl-C again to abort)", err=True)

    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = {s: signal.signal(s, handle) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def log_dir() -> Path:
    from regctl.engine.context import data_root

    path = data_root() / "logs"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)  # logs may name restaurants and e-mails
    return path


def start_background_supervisor(url: str, batch_id: int, batch_name: str, *, concurrency: int,
                                sequential: bool) -> tuple[int, Path]:
    """Start ``regctl supervise --until-idle --batch ID`` in the background; returns (pid, log file)."""
    log = log_dir() / f"{batch_name}-{time.strftime('%Y%m%d-%H%M%S')}.log"
    args = ["supervise", "--until-idle", "--batch", str(batch_id),
            "--concurrency", str(1 if sequential else concurrency)]
    env = {**os.environ, "REGCTL_DATABASE_URL": url}  # not on the command line: ps shows argv
    command = [sys.executable, "-c", "import sys; from regctl.cli import main; main(sys.argv[1:])", *args]
    # posix_spawn, not Popen: the child outlives us on purpose (its own session, output to the log),
    # and a Popen object would warn about a still-running child when it is collected.
    actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, str(log), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600),
               (os.POSIX_SPAWN_DUP2, 1, 2)]
    pid = os.posix_spawn(sys.executable, command, env, file_actions=actions, setsid=True)
    return pid, log


def _supervise(store: Store, batch_id: int, *, concurrency: int, sequential: bool,
               stop: threading.Event) -> Callable[[Callable[[], None]], api.RunSummary]:
    def work(poke: Callable[[], None]) -> api.RunSummary:
        return api.supervise(store, concurrency=concurrency, until_idle=True, batch_id=batch_id,
                             sequential=sequential, on_progress=poke, stop=stop)

    return work


def _announce(ref: api.BatchRef) -> None:
    if ref.created:
        click.echo(f"batch {ref.name} (#{ref.id}) created with {ref.jobs_created} job(s)", err=True)
    else:
        click.echo(f"batch {ref.name} (#{ref.id}) resumed: {ref.jobs_existing} job(s) existing, "
                   f"{ref.jobs_created} added", err=True)


@click.command("run")
@click.argument("manifest", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--detach", is_flag=True, help="Hand the batch to a background supervisor and return at once.")
@click.option("--sequential", is_flag=True, help="One step at a time (overrides the manifest's mode).")
@click.option("--concurrency", type=click.IntRange(1, 512), default=16, show_default=True,
              help="Steps run at the same time by this process.")
@click.option("--no-progress", is_flag=True,
              help="Plain lines instead of the live view (the default when piped).")
@allow_path_option
@click.option("--accept-changes", is_flag=True,
              help="Apply the manifest's execution and policy changes to its existing batch.")
@click.pass_context
def run(ctx: click.Context, manifest: Path, detach: bool, sequential: bool, concurrency: int,
        no_progress: bool, allow_path: bool, accept_changes: bool) -> None:
    """Create (or resume) the batch of MANIFEST and supervise it until nothing is runnable.

    The manifest is validated before anything is written. Running the same manifest again resumes
    the same batch: it first prints what it changes (as `regctl plan`) and refuses pipeline,
    execution or policy changes unless --accept-changes. Exit 0 done, 1 some jobs failed, 2
    usage/manifest error, 3 waiting on decisions, 4 cancelled, 130 interrupted.
    """
    from regctl.commands.plan import plan_lines

    loaded = load_manifest(manifest, allow_paths=allow_path)
    sequential = sequential or loaded.execution.mode == "sequential"
    with store_for(ctx, create=True) as store:
        found = store.plan(loaded)
        if found.exists:
            click.echo("\n".join(plan_lines(found)), err=True)
        ref = api.submit_batch(store, loaded, actor=actor(), accept_changes=accept_changes)
        _announce(ref)
        if detach:
            pid, log = start_background_supervisor(db_url(ctx) or store.url, ref.id, ref.name,
                                                   concurrency=concurrency, sequential=sequential)
            click.echo(f"supervising in the background (pid {pid}); log: {log}\n"
                       f"follow it with: {command_hint(ctx, 'status', ref.name, '--watch')}")
            ctx.exit(0)
        with graceful_stop() as stop:
            work = _supervise(store, ref.id, concurrency=concurrency, sequential=sequential, stop=stop)
            follow(store, ref.id, work, live=is_terminal() and not no_progress)
        click.echo(summary_line(batch_progress(store, ref.id), review=command_hint(ctx, "review", ref.name)))
        if stop.is_set():
            click.echo(f"interrupted; continue with: {command_hint(ctx, 'resume', ref.name)}", err=True)
            ctx.exit(INTERRUPTED)
        ctx.exit(api.exit_code(store, ref.id))


COMMANDS = [run]
