"""``regctl steps [TYPE]``: the step types a manifest can use, with their parameters and defaults."""

from __future__ import annotations

import json
from typing import Any

import click

from regctl.commands._common import console, emit_json, is_terminal, json_option
from regctl.errors import UsageError

__all__ = ["COMMANDS", "step_types"]


def step_types(name: str | None = None) -> list[dict[str, Any]]:
    """Every built-in step type (or the one named) as name, kind, description, defaults, parameters."""
    from regctl.steps.params import describe
    from regctl.steps.registry import UnknownStepType, known, lookup
    from regctl.suggest import did_you_mean

    names = known()
    if name is not None:
        try:
            lookup(name)
        except UnknownStepType:
            raise UsageError(f"unknown step type {name!r}{did_you_mean(name, names)}; "
                             "`regctl steps` lists them") from None
        names = [name]
    out = []
    for each in names:
        st = lookup(each)
        out.append({"name": st.name, "kind": str(st.kind), "description": st.description.strip(),
                    "timeout": st.timeout, "retries": st.retries, "resources": dict(st.resources),
                    "declared": st.params is not None, "parameters": describe(st.params)})
    return out


def _param_line(p: dict[str, Any]) -> str:
    default = f" = {json.dumps(p['default'])}" if p["default"] is not None else ""
    choices = f" (one of {', '.join(p['choices'])})" if p.get("choices") else ""
    return f"    {p['name']}: {p['type']}{default}{choices} — {p['description']}"


def _lines(types: list[dict[str, Any]], *, detailed: bool) -> list[str]:
    lines = []
    for t in types:
        first = t["description"].splitlines()[0] if t["description"] else ""
        lines.append(f"{t['name']}  ({t['kind']})  {first}".rstrip())
        if detailed and (t["timeout"] or t["retries"] or t["resources"]):
            lines.append(f"    timeout {t['timeout'] or '-'}s, attempts {t['retries'] or 'default'}, "
                         f"resources {t['resources'] or 'none'}")
        lines.extend(_param_line(p) for p in t["parameters"])
        if not t["parameters"]:
            lines.append("    (no parameters)" if t["declared"] else "    (parameters not declared)")
    return lines


@click.command("steps", epilog="""\b
Examples:
  regctl steps                  every step type and its parameters
  regctl steps builtin.sleep    one type, with its timeout and attempts
  regctl steps --json | jq '.[].name'""")
@click.argument("step_type", required=False, metavar="[TYPE]")
@json_option
def steps(step_type: str | None, as_json: bool) -> None:
    """List the step types a pipeline's `uses:` can name, with their `with:` parameters and defaults.

    A manifest's `with:` is checked against these at load (`regctl validate`).
    """
    types = step_types(step_type)
    if as_json:
        emit_json(types, redacted=False)
        return
    text = "\n".join(_lines(types, detailed=step_type is not None))
    if is_terminal():
        console().print(text, markup=False, highlight=False)
    else:
        click.echo(text)


COMMANDS = [steps]
