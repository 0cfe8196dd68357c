"""``regctl plan MANIFEST``: what running the manifest would change, without writing anything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from regctl.commands._common import allow_path_option, store_for
from regctl.db.plan import Change, Plan
from regctl.errors import ConfigError
from regctl.manifest import load_manifest

__all__ = ["COMMANDS", "plan_lines"]


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _step(change: Change) -> str:
    if change.old is None:
        return f"  + step {change.what} ({change.new['uses']})"
    if change.new is None:
        return f"  - step {change.what}"
    fields = sorted(k for k in set(change.old) | set(change.new) if change.old.get(k) != change.new.get(k))
    return f"  ~ step {change.what}: {', '.join(fields)}"


def _setting(kind: str, change: Change) -> str:
    return f"  ~ {kind} {change.what}: {_short(change.old)} -> {_short(change.new)}"


def plan_lines(plan: Plan) -> list[str]:
    """The plan as lines: + added, ~ changed, - removed; what the run does with each."""
    if not plan.exists:
        return [f"new batch {plan.batch}: {len(plan.added)} restaurant(s)", *(f"  + {n}" for n in plan.added)]
    lines = [f"batch {plan.batch} exists" + (" (cancelled: it takes no new jobs)" if plan.cancelled else "")]
    lines += [f"  + {name} (a new job)" for name in plan.added]
    lines += [f"  ~ {c.what}: {_short(c.old)} -> {_short(c.new)}" for c in plan.changed]
    lines += [f"  - {name} (no longer listed: its job is kept; `regctl cancel job:ID` stops it)"
              for name in plan.removed]
    lines += [_step(c) for c in plan.pipeline]
    lines += [_setting("execution", c) for c in plan.execution]
    lines += [_setting("policy", c) for c in plan.policies]
    if plan.pipeline:
        lines.append("  (--accept-changes keeps the batch's pipeline: a new pipeline needs a new batch name)")
    if len(lines) == 1:
        lines.append("  no changes: running it resumes the batch")
    return lines


@click.command("plan")
@click.argument("manifest", type=click.Path(path_type=Path, dir_okay=False))
@allow_path_option
@click.pass_context
def plan(ctx: click.Context, manifest: Path, allow_path: bool) -> None:
    """Show what `regctl run MANIFEST` would change — restaurants added (+), changed (~) or no longer
    listed (-), and pipeline, execution and policy differences — without writing anything."""
    loaded = load_manifest(manifest, allow_paths=allow_path)
    try:
        with store_for(ctx) as store:
            found = store.plan(loaded)
    except ConfigError:  # no database yet: everything is new
        found = Plan(loaded.batch, exists=False, added=[str(r["name"]) for r in loaded.restaurants])
    for line in plan_lines(found):
        click.echo(line)


COMMANDS = [plan]
