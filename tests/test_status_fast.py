"""Fast reads (issue 15, item 5): `status BATCH` on a terminal reads counts and only the rows shown;
a read command imports neither alembic nor the webhook client. Speed itself is measured in
bench/status.py (figures in docs/performance.md), never asserted here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cli_support import manifest, regctl
from rich.console import Console

from regctl.commands.status import batch_overview, batch_status
from regctl.db import migrate
from regctl.db.store import Store
from regctl.render import batch_detail

FAILS_SOME = """    - {key: fetch, uses: builtin.noop}
    - {key: picky, uses: builtin.fail, with: {times: 9, retryable: false}, needs: [fetch], retries: 1,
       when: "restaurant.city == 'Wellington'"}"""


def test_the_overview_counts_the_whole_batch_and_lists_the_busiest_rows(store: Store, database_url: str,
                                                                        tmp_path: Path) -> None:
    path = manifest(tmp_path, FAILS_SOME, count=30)
    text = path.read_text().replace("Restaurant 7, address: 7 Test Road, city: Auckland",
                                    "Restaurant 7, address: 7 Test Road, city: Wellington")
    path.write_text(text)
    assert regctl("run", "--no-progress", str(path), db=database_url).code == 1
    full = batch_status(store, "cli-test")
    view = batch_overview(store, "cli-test", rows=5)
    assert len(view["jobs"]) == 5
    assert view["jobs"][0]["restaurant"] == "Restaurant 7"  # the failed job first
    assert view["job_counts"] == {"failed": 1, "completed": 29}
    assert sum(view["step_counts"].values()) == sum(len(j["steps"]) for j in full["jobs"]) == 60
    assert view["jobs"][1]["steps"] == full["jobs"][0]["steps"]  # rows carry their steps in order
    console = Console(width=120, no_color=True, record=True)
    console.print(batch_detail(view, max_rows=5, width=120))
    out = console.export_text()
    assert "… and 25 more: 25 completed" in out and "60/60 steps" in out


def test_status_rows_limits_the_jobs_listed(store: Store, database_url: str, tmp_path: Path) -> None:
    path = manifest(tmp_path, FAILS_SOME, count=12)
    assert regctl("run", "--no-progress", str(path), db=database_url).code == 0
    lines = regctl("status", "cli-test", "--rows", "4", db=database_url).out.splitlines()
    assert len(lines) == 2 + 4
    assert len(regctl("status", "cli-test", db=database_url).out.splitlines()) == 2 + 12


def test_the_revision_check_agrees_with_alembic() -> None:
    from alembic.script import ScriptDirectory

    assert migrate.head_revision() == ScriptDirectory.from_config(migrate._config()).get_current_head()


# What `regctl status` must not import in a fresh process (issue 15: start-up under 250 ms). A prefix
# covers its submodules. asyncio is on the list too, though `import sqlalchemy` brings it: the check is
# on what regctl adds beyond that floor.
HEAVY = ("alembic", "asyncio", "httpx", "playwright", "questionary", "rich", "regctl.render", "regctl.review",
         "regctl.engine.supervisor", "regctl.engine.runner", "regctl.steps", "regctl.pipeline",
         "regctl.manifest", "regctl.db.claim", "regctl.db.admission", "regctl.db.progress", "regctl.db.plan",
         "regctl.db.submit", "regctl.db.transitions")
POSTGRES_ONLY = ("sqlalchemy.dialects.postgresql", "psycopg")
PROBE = """import subprocess, sys
from regctl.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
floor = subprocess.run([sys.executable, "-c", "import sys, sqlalchemy; print(*sys.modules)"],
                       capture_output=True, text=True, check=True).stdout.split()
print(*sorted(set(sys.modules) - set(floor)), file=sys.stderr)
"""


def modules_beyond_sqlalchemy(*args: str) -> set[str]:
    """The modules a fresh interpreter imports to run ``regctl ARGS`` (output piped), beyond those
    ``import sqlalchemy`` imports on its own."""
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True)
    return set(done.stderr.split())


def heavy(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(f"{n}.") for n in names))


def test_a_read_command_imports_only_what_it_reads_and_prints(database_url: str, tmp_path: Path) -> None:
    path = manifest(tmp_path, FAILS_SOME, count=2)
    assert regctl("run", "--no-progress", str(path), db=database_url).code == 0
    unwanted = HEAVY + (() if database_url.startswith("postgres") else POSTGRES_ONLY)
    for args in (["status"], ["status", "cli-test"], ["status", "cli-test", "--json"]):
        loaded = modules_beyond_sqlalchemy("--db", database_url, *args)
        assert "regctl.db.views" in loaded  # the probe ran the command
        assert heavy(loaded, unwanted) == [], args
