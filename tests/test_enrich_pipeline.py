"""The enrichment steps inside the real engine: submit a sandbox manifest, supervise until idle,
answer configure_registration with `regctl decide`, export — and find no secret anywhere.

Secrets this test sets: the Fernet key, a password typed into a decision, and a wrong company-register
key of a production profile (whose 401 becomes an error message). It then searches every table of the
database, the logs, the step events, `--json` outputs and the error messages for them.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from cryptography.fernet import Fernet
from sqlalchemy import select

from regctl.cli import cli
from regctl.db.schema import metadata
from regctl.engine import api
from regctl.manifest import load_manifest
from regctl.sandbox.manifest import manifest_dict
from regctl.secrets import KEY_ENV, decrypt_secret_fields
from regctl.targets import SANDBOX_URL_ENV

TYPED_PASSWORD = "Typed-Secret-Pass-42!"
WRONG_KEY = "wrong-nzbn-key-5f1e2d3c"
STEPS = [
    {"key": "extract_menu", "uses": "extract_menu", "when": "restaurant.ubereats_url", "critical": False},
    {"key": "extract_branding", "uses": "extract_branding", "when": "restaurant.website", "critical": False},
    {"key": "search_companies", "uses": "search_companies", "critical": False},
    {"key": "select_company", "uses": "select_company", "needs": ["search_companies"], "critical": False},
    {"key": "extract_company_details", "uses": "extract_company_details", "needs": ["select_company"],
     "when": "results.select_company.company_number", "critical": False},
    {"key": "configure_registration", "uses": "configure_registration",
     "after": ["extract_menu", "extract_branding", "extract_company_details"]},
]


def _manifest(tmp_path: Path, base_url: str, *, target: str = "sandbox", batch: str = "e2e",
              first: int = 0) -> Path:
    doc = manifest_dict(count=first + 4, base_url=base_url, batch=batch)
    doc["restaurants"] = doc["restaurants"][first:]
    doc.update(target=target, pipeline={"name": "enrichment", "steps": STEPS},
               policies={"select_company": "auto_single_strong_match"})
    doc.pop("execution", None)
    path = tmp_path / f"{batch}.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def _run(db: str, manifest: Path) -> int:
    store = api.open_store(db, upgrade=True)
    try:
        ref = api.submit_batch(store, load_manifest(manifest), actor="test")
        api.supervise(store, until_idle=True, batch_id=ref.id, concurrency=4)
        return ref.id
    finally:
        store.close()


def _invoke(db: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    assert result.exit_code in (0, 1, 3), result.output
    return result.output


def _database_text(db: str) -> str:
    store = api.open_store(db)
    try:
        with store.engine.connect() as conn:
            return "\n".join(json.dumps([dict(r._mapping) for r in conn.execute(select(t))], default=str)
                             for t in metadata.sorted_tables)
    finally:
        store.close()


@pytest.fixture
def env(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    key = Fernet.generate_key().decode()
    monkeypatch.setenv(KEY_ENV, key)
    monkeypatch.setenv(SANDBOX_URL_ENV, sandbox.url)
    return key


def _answer_select_company(db: str, tmp_path: Path) -> None:
    """The policy picks clear matches; the person answers "none of these" for the others."""
    store = api.open_store(db)
    try:
        waiting = store.waiting_steps(key="select_company")
    finally:
        store.close()
    for step in waiting:
        path = tmp_path / f"select-{step['job_id']}.json"
        path.write_text(json.dumps({"choice": "none"}))
        _invoke(db, "decide", str(step["job_id"]), "select_company", "--json", str(path))


def _supervise(db: str) -> None:
    store = api.open_store(db)
    try:
        api.supervise(store, until_idle=True, concurrency=4)
    finally:
        store.close()


def _answer_configuration(db: str, tmp_path: Path) -> list[int]:
    store = api.open_store(db)
    try:
        waiting = store.waiting_steps(key="configure_registration")
    finally:
        store.close()
    assert waiting, "configure_registration should wait for a person"
    for step in waiting:
        answer = dict(step["request"]["defaults"])
        answer["account"] = dict(answer["account"], password=TYPED_PASSWORD)
        path = tmp_path / f"answer-{step['job_id']}.json"
        path.write_text(json.dumps(answer))
        _invoke(db, "decide", str(step["job_id"]), "configure_registration", "--json", str(path))
    return [s["job_id"] for s in waiting]


@pytest.mark.slow
def test_enrichment_in_the_engine_leaks_no_secret(env: str, sandbox: Any, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    db = f"sqlite:///{tmp_path / 'e2e.db'}"
    batch_id = _run(db, _manifest(tmp_path, sandbox.url))
    _answer_select_company(db, tmp_path)
    _supervise(db)
    jobs = _answer_configuration(db, tmp_path)
    _supervise(db)

    # a production profile whose company-register key is wrong: its 401 must not echo the key
    monkeypatch.setenv("REGCTL_TARGET_STAGING_COMPANY_REGISTER_URL", sandbox.urls["company_register"])
    monkeypatch.setenv("REGCTL_TARGET_STAGING_COMPANY_REGISTER_KEY", WRONG_KEY)
    _run(db, _manifest(tmp_path, sandbox.url, target="staging", batch="e2e-staging", first=4))

    store = api.open_store(db)
    try:
        configs = [decrypt_secret_fields(store.job_view(j)["config"]) for j in jobs]
        errors = [s.get("error") or "" for j in store.batch_view(batch_id + 1)["jobs"] for s in j["steps"]]
    finally:
        store.close()
    assert all(c["account"]["password"] == TYPED_PASSWORD for c in configs)
    assert any("REGCTL_TARGET_STAGING_COMPANY_REGISTER_KEY" in e for e in errors), errors

    outputs = [_invoke(db, "status", "--json"), _invoke(db, "status", "e2e", "--json"),
               _invoke(db, "export", "e2e", "--format", "json"), _invoke(db, "export", "e2e-staging"),
               *(_invoke(db, "show", str(j), "--json") for j in jobs)]
    exported = json.loads(outputs[2])
    assert len(exported) == 4 and {r["status"] for r in exported} <= {"completed", "completed_with_warnings"}
    haystack = "\n".join([_database_text(db), caplog.text, *outputs, *errors])
    for secret in (TYPED_PASSWORD, WRONG_KEY, env):
        assert secret not in haystack
