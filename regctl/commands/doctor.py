"""``regctl doctor``: is this machine ready to run batches? Database, browser, target credentials."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

import click

from regctl.commands._common import console, db_url, emit_json, json_option, sqlite_path
from regctl.engine import api
from regctl.errors import RegctlError

__all__ = ["COMMANDS", "Check", "check_browser", "check_database", "check_secret_key", "check_target"]


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def check_database(url: str | None) -> Check:
    """Reachable and migrated to the current revision — read-only: never creates or upgrades."""
    from regctl.db import migrate
    from regctl.db.connect import open_engine

    url = url or api.default_database_url()
    path = sqlite_path(url)
    if path is not None and not path.exists():
        return Check("database", True, f"{path} does not exist yet; `regctl run` creates and migrates it")
    try:
        engine = open_engine(url)
    except Exception as exc:
        return Check("database", False, f"cannot open {url.split('@')[-1]}: {type(exc).__name__}")
    shown = engine.url.render_as_string(hide_password=True)
    try:
        current, head = migrate.current_revision(engine), migrate.head_revision()
    except Exception as exc:
        return Check("database", False, f"{shown} unreachable: {str(exc).splitlines()[0][:160]}")
    finally:
        engine.dispose()
    if current != head:
        return Check("database", False, f"{shown} at revision {current or 'none'}, head is {head}: "
                                        "run `regctl db upgrade`")
    return Check("database", True, f"{shown} reachable, migrated ({head})")


def check_browser() -> Check:
    from regctl.browser_setup import find_chromium

    path = find_chromium()
    if path is None:
        return Check("browser", False, "no Chromium found: run `make browser` or set REGCTL_CHROMIUM")
    return Check("browser", True, path)


def check_secret_key() -> Check:
    """Where the key that encrypts stored passwords comes from (never the key itself)."""
    from regctl import secrets

    problem = secrets.key_problem()
    if problem:
        return Check("secret key", False, f"{problem}. {secrets.how_to_make_key()}")
    return Check("secret key", True, secrets.key_source())


def check_target(name: str) -> Check:
    """Credentials and URLs of the target (env names only; values are never printed)."""
    try:
        from regctl import targets
    except ImportError:
        return Check(f"target {name}", True, "target profiles are not available in this version")
    if name == targets.SANDBOX and not os.environ.get(targets.SANDBOX_URL_ENV):
        return Check(f"target {name}", True, "an in-process sandbox is started for each run")
    try:
        missing = targets.missing_credentials(targets.resolve_target(name))
    except RegctlError as exc:
        return Check(f"target {name}", False, str(exc))
    if missing:
        return Check(f"target {name}", False, "missing: " + ", ".join(missing))
    return Check(f"target {name}", True, "every credential and URL is set")


@click.command("doctor")
@click.option("--target", default=lambda: os.environ.get("REGCTL_TARGET", "sandbox"), show_default="sandbox",
              help="Target whose credentials to check (env REGCTL_TARGET).")
@json_option
@click.pass_context
def doctor(ctx: click.Context, target: str, as_json: bool) -> None:
    """Check the database (reachable, migrated), the browser, the secret key and the target's credentials.

    Exit 0 when everything is ready, 2 when something is missing.
    """
    checks = [check_database(db_url(ctx)), check_browser(), check_secret_key(), check_target(target)]
    ok = all(c.ok for c in checks)
    if as_json:
        emit_json({"ok": ok, "checks": [asdict(c) for c in checks]})
    else:
        out = console()
        for c in checks:
            mark = "[green]✔[/]" if c.ok else "[bold red]✖[/]"
            out.print(f"{mark} {c.name}: ", end="")
            out.print(c.detail, markup=False, highlight=False)
    ctx.exit(0 if ok else 2)


COMMANDS = [doctor]
