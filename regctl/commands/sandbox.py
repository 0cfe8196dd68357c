"""``regctl sandbox serve`` and ``regctl sandbox manifest``: the local stand-in world (SPEC §8)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from regctl.sandbox.manifest import DEFAULT_BASE_URL, manifest_yaml

__all__ = ["COMMANDS"]


@click.group(name="sandbox")
def sandbox_group() -> None:
    """Run the sandbox (local stand-ins for every external system) and get a manifest for it."""


@sandbox_group.command(name="serve")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Loopback address to bind (loopback only)."
)
@click.option(
    "--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on."
)
@click.option(
    "--faults",
    "faults_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="YAML/JSON fault file (latency, 5xx, 429 bursts, drops, page faults; see docs/sandbox.md).",
)
@click.option(
    "--seed", type=int, default=None, help="Seed for the faults' random choices (overrides the file's)."
)
@click.option(
    "--fixtures",
    "fixtures_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Serve your own restaurants, register entries, websites and menus from DIR (docs/sandbox.md).",
)
def serve_command(host: str, port: int, faults_file: str | None, seed: int | None,
                  fixtures_dir: Path | None) -> None:
    """Serve the sandbox in the foreground until interrupted (Ctrl-C)."""
    from regctl.sandbox.faults import load_faults
    from regctl.sandbox.fixtures import load_fixture_dir
    from regctl.sandbox.server import check_loopback, serve

    check_loopback(host)
    load_faults(faults_file, seed=seed)  # validate before printing anything
    if fixtures_dir is not None:
        load_fixture_dir(fixtures_dir)

    def announce(url: str) -> None:
        from regctl.sandbox.app import system_url
        from regctl.targets import sandbox_domain

        domain = sandbox_domain()
        port_url = url.split("://", 1)[1]
        click.echo(f"regctl sandbox on {url}  (state: {url}/_sandbox/state, audit: {url}/_sandbox/audit)")
        click.echo(f"  admin portal:  {system_url(url, 'admin_portal', domain)}")
        click.echo(f"  marketing hub: {system_url(url, 'marketing_hub', domain)}")
        click.echo(f"  (routed by Host: admin.* is the portal, manage.* the hub, <sub>.* a storefront; "
                   f"Chromium resolves *.localhost itself, for another domain start it with "
                   f'--host-resolver-rules="MAP *.{domain} {port_url}")')

    serve(host=host, port=port, faults=faults_file, seed=seed, on_ready=announce, fixtures=fixtures_dir)


@sandbox_group.command(name="manifest")
@click.option("--count", type=int, default=None, help="How many fixture restaurants (default: all).")
@click.option(
    "--base-url",
    default=None,
    help=f"Where the sandbox runs (default: $REGCTL_SANDBOX_URL or {DEFAULT_BASE_URL}).",
)
@click.option("--batch", default=None, help="Batch name (default: sandbox-<count>).")
@click.option("--fixtures", "fixtures_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=None, help="The restaurants of a fixture directory (as served with --fixtures DIR).")
def manifest_command(count: int | None, base_url: str | None, batch: str | None,
                     fixtures_dir: Path | None) -> None:
    """Print a ready-to-run manifest of the sandbox's fixture restaurants (target sandbox, onboarding)."""
    from regctl.sandbox.fixtures import FIXTURE_DIR

    url = base_url or os.environ.get("REGCTL_SANDBOX_URL") or DEFAULT_BASE_URL
    click.echo(manifest_yaml(count, url, batch, fixtures_dir or FIXTURE_DIR), nl=False)


COMMANDS = [sandbox_group]
