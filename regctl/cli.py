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
from regctl.plain_output import escaped_streams

__all__ = ["main"]


class Context:
    """State shared by every command (click's ``ctx.obj``)."""

    def __init__(self, db_url: str | None, verbose: bool, json_output: bool = False) -> None:
        self.db_url = db_url
        self.verbose = verbose
        self.json_output = json_output


GLOBAL_FLAGS = frozenset({"-v", "--verbose"})
GLOBAL_VALUED = frozenset({"--db"})


def hoist_global_options(args: list[str]) -> list[str]:
    """``regctl status demo --db URL -v`` → ``regctl --db URL -v status demo``.

    The global options are accepted after the command too (its own options never use these
    names); everything after a ``--`` is left alone.
    """
    hoisted: list[str] = []
    rest: list[str] = []
    tokens = iter(args)
    for token in tokens:
        if token == "--":
            rest.extend([token, *tokens])
            break
        if token in GLOBAL_FLAGS or token.startswith("--db="):
            hoisted.append(token)
        elif token in GLOBAL_VALUED:
            value = next(tokens, None)
            if value is None:
                raise click.UsageError(f"Option '{token}' requires an argument.")
            hoisted.extend([token, value])
        else:
            rest.append(token)
    return hoisted + rest


class LazyGroup(click.Group):
    """A group whose commands are imported only when named (or listed by --help)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(args))

    def resolve_command(self, ctx: click.Context, args: list[str]
                        ) -> tuple[str | None, click.Command | None, list[str]]:
        name = click.utils.make_str(args[0]) if args else ""
        if args and not name.startswith("-") and self.get_command(ctx, name) is None:
            from regctl.suggest import did_you_mean

            hint = did_you_mean(name, self.list_commands(ctx))
            raise click.UsageError(f"No such command {name!r}{hint}; `regctl --help` lists them.", ctx)
        return super().resolve_command(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        from regctl.commands import COMMAND_MODULES

        return sorted({*COMMAND_MODULES, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        from regctl.commands import COMMAND_MODULES

        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            module = importlib.import_module(f"regctl.commands.{COMMAND_MODULES[cmd_name]}")
            for command in getattr(module, "COMMANDS", ()):
                _complete_batch_names(command)
                _add_examples(command)
                self.add_command(command)
        return self.commands.get(cmd_name)


def _add_examples(command: click.Command) -> None:
    """``--help`` ends with examples: the command's own epilog, else regctl.commands.examples'."""
    from regctl.commands.examples import epilog

    if command.epilog is None and command.name:
        command.epilog = epilog(command.name)


BATCH_ARGUMENTS = frozenset({"batch", "target"})  # `resume BATCH`, `cancel BATCH|job:ID`, `retry JOB|BATCH`…


def _complete_batch_names(command: click.Command) -> None:
    """Shell completion offers batch names for every BATCH argument, in one place rather than in
    each command module (an argument that brings its own completion keeps it)."""
    for param in command.params:
        if isinstance(param, click.Argument) and param.name in BATCH_ARGUMENTS \
                and param._custom_shell_complete is None:
            param._custom_shell_complete = _batch_names


def _batch_names(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """regctl.commands._common's completion, imported when completing (it brings rich with it: a
    command that does not print tables, such as ``supervise``, never loads it)."""
    from regctl.commands._common import batch_names

    return batch_names(ctx, param, incomplete)


EXAMPLES = """\b
Examples:
  regctl validate manifests/demo.yaml      check a manifest (every problem at once)
  regctl run manifests/demo.yaml           create or resume its batch and run it
  regctl status demo --watch               follow it until it is done or waits on you
  regctl review demo                       answer the decisions it waits on
  regctl show job:12 --events all          everything about one job
  regctl status --db postgresql://127.0.0.1/regctl    (--db and -v also go after the command)
  regctl completion bash > ~/.local/share/bash-completion/completions/regctl
"""


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXAMPLES)
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
    verbose = any(a in GLOBAL_FLAGS for a in (sys.argv[1:] if argv is None else argv))
    with escaped_streams():  # data in plain output never reaches a terminal as control codes
        return _main(argv, verbose)


def _main(argv: list[str] | None, verbose: bool) -> Any:
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
