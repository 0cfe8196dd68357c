"""`regctl sandbox manifest` and `regctl sandbox serve` (argument checks; serving is covered elsewhere)."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from regctl.cli import cli
from regctl.manifest import load_manifest


def test_manifest_is_valid_and_ready_to_run(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["sandbox", "manifest", "--count", "5", "--base-url", "http://127.0.0.1:9999"]
    )
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.output)
    assert data["target"] == "sandbox" and data["pipeline"] == "onboarding" and len(data["restaurants"]) == 5
    assert data["restaurants"][0]["website"].startswith("http://127.0.0.1:9999/sites/")
    path = tmp_path / "m.yaml"
    path.write_text(result.output, encoding="utf-8")
    manifest = load_manifest(path)
    assert len(manifest.restaurants) == 5


def test_manifest_count_out_of_range_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["sandbox", "manifest", "--count", "999"])
    assert result.exit_code != 0 and "between 1 and" in str(result.exception)


def test_serve_refuses_non_loopback_hosts() -> None:
    result = CliRunner().invoke(cli, ["sandbox", "serve", "--host", "0.0.0.0"])
    assert result.exit_code != 0 and "loopback only" in str(result.exception)


def test_serve_rejects_a_bad_fault_file_before_starting(tmp_path: Path) -> None:
    bad = tmp_path / "f.yaml"
    bad.write_text("faults: {nzbn: {bogus: 1}}\n")
    result = CliRunner().invoke(cli, ["sandbox", "serve", "--faults", str(bad)])
    assert result.exit_code != 0 and "bogus" in str(result.exception)


def test_commands_have_help() -> None:
    for args in (["sandbox", "--help"], ["sandbox", "serve", "--help"], ["sandbox", "manifest", "--help"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0 and "Usage" in result.output
