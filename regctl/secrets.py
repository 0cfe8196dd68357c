"""Secrets at rest and in text: Fernet encryption with an ``enc:`` prefix, masking and redaction.

The key comes from ``REGCTL_SECRET_KEY`` (a urlsafe base64 Fernet key); without it, from the key
file ``REGCTL_SECRET_KEY_FILE`` (default ``secret.key`` in the data directory ``REGCTL_DATA_DIR``,
else ``regctl-data``), which is created with mode 0600 the first time a secret is *stored* — reading
never creates a key (a read run from another directory says the key is missing instead of
silently making a new one), and ``regctl doctor`` fails a key file others can read — so a newcomer's
``make demo`` needs no set-up, while several hosts sharing one PostgreSQL set the same
``REGCTL_SECRET_KEY`` everywhere (``regctl doctor`` says which source is in use). Values stored in the
database carry the ``enc:`` prefix so a reader can tell ciphertext from plain text; a value without
it is never decrypted. :func:`redact` is applied wherever an error or log line is formatted from
text that may echo a secret (e.g. an HTTP error body).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regctl.errors import ConfigError

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

__all__ = [
    "ENC_PREFIX",
    "KEY_ENV",
    "KEY_FILE_ENV",
    "MASK",
    "SECRET_FIELDS",
    "decrypt",
    "decrypt_secret_fields",
    "encrypt",
    "encrypt_secret_fields",
    "expand_references",
    "how_to_make_key",
    "is_encrypted",
    "key_problem",
    "key_source",
    "mask_secret_fields",
    "redact",
    "secret_values",
]

KEY_ENV = "REGCTL_SECRET_KEY"
KEY_FILE_ENV = "REGCTL_SECRET_KEY_FILE"
DATA_DIR_ENV = "REGCTL_DATA_DIR"
KEY_FILE_NAME = "secret.key"
ENC_PREFIX = "enc:"
MASK = "********"
# (section, field) pairs of the registration config (SPEC §4) that hold secrets.
SECRET_FIELDS: tuple[tuple[str, str], ...] = (("account", "password"), ("onboarding", "user_password"))
_MIN_REDACT_LEN = 4  # shorter "secrets" would redact ordinary words


def how_to_make_key() -> str:
    """One paragraph telling an operator how to create and set the key."""
    return (f"Set {KEY_ENV} to a Fernet key, e.g.\n"
            f"  export {KEY_ENV}=$(python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())')\n"
            "Keep it in your secret manager: passwords stored by regctl cannot be read without it.")


def _key_file(env: Mapping[str, str]) -> Path:
    if env.get(KEY_FILE_ENV):
        return Path(env[KEY_FILE_ENV])
    return Path(env.get(DATA_DIR_ENV) or "regctl-data") / KEY_FILE_NAME


def _valid(raw: str) -> bool:
    from cryptography.fernet import Fernet

    try:
        Fernet(raw.encode())
    except (ValueError, TypeError):
        return False
    return True


def key_problem(env: Mapping[str, str] | None = None) -> str | None:
    """Why no usable key can be had, or None when it is fine (for `regctl doctor`).

    A missing key file is not a problem: it is created on first use.
    """
    env = env if env is not None else os.environ
    raw = env.get(KEY_ENV, "")
    if raw:
        if _valid(raw):
            return None
        return f"{KEY_ENV} is not a valid Fernet key (32 url-safe base64-encoded bytes)"
    path = _key_file(env)
    if path.exists():
        try:
            content = path.read_text().strip()
        except OSError as exc:
            return f"key file {path} cannot be read ({exc.strerror})"
        if not _valid(content):
            return f"key file {path} does not hold a valid Fernet key"
        return _loose(path)
    if env.get(KEY_FILE_ENV) is None and not _can_create(path):
        return f"{KEY_ENV} is not set and key file {path} cannot be created"
    return None


def _loose(path: Path) -> str | None:
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        return f"key file {path} can be read by other users (mode {mode:04o}); run: chmod 600 {path}"
    return None


def _can_create(path: Path) -> bool:
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    return os.access(parent, os.W_OK)


def key_source(env: Mapping[str, str] | None = None) -> str:
    """Where the key comes from, in words (never the key itself)."""
    env = env if env is not None else os.environ
    if env.get(KEY_ENV):
        return f"environment variable {KEY_ENV}"
    path = _key_file(env)
    state = "exists" if path.exists() else "created on first use"
    return f"key file {path} ({state}; set {KEY_ENV} when several hosts share the database)"


def _load_or_create_key_file(path: Path, *, create: bool) -> str:
    if path.exists():
        return path.read_text().strip()
    if not create:
        raise ConfigError(f"no secret key: {KEY_ENV} is not set and key file {path} does not exist "
                          f"(set {DATA_DIR_ENV} to the directory that holds it, or {KEY_FILE_ENV})")
    path.parent.mkdir(parents=True, exist_ok=True)
    from cryptography.fernet import Fernet

    key = Fernet.generate_key().decode()
    # O_EXCL: two processes racing to create it must not end with different keys.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key + "\n")
    return key


def _fernet(*, create: bool) -> Fernet:
    """The cipher; cryptography is imported here, on the first secret encrypted or decrypted (a
    supervisor running steps without secrets never loads it: 6 MB of resident memory)."""
    from cryptography.fernet import Fernet

    problem = key_problem()
    if problem and not problem.startswith(f"key file {_key_file(os.environ)} can be read"):
        raise ConfigError(f"{problem}. {how_to_make_key()}")
    raw = os.environ.get(KEY_ENV) or _load_or_create_key_file(_key_file(os.environ), create=create)
    return Fernet(raw.encode())


def is_encrypted(value: object) -> bool:
    return isinstance(value, str) and value.startswith(ENC_PREFIX)


def encrypt(value: str) -> str:
    """``enc:<token>``; an already encrypted value is returned unchanged."""
    if is_encrypted(value):
        return value
    return ENC_PREFIX + _fernet(create=True).encrypt(value.encode()).decode()


def decrypt(value: str) -> str:
    """The plain text of an ``enc:`` value; plain values pass through unchanged."""
    if not is_encrypted(value):
        return value
    from cryptography.fernet import InvalidToken

    try:
        return _fernet(create=False).decrypt(value[len(ENC_PREFIX):].encode()).decode()
    except InvalidToken:
        raise ConfigError(f"a stored secret cannot be decrypted with the key from {key_source()}: "
                          "was the key changed?") from None


def _map_secret_fields(config: Mapping[str, Any], fn: Any) -> dict[str, Any]:
    out = {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in config.items()}
    for section, name in SECRET_FIELDS:
        part = out.get(section)
        if isinstance(part, dict) and isinstance(part.get(name), str) and part[name]:
            part[name] = fn(part[name])
    return out


def encrypt_secret_fields(config: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a registration config with every secret field encrypted."""
    return _map_secret_fields(config, encrypt)


def decrypt_secret_fields(config: Mapping[str, Any]) -> dict[str, Any]:
    return _map_secret_fields(config, decrypt)


def mask_secret_fields(config: Mapping[str, Any]) -> dict[str, Any]:
    """A copy safe to show or to put in a decision request: secrets replaced by :data:`MASK`."""
    return _map_secret_fields(config, lambda _v: MASK)


def secret_values(config: Mapping[str, Any]) -> list[str]:
    """The plain secrets of a (decrypted) config, for :func:`redact`."""
    found = []
    for section, name in SECRET_FIELDS:
        part = config.get(section)
        if isinstance(part, Mapping) and isinstance(part.get(name), str) and part[name]:
            found.append(part[name])
    return found


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every occurrence of each secret (≥ 4 characters) replaced by :data:`MASK`."""
    for secret in sorted((s for s in secrets if s and len(s) >= _MIN_REDACT_LEN), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def expand_references(value: Any, env: Mapping[str, str] | None = None) -> Any:
    """A copy of ``value`` with ``${NAME}`` / ``${NAME:-default}`` replaced from the environment.

    Manifests keep these references as written in the database (batch pipeline, step params,
    notify); a step's parameters and a webhook URL are expanded only here, in memory, when used.
    A reference to an unset variable without a default stays as written (the step sees why).
    """
    env = os.environ if env is None else env
    if isinstance(value, dict):
        return {k: expand_references(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [expand_references(v, env) for v in value]
    if isinstance(value, str) and "${" in value:
        return _ENV_REF.sub(lambda m: env.get(m.group(1), m.group(2) if m.group(2) is not None
                                              else m.group(0)), value)
    return value
