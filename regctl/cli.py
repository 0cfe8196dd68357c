"""The command line: the click group, global options, and the one error → exit-code boundary.

Commands live in ``regctl/commands/``; each module there exposes ``COMMANDS`` (a list of click
commands/groups). They are imported lazily, by name, from ``regctl.commands.COMMAND_MODULES``.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from regctl import __version__
from regctl.errors import RegctlError

__all__ = ["main"]


class Context:
    """State shared by every command (click's ``ctx.obj``)."""

    def __init__(self, db_url: str | None, verbose: bool, json_output: bool = False) -> None:
        self.db_url = db_url
        self.verbose = verbose
        self.json_output = json_output


class LazyGroup(click.Group):
    """A group whose commands are imported only when named (or listed by --help)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from regctl.commands import COMMAND_MODULES

        return sorted({*COMMAND_MODULES, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        from regctl.commands import COMMAND_MODULES

        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            module = importlib.import_module(f"regctl.commands.{COMMAND_MODULES[cmd_name]}")
            for command in getattr(module, "COMMANDS", ()):
                self.add_command(command)
        return self.commands.get(cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_url", envvar="REGCTL_DATABASE_URL", metavar="URL",
              help="Database URL (default: sqlite file regctl.db here; env REGCTL_DATABASE_URL).")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks and debug logging.")
@click.version_option(__version__, prog_name="regctl")
@click.pass_context
def cli(ctx: click.Context, db_url: str | None, verbose: bool) -> None:
    """Onboard restaurants onto the ordering platform in durable, resumable batches."""
    ctx.obj = Context(db_url=db_url, verbose=verbose)


def main(argv: list[str] | None = None) -> Any:
    """Entry point: run the CLI, mapping regctl errors to one line and an exit code."""
    verbose = "-v" in (argv or sys.argv) or "--verbose" in (argv or sys.argv)
    try:
        rc = cli.main(args=argv, prog_name="regctl", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except RegctlError as exc:
        if verbose:
            raise
        for line in str(exc).splitlines() or [""]:  # several manifest problems: one line each
            click.echo(f"regctl: {line}", err=True)
        sys.exit(exc.exit_code)
    sys.exit(rc if isinstance(rc, int) else 0)
