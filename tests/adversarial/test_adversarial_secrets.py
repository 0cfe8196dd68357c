"""No secret at rest in plain text: every secret a run was given is searched for in the database, the
logs, the events, the artifacts (traces unzipped), the exports and the --json outputs — with a
failed browser step's screenshot and trace present (issue 14 item 2)."""

from __future__ import annotations

import asyncio
import json
import os
import secrets as pysecrets
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from adversarial_support import HEAD, ONE, snapshot, write
from playwright.async_api import Page
from register_support import StepCtx

from regctl.db.artifacts import artifacts_of_job
from regctl.errors import PermanentStepError
from regctl.steps.base import StepContext
from regctl.steps.browser_step import close_shared_browser, run_in_browser
from regctl.steps.portal.login import login

TESTS = str(Path(__file__).resolve().parent.parent)  # engine_steps: the step types this run uses

pytestmark = pytest.mark.browser

LOGIN_PAGE = ("<html><body><form method='post' action='/login'>"
              "<input type='email' name='email'><input type='password' name='password'>"
              "<button type='submit'>Log in</button></form>"
              "<div class='alert alert-danger' role='alert'>Invalid e-mail or password</div></body></html>")


async def _failing_login(password: str) -> Any:
    async def flow(_: StepContext, page: Page) -> dict[str, Any]:
        async def serve(route: Any) -> None:
            await route.fulfill(status=200, content_type="text/html", body=LOGIN_PAGE)

        await page.route("https://portal.probe.test/**", serve)
        await login(page, "https://portal.probe.test", "owner@example.com", password)
        return {}

    return flow


def _fail_in_browser(ctx: StepCtx, password: str) -> None:
    async def main() -> None:
        try:
            await run_in_browser(ctx, await _failing_login(password))
        finally:
            await close_shared_browser(ctx.shared)

    with pytest.raises(PermanentStepError, match=r"login failed for owner@example\.com"):
        asyncio.run(main())


def _every_file(folder: Path) -> Iterator[tuple[str, bytes]]:
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        yield str(path), data
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    yield f"{path}!{member}", archive.read(member)


def _forms(secret: str) -> list[bytes]:
    """The secret as it could be written: plain, URL-encoded (a form body), JSON-escaped."""
    return sorted({secret.encode(), quote(secret, safe="").encode(), json.dumps(secret)[1:-1].encode()})


def _leaks(secret: str, places: dict[str, bytes]) -> list[str]:
    return [where for where, data in places.items() if any(form in data for form in _forms(secret))]


def test_a_failed_login_leaves_a_trace_without_the_password(tmp_path: Path) -> None:
    from regctl.db import schema

    url = f"sqlite:///{tmp_path / 'steps.db'}"
    engine = sa.create_engine(url)
    schema.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(schema.steps.insert().values(
            id=7, job_id=3, batch_id=1, organisation_id="o", key="login_step", uses="login_step",
            kind="automatic", status="running", position=0, needs=[], after=[], critical=True, params={},
            resources={}, max_attempts=3, attempts=1))
    engine.dispose()
    password = f"Pw-{pysecrets.token_hex(8)}!"
    ctx = StepCtx(config={}, data_dir=tmp_path / "data", database_url=url, job_id=3, step_key="login_step")
    _fail_in_browser(ctx, password)
    found = {a.kind: Path(a.path) for a in artifacts_of_job(url, 3)}
    assert set(found) == {"screenshot", "trace"}
    assert all((p.stat().st_mode & 0o777) == 0o600 for p in found.values())
    with zipfile.ZipFile(found["trace"]) as archive:
        assert any(n.endswith(".trace") for n in archive.namelist())  # tracing resumed after the login
    assert _leaks(password, dict(_every_file(tmp_path / "data"))) == []


class Hook:
    def __init__(self) -> None:
        self.received: list[bytes] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                hook.received.append(self.rfile.read(int(self.headers["Content-Length"])))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def hook() -> Iterator[Hook]:
    made = Hook()
    yield made
    made.server.shutdown()
    made.server.server_close()


STEPS = """pipeline:
  steps:
    - {key: fetch, uses: "engine_steps:holds_params", with: {api_token: "${PROBE_TOKEN}"}}
    - {key: login_step, uses: "engine_steps:refused_login", needs: [fetch], retries: 1,
       with: {password: "${PROBE_PASSWORD}"}}
"""


def _until_failed_again(cli: Any) -> None:
    """Wait (a liveness bound, not a timing assertion) for the detached supervisor to finish the batch."""
    for _ in range(600):
        status = json.loads(cli("status", "probe", "--json").stdout)
        if status["status"] == "failed" and not json.loads(cli("status", "--supervisors", "--json").stdout):
            return
        time.sleep(0.2)
    pytest.fail("the detached supervisor did not finish")


def test_no_secret_it_was_given_is_anywhere_at_rest(hook: Hook, database_url: str, tmp_path: Path) -> None:
    given = {"PROBE_TOKEN": f"tok-{pysecrets.token_hex(8)}",
             "PROBE_PASSWORD": f"Pw-{pysecrets.token_hex(8)}!",
             "PROBE_HOOK_TOKEN": f"hook-{pysecrets.token_hex(8)}"}
    port = hook.server.server_address[1]
    env = {**os.environ, "PROBE_TOKEN": given["PROBE_TOKEN"], "PROBE_PASSWORD": given["PROBE_PASSWORD"],
           "PROBE_HOOK": f"http://127.0.0.1:{port}/hooks/T/B/{given['PROBE_HOOK_TOKEN']}",
           "REGCTL_DATA_DIR": str(tmp_path / "data"),
           "PYTHONPATH": os.pathsep.join(filter(None, [TESTS, os.environ.get("PYTHONPATH")]))}
    notify = 'notify: {webhook: "${PROBE_HOOK}", allow_private_addresses: true}\n'
    manifest = write(tmp_path, HEAD + STEPS + notify + ONE)
    entry = "import sys; from regctl.cli import main; main(sys.argv[1:])"

    def cli(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-c", entry, "--db", database_url, *args], env=env,
                              capture_output=True, timeout=180, check=False)

    places: dict[str, bytes] = {}
    ran = cli("run", "--no-progress", str(manifest))
    assert ran.returncode == 1, ran.stderr  # the login step failed
    assert hook.received, "the failure was posted to the webhook"  # so the hook URL was really used
    job = json.loads(cli("status", "probe", "--json").stdout)["jobs"][0]["id"]
    # a failed browser attempt of that step, with the password typed, leaves its artifacts
    ctx = StepCtx(config={}, data_dir=tmp_path / "data", database_url=database_url, job_id=job,
                  step_key="login_step")
    _fail_in_browser(ctx, given["PROBE_PASSWORD"])
    places["run output"] = ran.stdout + ran.stderr
    # once more through a detached supervisor, whose output goes to a log file in the data directory
    assert cli("retry", "probe", "--failed").returncode == 0
    detached = cli("run", "--detach", str(manifest))
    assert detached.returncode == 0, detached.stderr
    _until_failed_again(cli)
    assert list((tmp_path / "data" / "logs").glob("probe-*.log"))
    for args in (("status", "--json"), ("status", "probe", "--json"), ("show", str(job), "--json"),
                 ("show", str(job)), ("export", "probe"), ("export", "probe", "--format", "json"),
                 ("validate", str(manifest), "--json"), ("doctor", "--json")):
        out = cli(*args)
        places[" ".join(args)] = out.stdout + out.stderr
    places["database rows"] = repr(snapshot(database_url)).encode()
    places.update(_every_file(tmp_path / "data"))
    if database_url.startswith("sqlite"):
        places.update(_every_file(Path(database_url.split(":///", 1)[1]).parent))
    assert any(p.endswith(".trace.zip") for p in places)  # the failure artifacts are searched too
    for name, secret in given.items():
        assert _leaks(secret, places) == [], name
