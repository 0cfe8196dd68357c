"""regctl.secrets: Fernet at rest with the enc: prefix, masking, redaction, and key problems."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from regctl import secrets
from regctl.errors import ConfigError


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> str:
    value = Fernet.generate_key().decode()
    monkeypatch.setenv(secrets.KEY_ENV, value)
    return value


def test_round_trip_with_prefix(key: str) -> None:
    token = secrets.encrypt("hunter2-password")
    assert token.startswith("enc:") and "hunter2" not in token
    assert secrets.decrypt(token) == "hunter2-password"
    assert secrets.encrypt(token) == token  # never double-encrypted
    assert secrets.decrypt("plain") == "plain"


def test_without_env_key_a_key_file_is_made_once(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv(secrets.KEY_ENV, raising=False)
    path = tmp_path / "sub" / "secret.key"
    monkeypatch.setenv(secrets.KEY_FILE_ENV, str(path))
    assert secrets.key_problem() is None and "created on first use" in secrets.key_source()
    token = secrets.encrypt("x-secret")
    assert path.exists() and (path.stat().st_mode & 0o777) == 0o600
    first = path.read_text()
    assert secrets.decrypt(secrets.encrypt("again")) == "again" and path.read_text() == first
    assert secrets.decrypt(token) == "x-secret"
    assert first.strip() not in secrets.key_source()


def test_bad_keys_say_how_to_make_one(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    bad = tmp_path / "bad.key"
    bad.write_text("not-a-key")
    monkeypatch.delenv(secrets.KEY_ENV, raising=False)
    monkeypatch.setenv(secrets.KEY_FILE_ENV, str(bad))
    with pytest.raises(ConfigError) as info:
        secrets.encrypt("x")
    assert str(bad) in str(info.value) and "Fernet.generate_key" in str(info.value)
    assert "not a valid Fernet key" in (secrets.key_problem({secrets.KEY_ENV: "short"}) or "")


def test_wrong_key_cannot_decrypt(key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    token = secrets.encrypt("s3cret-value")
    monkeypatch.setenv(secrets.KEY_ENV, Fernet.generate_key().decode())
    with pytest.raises(ConfigError) as info:
        secrets.decrypt(token)
    assert "s3cret" not in str(info.value)


def test_config_secret_fields(key: str) -> None:
    config = {
        "account": {"email": "a@b.nz", "password": "pw-account-1"},
        "onboarding": {"user_password": "pw-onboard-2", "user_name": "A"},
    }
    stored = secrets.encrypt_secret_fields(config)
    assert stored["account"]["password"].startswith("enc:") and stored["account"]["email"] == "a@b.nz"
    assert config["account"]["password"] == "pw-account-1"  # the input is not changed
    assert secrets.decrypt_secret_fields(stored) == config
    assert secrets.mask_secret_fields(config)["onboarding"]["user_password"] == secrets.MASK
    assert sorted(secrets.secret_values(config)) == ["pw-account-1", "pw-onboard-2"]


def test_redact() -> None:
    text = "login failed for owner with password Abc123!x and key fc-abcdef (short: ab)"
    out = secrets.redact(text, ["Abc123!x", "fc-abcdef", "ab", None, ""])
    assert "Abc123!x" not in out and "fc-abcdef" not in out and "short: ab" in out
    assert out.count(secrets.MASK) == 2
