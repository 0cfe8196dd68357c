"""``regctl completion bash|zsh|fish``: the shell completion script (commands, options, batch names)."""

from __future__ import annotations

import click

__all__ = ["COMMANDS"]

SHELLS = ("bash", "zsh", "fish")
COMPLETE_VAR = "_REGCTL_COMPLETE"


@click.command("completion", epilog="""\b
Examples:
  regctl completion bash > ~/.local/share/bash-completion/completions/regctl
  regctl completion zsh > "${fpath[1]}/_regctl"
  regctl completion fish > ~/.config/fish/completions/regctl.fish
  eval "$(regctl completion bash)"        # this shell only""")
@click.argument("shell", type=click.Choice(SHELLS))
@click.pass_context
def completion(ctx: click.Context, shell: str) -> None:
    """Print the completion script for SHELL: commands, options, and the batch names of the
    database in use (`regctl status <TAB>`)."""
    from click.shell_completion import get_completion_class

    cls = get_completion_class(shell)
    assert cls is not None  # the three shells click ships
    root = ctx.find_root().command
    click.echo(cls(root, {}, "regctl", COMPLETE_VAR).source())


COMMANDS = [completion]
