"""Install anywhere: the wheel carries the migrations, and an installed regctl migrates and runs.

A module fixture builds the wheel from a copy of the checkout (offline: ``--no-build-isolation``),
installs it into a fresh virtualenv, and lets that venv see this one's site-packages only for the
third-party dependencies (a plain path in a ``.pth`` file: the editable regctl of this checkout is
not on it). Every command then runs from a directory outside the checkout, so nothing can come from
the source tree. The nightly workflow's own ``run:`` scripts are executed against PostgreSQL with
the installed ``regctl`` first on PATH, as the runner would after its install step.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "nightly-resume.yml"
BUILD_INPUTS = ("pyproject.toml", "setup.py", "README.md", "regctl", "migrations")
INSTALL_STEP = "Install regctl and a browser"

pytestmark = pytest.mark.slow


def _build_wheel(work: Path) -> Path:
    src = work / "src"
    src.mkdir()
    for name in BUILD_INPUTS:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, src / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "--no-index", "-w", str(work / "dist"), str(src)], check=True, capture_output=True)
    (wheel,) = (work / "dist").glob("regctl-*.whl")
    return wheel


def _fresh_venv(work: Path, wheel: Path) -> Path:
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    str(wheel)], check=True, capture_output=True)
    purelib = subprocess.run([str(venv / "bin" / "python"), "-c",
                              "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "zz_regctl_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The bin/ directory of a fresh venv with the built wheel installed."""
    work = tmp_path_factory.mktemp("wheel")
    venv = _fresh_venv(work, _build_wheel(work))
    yield venv / "bin"


def run_in(bin_dir: Path, cwd: Path, database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(cwd), "REGCTL_DATABASE_URL": database_url,
           "LANG": "C.UTF-8"}
    return subprocess.run([str(bin_dir / "regctl"), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False, timeout=240)


def test_the_wheel_carries_the_migrations(installed: Path) -> None:
    (wheel,) = (installed.parent.parent / "dist").glob("regctl-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "regctl/migrations/env.py" in names
    assert any(n.startswith("regctl/migrations/versions/0001_") for n in names)


def test_the_installed_package_is_the_one_that_runs(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run([str(installed / "python"), "-c", "import regctl; print(regctl.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(installed.parent)), where


def test_db_upgrade_and_the_builtin_demo_from_the_install(installed: Path, empty_database_url: str,
                                                          tmp_path: Path) -> None:
    shutil.copy(ROOT / "manifests" / "examples" / "builtin-demo.yaml", tmp_path)
    upgraded = run_in(installed, tmp_path, empty_database_url, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert "revision 0001" in upgraded.stdout
    demo = run_in(installed, tmp_path, empty_database_url, "run", "builtin-demo.yaml", "--no-progress")
    assert demo.returncode == 0, demo.stderr
    assert "batch builtin-demo (#1): completed — 10 job(s): 10 completed" in demo.stdout


# ---------------------------------------------------------------- the nightly workflow -----------

def workflow_steps() -> list[dict[str, Any]]:
    data = yaml.safe_load(WORKFLOW.read_text())
    steps = data["jobs"]["resume"]["steps"]
    assert isinstance(steps, list)
    return steps


WAITING_MANIFEST = """\
batch: left-waiting
organisation: nightly-org
target: sandbox
pipeline:
  steps:
    - {key: prepare, uses: builtin.noop}
    - {key: approve, uses: builtin.wait, needs: [prepare]}
restaurants:
  - {name: Night Owl Noodles, address: 1 Queen Street, city: Auckland}
"""


def run_workflow_step(step: dict[str, Any], installed: Path, cwd: Path, env: dict[str, str]
                      ) -> subprocess.CompletedProcess[str]:
    """A ``run:`` step as GitHub's runner runs it: ``bash --noprofile --norc -eo pipefail``."""
    step_env = dict(env, **{k: "" for k in step.get("env", {})})  # inputs are empty on a schedule
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                          cwd=cwd, env=step_env, capture_output=True, text=True, check=False, timeout=300)


@pytest.mark.parametrize("dialect", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_workflow_commands_run_against_postgres(installed: Path, empty_database_url: str,
                                                    tmp_path: Path) -> None:
    (tmp_path / "waiting.yaml").write_text(WAITING_MANIFEST)
    assert run_in(installed, tmp_path, empty_database_url, "db", "upgrade").returncode == 0
    seeded = run_in(installed, tmp_path, empty_database_url, "run", "waiting.yaml", "--no-progress")
    assert seeded.returncode == 3, seeded.stderr  # a night begins with a batch waiting on a decision
    summary, output = tmp_path / "summary.md", tmp_path / "output"
    env = {"PATH": f"{installed}:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8",
           "REGCTL_DATABASE_URL": empty_database_url, "GITHUB_STEP_SUMMARY": str(summary),
           "GITHUB_OUTPUT": str(output), "PYTHONUNBUFFERED": "1"}
    ran = []
    for step in workflow_steps():
        if "run" not in step or step.get("name") == INSTALL_STEP:
            continue  # actions, and the install this module did from the wheel offline
        done = run_workflow_step(step, installed, tmp_path, env)
        assert done.returncode == 0, (step.get("name"), done.stdout, done.stderr)
        ran.append(step.get("name"))
    assert "Migrate the database" in ran and "Resume every unfinished batch" in ran
    assert "exit_code=3" in output.read_text()  # waiting on a decision: a normal night
    assert "## regctl resume (exit 3)" in summary.read_text()
    assert '"name":"left-waiting"' in (tmp_path / "status.json").read_text().replace(" ", "")


def test_the_workflow_installs_with_pip_from_the_checkout() -> None:
    (install,) = [s for s in workflow_steps() if s.get("name") == INSTALL_STEP]
    assert "python -m pip install .\n" in install["run"]  # what this module's wheel build mirrors

