"""The chaos suite's `sandbox` scenario: registration steps against the sandbox, faults on, kill -9.

One sandbox process serves the whole run, with a fault file (latency everywhere, 5xx on the
platform API and the CDN, 429 bursts on the extraction API, dropped connections on CDN status checks
and the websites). Each trial resets it, queues a few fixture restaurants through enrichment,
configure_registration (answered by the `accept_defaults` policy), create_account and upload_images,
kills a supervisor mid-run and lets `regctl resume --all` finish. Beyond the engine checks, the
sandbox's own state is the judge of external effects: no platform account created twice for one
e-mail, no image uploaded to the CDN twice from one source URL.
"""

from __future__ import annotations

import contextlib
import json
import random
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import chaos_harness as h
import yaml

FAULTS: dict[str, Any] = {
    "seed": 7,
    "faults": {
        "*": {"latency_ms": 5, "latency_jitter_ms": 20},
        "platform.register_start": {"error_rate": 0.2, "error_status": 503},
        "platform.register_verify": {"drop_rate": 0.1},
        "firecrawl.scrape": {"burst_429": {"every": 4, "length": 1, "retry_after": 1}},
        "cdn.from_url": {"error_rate": 0.15},
        "cdn.status": {"drop_rate": 0.1},
        "sites": {"error_rate": 0.1},
    },
}
PIPELINE = [
    {"key": "extract_menu", "uses": "extract_menu", "critical": False, "retries": 8},
    {"key": "extract_branding", "uses": "extract_branding", "critical": False, "retries": 6},
    {"key": "configure_registration", "uses": "configure_registration",
     "after": ["extract_menu", "extract_branding"]},
    {"key": "create_account", "uses": "create_account", "needs": ["configure_registration"], "retries": 8},
    {"key": "upload_images", "uses": "upload_images", "needs": ["configure_registration"],
     "critical": False, "retries": 8},
]


class Sandbox:
    """A `python -m regctl.sandbox` process on a free loopback port, with the chaos fault file."""

    def __init__(self, workdir: Path) -> None:
        faults = workdir / "faults.yaml"
        faults.write_text(yaml.safe_dump(FAULTS))
        self.log = workdir / "sandbox.log"
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "regctl.sandbox", "--port", "0",
                                          "--faults", str(faults)], stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        if not h.wait_until(lambda: self._announced() is not None, timeout=120, interval=0.2):
            self.stop()
            raise RuntimeError(f"the sandbox did not start: {self.log.read_text()[-500:]}")
        self.url = str(self._announced())

    def _announced(self) -> str | None:
        for line in self.log.read_text(errors="replace").splitlines():
            if line.startswith("regctl sandbox on "):
                return line.split(" on ", 1)[1].strip()
        return None

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(f"{self.url}/_sandbox/{path}", timeout=30) as response:
            return json.load(response)

    def reset(self) -> None:
        request = urllib.request.Request(f"{self.url}/_sandbox/reset", method="POST")
        with urllib.request.urlopen(request, timeout=30):
            pass

    def stop(self) -> None:
        h.stop(self.proc, signal.SIGTERM, wait=10)


_sandbox: Sandbox | None = None
_secret_key: str = ""


@contextlib.contextmanager
def sandbox_running(workdir: Path) -> Iterator[Sandbox]:
    """Start the shared sandbox for the scenario's trials; stopped on the way out."""
    global _sandbox, _secret_key
    from cryptography.fernet import Fernet

    _sandbox, _secret_key = Sandbox(workdir), Fernet.generate_key().decode()
    try:
        yield _sandbox
    finally:
        _sandbox.stop()
        _sandbox = None


def trial_env(trial: h.Trial) -> dict[str, str]:
    assert _sandbox is not None, "sandbox trials run inside sandbox_running()"
    return {"REGCTL_SANDBOX_URL": _sandbox.url, "REGCTL_SECRET_KEY": _secret_key,
            "REGCTL_RETRY_BASE": "0.3", "REGCTL_DATA_DIR": str(trial.workdir / "data")}


_fixtures: list[dict[str, Any]] = []


def fixture_restaurants(env: dict[str, str]) -> list[dict[str, Any]]:
    """The sandbox's fixture restaurants as `regctl sandbox manifest` lists them (asked once)."""
    if not _fixtures:
        done = subprocess.run(h.regctl_argv(["sandbox", "manifest"]), env=h.child_env("", env),
                              capture_output=True, text=True, timeout=120, check=True)
        # Only restaurants with a menu source: without a menu, configure_registration rightly waits
        # for a person (menu import wanted, no menu), and the trial would end waiting, not finished.
        _fixtures.extend(r for r in yaml.safe_load(done.stdout)["restaurants"]
                         if r.get("ubereats_url") or r.get("menu_file"))
    return _fixtures


def write_manifest(trial: h.Trial, rng: random.Random, env: dict[str, str]) -> Path:
    chosen = rng.sample(fixture_restaurants(env), k=rng.randint(3, 5))
    manifest = {"batch": f"sandbox-{trial.number}", "organisation": "chaos", "target": "sandbox",
                "pipeline": {"steps": PIPELINE},
                "policies": {"configure_registration": "accept_defaults"},
                "execution": {"mode": "parallel", "max_parallel_restaurants": 10,
                              "rate_limits": {"platform_account_creation": {"capacity": 100, "window": 1}}},
                "restaurants": chosen}
    path = trial.workdir / "manifest.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True))
    return path


def sandbox_trial(trial: h.Trial, rng: random.Random) -> None:
    """Kill -9 a supervisor mid-registration with faults on; `regctl resume --all` finishes."""
    from chaos import RESUME_TIMEOUT, supervisor

    assert _sandbox is not None
    _sandbox.reset()
    env = trial_env(trial)
    queue(trial, write_manifest(trial, rng, env))
    victim = supervisor(trial, env=env)
    h.wait_until(lambda: h.count_steps(trial.db_url, "completed") > 0, timeout=120)
    time.sleep(rng.uniform(0.0, 3.0))
    trial.mid_run = victim.poll() is None
    h.stop(victim, signal.SIGKILL)
    trial.killed_at = time.monotonic()
    done = h.regctl(["resume", "--all"], trial.db_url, timeout=RESUME_TIMEOUT, env=env)
    if done.returncode != 0:
        trial.notes.append(f"resume exit {done.returncode}: {done.stdout.strip()[-200:]} "
                           f"{done.stderr.strip()[-300:]}")
    if h.batch_finished(trial.db_url):
        trial.recovered_at = time.monotonic()
    trial.external_duplicates = external_duplicates(_sandbox, trial)


def queue(trial: h.Trial, manifest: Path) -> None:
    from regctl.engine import api
    from regctl.manifest import load_manifest

    store = api.open_store(trial.db_url)
    try:
        api.submit_batch(store, load_manifest(manifest), actor="chaos")
    finally:
        store.close()


def external_duplicates(sandbox: Sandbox, trial: h.Trial) -> int:
    """Accounts created twice for one e-mail + CDN files uploaded twice from one source URL."""
    state = sandbox.get("state")
    accounts = Counter(a["email"].lower() for a in state["accounts"])
    uploads = Counter(u["source_url"] for u in state["cdn"]["uploads"] if not u.get("error"))
    doubled = {k: n for k, n in accounts.items() if n > 1} | {k: n for k, n in uploads.items() if n > 1}
    if doubled:
        trial.notes.append(f"external effects duplicated: {sorted(doubled.items())[:5]}")
    return sum(n - 1 for n in doubled.values())
