"""The StepContext contract: ``ctx.config`` holds the registration config with secrets *decrypted*
(regctl/steps/base.py), while the job row keeps them encrypted. Registration steps rely on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from enrich_support import seed_batch

from regctl.db.domain import records_for
from regctl.db.records import ClaimedStep
from regctl.engine import api
from regctl.engine.context import EngineContext, batch_info
from regctl.secrets import KEY_ENV, encrypt_secret_fields

CONFIG = {
    "account": {"email": "owner@x.nz", "password": "Plain-Password-77!"},
    "onboarding": {"user_email": "owner@x.nz", "user_password": "Plain-Password-77!"},
}


def test_engine_context_config_is_decrypted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, Fernet.generate_key().decode())
    url = f"sqlite:///{tmp_path / 'c.db'}"
    api.open_store(url, upgrade=True).close()
    batch_id, [(_rid, job_id)] = seed_batch(url, [{"name": "X"}])
    records_for(url).set_job_config(job_id, encrypt_secret_fields(CONFIG))
    assert records_for(url).job_config(job_id)["account"]["password"].startswith("enc:")
    store = api.open_store(url)
    try:
        step = ClaimedStep(
            id=1,
            job_id=job_id,
            batch_id=batch_id,
            organisation_id="org",
            key="create_account",
            uses="create_account",
            kind="automatic",
            params={},
            attempt=1,
            max_attempts=3,
            timeout=None,
        )
        ctx = EngineContext(store, step, batch_info(store, batch_id), supervisor_id="test")
        assert ctx.config["account"]["password"] == "Plain-Password-77!"
    finally:
        store.close()
