"""External effects under faults: the sandbox's own records must show each effect once.

Registration steps run in-process against the session's sandbox with dropped connections on the
CDN's status endpoint; every batch must finish and no image may reach the CDN twice. This is the
default-suite slice of `make chaos`'s `sandbox` scenario (bench/chaos_sandbox.py).

This was docs/reliability.md finding 2 (a strict xfail until fixed): upload_images started an
upload-from-URL, then polled its status; a failed poll failed the image, and the next attempt started
the same upload again, so the CDN held the image twice. upload_images now records the upload token on
the image row before polling and resumes it on the next attempt.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from cryptography.fernet import Fernet

from regctl.engine import api
from regctl.manifest import load_manifest
from regctl.sandbox.manifest import manifest_dict
from regctl.sandbox.server import SandboxHandle

PIPELINE = [
    {"key": "extract_menu", "uses": "extract_menu", "retries": 8},
    {"key": "configure_registration", "uses": "configure_registration", "after": ["extract_menu"]},
    {"key": "upload_images", "uses": "upload_images", "needs": ["configure_registration"], "retries": 8},
]


def write_manifest(path: Path, sandbox: SandboxHandle) -> Path:
    fixtures = manifest_dict(base_url=sandbox.url)["restaurants"]
    chosen = [r for r in fixtures if r.get("ubereats_url")][:2]
    manifest: dict[str, Any] = {
        "batch": "cdn-faults", "organisation": "chaos", "target": "sandbox",
        "pipeline": {"steps": PIPELINE}, "policies": {"configure_registration": "accept_defaults"},
        "restaurants": chosen}
    path.write_text(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True))
    return path


def test_no_image_reaches_the_cdn_twice_when_status_checks_drop(
        sandbox: SandboxHandle, dialect: str, request: pytest.FixtureRequest, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    if dialect != "sqlite":
        pytest.skip("external effects do not depend on the dialect")
    database_url = request.getfixturevalue("database_url")
    for name, value in {"REGCTL_SANDBOX_URL": sandbox.url, "REGCTL_RETRY_BASE": "0.05",
                        "REGCTL_SECRET_KEY": Fernet.generate_key().decode(),
                        "REGCTL_DATA_DIR": str(tmp_path / "data")}.items():
        monkeypatch.setenv(name, value)
    sandbox.set_faults({"seed": 3, "faults": {"cdn.status": {"drop_rate": 0.4}}})
    store = api.open_store(database_url)
    try:
        ref = api.submit_batch(store, load_manifest(write_manifest(tmp_path / "m.yaml", sandbox)),
                               actor="test")
        api.supervise(store, until_idle=True, batch_id=ref.id)
        assert api.exit_code(store, ref.id) == 0, store.batch_row(ref.id)["status"]
    finally:
        store.close()
    uploads = Counter(u["source_url"] for u in sandbox.state()["cdn"]["uploads"] if not u.get("error"))
    assert uploads, "the scenario uploaded nothing: it proves nothing"
    assert {url: n for url, n in uploads.items() if n > 1} == {}
