"""``regctl validate MANIFEST``: check a manifest without touching any database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from regctl.commands._common import allow_path_option, console, emit_json, json_option
from regctl.errors import ManifestError
from regctl.manifest import Manifest, ManifestErrors, load_manifest

__all__ = ["COMMANDS", "manifest_summary"]


def manifest_summary(manifest: Manifest) -> dict[str, Any]:
    """What a valid manifest declares, as printed by ``validate --json``."""
    return {"valid": True, "file": str(manifest.source), "batch": manifest.batch,
            "organisation": manifest.organisation, "target": manifest.target,
            "pipeline": manifest.pipeline.name, "steps": manifest.raw["pipeline"]["steps"],  # ${ENV} kept
            "execution": {"mode": manifest.execution.mode,
                          "max_parallel_restaurants": manifest.execution.max_parallel_restaurants,
                          "limits": manifest.execution.limits,
                          "rate_limits": manifest.execution.rate_limits},
            "policies": manifest.policies, "restaurants": len(manifest.restaurants)}


def _one_error(exc: ManifestError) -> dict[str, Any]:
    return {"file": exc.file, "line": exc.line, "field": exc.field, "message": exc.message,
            "text": ManifestError.__str__(exc)}


def _error_json(exc: ManifestError) -> dict[str, Any]:
    """``error`` is the first problem (by line), ``errors`` every one found (up to the cap)."""
    errors = exc.errors if isinstance(exc, ManifestErrors) else [exc]
    more = exc.more if isinstance(exc, ManifestErrors) else 0
    return {"valid": False, "error": _one_error(exc), "errors": [_one_error(e) for e in errors],
            "more_errors": more}


def _print_summary(manifest: Manifest) -> None:
    out = console()
    out.print(f"{manifest.source}: valid — batch [bold]{manifest.batch}[/] of {manifest.organisation}, "
              f"target {manifest.target}, {len(manifest.restaurants)} restaurant(s)")
    out.print(f"pipeline {manifest.pipeline.name}: {len(manifest.pipeline.steps)} step(s)")
    for spec in manifest.pipeline.steps:
        relations = "".join(f" {name} {','.join(keys)}" for name, keys in
                            (("needs", spec.needs), ("after", spec.after)) if keys)
        when = f" when {spec.when}" if spec.when else ""
        out.print(f"  {spec.key} ({spec.uses}, {spec.kind}){relations}{when}", markup=False, highlight=False)


@click.command("validate", epilog="""\b
Examples:
  regctl validate manifests/demo.yaml
  regctl validate batch.yaml --json | jq '.errors[].text'""")
@click.argument("manifest", type=click.Path(path_type=Path, dir_okay=False))
@json_option
@allow_path_option
@click.pass_context
def validate(ctx: click.Context, manifest: Path, as_json: bool, allow_path: bool) -> None:
    """Check MANIFEST (YAML, restaurants, pipeline graph, step parameters) without touching any
    database.

    Exit 0 when valid; 2 when not, with one `file:line: field: message` line per problem (every
    problem at once, up to 20).
    """
    try:
        loaded = load_manifest(manifest, allow_paths=allow_path)
    except ManifestError as exc:
        if not as_json:
            raise
        emit_json(_error_json(exc))
        ctx.exit(2)
    if as_json:
        emit_json(manifest_summary(loaded))
    else:
        _print_summary(loaded)


COMMANDS = [validate]
