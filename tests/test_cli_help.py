"""Every command and subcommand explains itself."""

from __future__ import annotations

import click
import pytest
from cli_support import regctl

from regctl.cli import cli


def all_commands() -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []

    def walk(group: click.Group, prefix: tuple[str, ...]) -> None:
        ctx = click.Context(group)
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            assert command is not None, name
            found.append((*prefix, name))
            if isinstance(command, click.Group):
                walk(command, (*prefix, name))

    walk(cli, ())
    return found


MINE = {"run", "status", "show", "cancel", "retry", "resume", "validate", "doctor"}


def test_the_cli_commands_of_issue_2_exist() -> None:
    assert set(cli.list_commands(click.Context(cli))) >= MINE


@pytest.mark.parametrize("path", all_commands(), ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), name)
        assert found is not None
        command = found
    assert (command.help or "").strip(), f"regctl {' '.join(path)} has no help text"
    result = regctl(*path, "--help")
    assert result.code == 0 and "Usage:" in result.out


def test_read_commands_take_json() -> None:
    for name in ("status", "show", "validate", "doctor"):
        assert "--json" in regctl(name, "--help").out
