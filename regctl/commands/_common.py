"""What the commands share: the store from ``--db``, the console, ``--json``, and reference parsing.

References on the command line (documented in the README):
- a **batch** is its name or its numeric id (batch names may not be plain numbers, so this is never
  ambiguous);
- a **job** is its numeric id, optionally written ``job:ID`` (e.g. ``regctl show job:12``);
- ``regctl cancel`` takes either: ``job:ID`` is a job, anything else a batch.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from regctl.engine import api
from regctl.errors import ConfigError, UsageError
from regctl.plain_text import dumps, iso_timestamps

if TYPE_CHECKING:
    from rich.console import Console

    from regctl.db.store import Store

__all__ = ["actor", "allow_path_option", "batch_names", "bounded_actor", "command_hint", "console",
           "emit_json", "json_option", "parse_job",
           "resolve_batch", "store_for"]

F = TypeVar("F", bound=Callable[..., Any])
JOB_PREFIX = "job:"


def json_option(fn: F) -> F:
    """``--json``: print the result as JSON on stdout instead of a table."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(fn)


def allow_path_option(fn: F) -> F:
    """``--allow-path``: let a restaurant's ``menu_file`` lie outside the manifest's folder."""
    return click.option("--allow-path", "allow_path", is_flag=True,
                        help="Allow menu_file paths outside the manifest's folder.")(fn)


def db_url(ctx: click.Context) -> str | None:
    root = ctx.find_root()
    url = getattr(root.obj, "db_url", None) or root.params.get("db_url")  # params: during completion
    return str(url) if url else None


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and in-memory SQLite)."""
    from regctl.db.connect import normalise_url

    url = normalise_url(url)
    if not url.startswith("sqlite") or url.endswith(":memory:"):
        return None
    return Path(url.split(":///", 1)[-1])


@contextmanager
def store_for(ctx: click.Context, *, upgrade: bool = False, create: bool = False) -> Iterator[Store]:
    """The store of ``--db`` / ``REGCTL_DATABASE_URL`` / the SQLite default, closed afterwards.

    Only ``create`` (``regctl run``) may bring a new SQLite file into being; the other commands
    say there is no database instead of leaving an empty one behind.
    """
    url = db_url(ctx) or api.default_database_url()
    path = sqlite_path(url)
    if not create and path is not None and not path.exists():
        raise ConfigError(f"no database at {path}: start a batch with `regctl run MANIFEST`, "
                          "or choose one with --db URL / REGCTL_DATABASE_URL")
    store = api.open_store(url, upgrade=upgrade)
    try:
        yield store
    finally:
        store.close()


def bounded_actor(_ctx: click.Context | None, _param: click.Parameter | None,
                  value: str | None) -> str | None:
    """``--as NAME`` / ``REGCTL_ACTOR``: at most 100 characters of printable text (it is stored with every
    decision and event, and shown in plain output)."""
    if value is not None and (not value.strip() or len(value) > 100 or not value.isprintable()):
        raise UsageError("--as / REGCTL_ACTOR: a name of 1 to 100 printable characters")
    return value
def command_hint(ctx: click.Context, *args: str) -> str:
    """``regctl [--db URL] ARGS`` to print as a next step: the ``--db`` given on the command line is
    carried (one from ``REGCTL_DATABASE_URL`` is not: the same shell still has it)."""
    import shlex

    root = ctx.find_root()
    given = root.get_parameter_source("db_url") == click.core.ParameterSource.COMMANDLINE
    db = ["--db", str(db_url(ctx))] if given and db_url(ctx) else []
    return shlex.join(["regctl", *args, *db])


def batch_names(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of a BATCH argument: the batch names of the database in use (none on error)."""
    try:
        url = db_url(ctx) or api.default_database_url()
        path = sqlite_path(url)
        if path is not None and not path.exists():
            return []
        store = api.open_store(url)
        try:
            names = [str(b["name"]) for b in store.list_batches()]
        finally:
            store.close()
    except Exception:  # completion must never print a traceback into the user's prompt
        return []
    return [n for n in names if n.startswith(incomplete)]


def actor() -> str:
    """Who is acting, for the event log: ``REGCTL_ACTOR``, else the OS user."""
    explicit = os.environ.get("REGCTL_ACTOR")
    if explicit:
        return str(bounded_actor(None, None, explicit))
    import getpass  # only commands that record an actor pay for it (it imports termios, pwd)
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def is_terminal() -> bool:
    return sys.stdout.isatty()


def console() -> Console:
    """Rich with colour on a terminal; plain text, wide and uncoloured, when piped. (rich is imported
    here, not with this module: piped and ``--json`` output never needs it.)"""
    from rich.console import Console

    if is_terminal():
        return Console()
    return Console(no_color=True, width=200, highlight=False, soft_wrap=False)


def emit_json(data: Any, *, redacted: bool = True) -> None:
    """Indented on a terminal; compact when piped (to jq, a file…), which is much faster on big batches.
    Timestamps are ISO 8601 UTC strings (``2026-12-05T16:10:48.123Z``)."""
    click.echo(dumps(iso_timestamps(data), pretty=is_terminal(), redacted=redacted))


def parse_job(ref: str) -> int:
    """``12`` or ``job:12`` → 12; anything else is a usage error naming the argument."""
    text = ref.strip()
    text = text[len(JOB_PREFIX):] if text.lower().startswith(JOB_PREFIX) else text
    if not text.isdigit():
        raise UsageError(f"JOB must be a job id like 12 or job:12, not {ref!r}")
    return int(text)


def is_job_ref(ref: str) -> bool:
    return ref.strip().lower().startswith(JOB_PREFIX)


def resolve_batch(store: Store, ref: str) -> dict[str, Any]:
    """A batch by name or id; :class:`~regctl.errors.NotFound` naming the reference."""
    return store.find_batch(ref.strip())


def decisions_waiting(store: Store, batch_id: int | None = None) -> dict[int, int]:
    """Number of steps waiting for a decision, by batch id."""
    counts: dict[int, int] = {}
    for step in store.waiting_steps(batch_id=batch_id):
        counts[step["batch_id"]] = counts.get(step["batch_id"], 0) + 1
    return counts
