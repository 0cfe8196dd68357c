"""Targets: where each external system lives and which credentials it takes.

A manifest names a target. ``sandbox`` resolves to the sandbox at ``REGCTL_SANDBOX_URL`` or, when that
is unset, to one started in-process for the life of the process (:func:`sandbox_session`).
Every other name is a production profile read from the environment only (no file, so secrets live in
one place — the secret manager that fills the environment)::

    REGCTL_TARGET_<PROFILE>_<SYSTEM>_URL          base URL of a system (default: PRODUCTION_URLS), e.g.
    REGCTL_TARGET_PROD_NZ_COMPANY_REGISTER_URL=https://api.business.govt.nz/gateway/nzbn/v5
    REGCTL_TARGET_<PROFILE>_<SYSTEM>_<CREDENTIAL>  a credential, e.g. ..._EXTRACTION_API_KEY
    REGCTL_TARGET_<PROFILE>_COUNTRY / _LOCALE / _TIMEZONE / _CURRENCY

``<PROFILE>`` is the profile name upper-cased with ``-`` → ``_``. Credentials never appear in a
Target's repr, and errors name the variable, never its value.

Every setting of a production profile (``<P>`` = ``REGCTL_TARGET_<PROFILE>``; default URL in brackets)::

    <P>_PLATFORM_API_URL       [https://api.cloudwaitress.com]   CloudWaitress registration API
    <P>_PLATFORM_API_INTEGRATOR_ID / _SECRET / _ADMIN_CODE        its integrator id, HMAC secret, bypass code
    <P>_ADMIN_PORTAL_URL       (per deployment, e.g. https://admin.pumpd.co.nz)
    <P>_MARKETING_HUB_URL      (per deployment, e.g. https://manage.pumpd.co.nz)
    <P>_MARKETING_HUB_EMAIL / _PASSWORD                           the hub's super-admin login
    <P>_COMPANY_REGISTER_URL   [https://api.business.govt.nz/gateway/nzbn/v5]   NZBN API v5
    <P>_COMPANY_REGISTER_KEY                                      Ocp-Apim-Subscription-Key
    <P>_EXTRACTION_API_URL     [https://api.firecrawl.dev]        Firecrawl (v2 paths); also the
                                                                  Companies Office website searches
    <P>_EXTRACTION_API_KEY                                        Bearer token
    <P>_IMAGE_CDN_URL          [https://upload.uploadcare.com]    Uploadcare Upload API
    <P>_IMAGE_CDN_PUBLIC_KEY                                      pub_key
    <P>_IMAGE_CDN_FILES_URL    [https://ucarecdn.com]             where uploaded files are served
    <P>_ONBOARDING_DB_URL      (per deployment: https://<project>.supabase.co/rest/v1)
    <P>_ONBOARDING_DB_KEY                                         service key (apikey + Bearer)
    <P>_WEBSITES_URL           (optional; restaurants' sites are fetched at their own URLs)
    <P>_COUNTRY / _LOCALE / _TIMEZONE / _CURRENCY                 [New Zealand / New Zealand / Auckland / NZD]
"""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from regctl.errors import ConfigError

__all__ = [
    "PRODUCTION_URLS",
    "SANDBOX",
    "SANDBOX_DOMAIN_ENV",
    "SANDBOX_URL_ENV",
    "SYSTEMS",
    "System",
    "Target",
    "missing_credentials",
    "resolve_target",
    "sandbox_domain",
    "sandbox_session",
]

SANDBOX = "sandbox"
SANDBOX_URL_ENV = "REGCTL_SANDBOX_URL"
SANDBOX_DOMAIN_ENV = "REGCTL_SANDBOX_DOMAIN"  # the portal is admin.<domain>, the hub manage.<domain>

# system → the credentials it needs (names become env var suffixes).
SYSTEMS: dict[str, tuple[str, ...]] = {
    "platform_api": ("integrator_id", "secret", "admin_code"),
    "admin_portal": (),
    "marketing_hub": ("email", "password"),
    "company_register": ("key",),
    "extraction_api": ("key",),
    "image_cdn": ("public_key",),
    "image_cdn_files": (),  # the CDN host that serves uploaded files (not the upload host)
    "onboarding_db": ("key",),
    "websites": (),  # restaurant websites: fetched as they are (the sandbox serves them under /sites)
}
LOCALE_FIELDS = ("country", "locale", "timezone", "currency")
NZ_DEFAULTS = {"country": "New Zealand", "locale": "New Zealand", "timezone": "Auckland", "currency": "NZD"}

# Where each system sits under the sandbox's one base URL (docs/sandbox.md). The admin portal and
# the hub are not here: like the real ones they live at the root of their own host (admin.<domain>,
# manage.<domain>, see regctl.sandbox.app).
SANDBOX_PATHS = {
    "platform_api": "/platform-api",
    "company_register": "/nzbn/v5", "extraction_api": "/firecrawl", "image_cdn": "/cdn",
    "image_cdn_files": "/ucarecdn", "onboarding_db": "/onboarding/rest/v1", "websites": "/sites",
}

# The real services' base URLs, used by a production profile for a system whose _URL it does not set
# (they are the same for every customer). The admin portal, marketing hub and onboarding database are
# per deployment (e.g. https://admin.pumpd.co.nz, https://manage.pumpd.co.nz,
# https://<project>.supabase.co/rest/v1) and must be set.
PRODUCTION_URLS = {
    "platform_api": "https://api.cloudwaitress.com",  # CloudWaitress (prior system's default)
    "company_register": "https://api.business.govt.nz/gateway/nzbn/v5",  # NZBN API v5 (MBIE)
    "extraction_api": "https://api.firecrawl.dev",  # Firecrawl (paths /v2/…)
    "image_cdn": "https://upload.uploadcare.com",  # Uploadcare Upload API
    "image_cdn_files": "https://ucarecdn.com",  # Uploadcare CDN: https://ucarecdn.com/<uuid>/
}


def sandbox_credentials() -> dict[str, dict[str, str]]:
    """The sandbox's fixed fictional credentials (regctl.sandbox.credentials; not secrets)."""
    from regctl.sandbox import credentials as c

    return {
        "platform_api": {"integrator_id": c.INTEGRATOR_ID, "secret": c.INTEGRATOR_SECRET,
                         "admin_code": c.ADMIN_CONFIRMATION_CODE},
        "marketing_hub": dict(getattr(c, "HUB_CREDENTIALS", {})),
        "company_register": {"key": c.NZBN_SUBSCRIPTION_KEY},
        "extraction_api": {"key": c.FIRECRAWL_API_KEY},
        "image_cdn": {"public_key": c.UPLOADCARE_PUBLIC_KEY},
        "onboarding_db": {"key": c.ONBOARDING_API_KEY},
    }


@dataclass(frozen=True)
class System:
    """One external system of a target: its base URL and credentials (values hidden from repr)."""

    name: str
    url: str
    credentials: Mapping[str, str] = field(default_factory=dict, repr=False)
    env_names: Mapping[str, str] = field(default_factory=dict)  # credential → env var (for messages)

    def credential(self, name: str) -> str:
        """The credential's value; a ConfigError naming its variable when it is missing."""
        value = self.credentials.get(name)
        if not value:
            raise ConfigError(f"{self.name}: credential {self.env_names.get(name, name)} is not set")
        return value

    def credential_env(self, name: str) -> str:
        return self.env_names.get(name, name)

    def secrets(self) -> list[str]:
        return [v for v in self.credentials.values() if v]


@dataclass(frozen=True)
class Target:
    name: str
    systems: Mapping[str, System]
    country: str = NZ_DEFAULTS["country"]
    locale: str = NZ_DEFAULTS["locale"]
    timezone: str = NZ_DEFAULTS["timezone"]
    currency: str = NZ_DEFAULTS["currency"]

    def system(self, name: str) -> System:
        try:
            return self.systems[name]
        except KeyError:
            raise ConfigError(f"target {self.name!r} has no {name} configured "
                              f"(set {_env_prefix(self.name)}{name.upper()}_URL)") from None

    def secrets(self) -> list[str]:
        """Every credential value of this target, for :func:`regctl.secrets.redact`."""
        return [s for sys in self.systems.values() for s in sys.secrets()]


def _env_prefix(profile: str) -> str:
    return f"REGCTL_TARGET_{profile.upper().replace('-', '_')}_"


def _profile_from_env(name: str, env: Mapping[str, str]) -> Target:
    prefix = _env_prefix(name)
    systems = {}
    if not any(env.get(f"{prefix}{sys_name.upper()}_URL") for sys_name in SYSTEMS):
        raise ConfigError(f"unknown target {name!r}: no {prefix}<SYSTEM>_URL variables are set "
                          f"(systems: {', '.join(SYSTEMS)})")
    for sys_name, creds in SYSTEMS.items():
        base = f"{prefix}{sys_name.upper()}_"
        env_names = {c: f"{base}{c.upper()}" for c in creds}
        url = env.get(f"{base}URL") or PRODUCTION_URLS.get(sys_name, "")
        creds_values = {c: env.get(v, "") for c, v in env_names.items()}
        systems[sys_name] = System(sys_name, url.rstrip("/"), creds_values, env_names)
    place = {f: env.get(f"{prefix}{f.upper()}", NZ_DEFAULTS[f]) for f in LOCALE_FIELDS}
    return Target(name, {k: v for k, v in systems.items() if v.url or k != "websites"}, **place)


def sandbox_domain(env: Mapping[str, str] | None = None) -> str:
    """The sandbox's domain: ``REGCTL_SANDBOX_DOMAIN`` or ``pumpd.localhost`` (loopback in Chromium)."""
    env = os.environ if env is None else env
    return env.get(SANDBOX_DOMAIN_ENV) or "pumpd.localhost"


def _sandbox_urls(base: str, domain: str) -> dict[str, str]:
    scheme, _, rest = base.partition("://")
    port = rest.rpartition(":")[2]
    hosts = {"admin_portal": f"{scheme}://admin.{domain}:{port}",
             "marketing_hub": f"{scheme}://manage.{domain}:{port}"}
    return {**{name: base + path for name, path in SANDBOX_PATHS.items()}, **hosts}


def sandbox_target(base_url: str, domain: str | None = None) -> Target:
    base = base_url.rstrip("/")
    creds = sandbox_credentials()
    systems = {name: System(name, url, creds.get(name, {}), {c: f"sandbox {name}.{c}" for c in SYSTEMS[name]})
               for name, url in _sandbox_urls(base, domain or sandbox_domain()).items()}
    return Target(SANDBOX, systems)


class _InProcessSandbox:
    """The sandbox started lazily for this process when no REGCTL_SANDBOX_URL is set."""

    lock = threading.Lock()
    handle: Any = None
    context: Any = None

    @classmethod
    def url(cls) -> str:
        with cls.lock:
            if cls.handle is None:
                from regctl.sandbox.server import running_sandbox  # heavy: only when needed

                cls.context = running_sandbox()
                cls.handle = cls.context.__enter__()
                atexit.register(cls.stop)
            return str(cls.handle.url)

    @classmethod
    def stop(cls) -> None:
        with cls.lock:
            if cls.context is not None:
                cls.context.__exit__(None, None, None)
            cls.context = cls.handle = None


@contextmanager
def sandbox_session() -> Iterator[str]:
    """Make sure a sandbox runs for the duration: yields its URL and exports REGCTL_SANDBOX_URL.

    Reuses a sandbox already named by the environment; otherwise starts one in-process and stops it
    on exit (so supervisors started by `regctl run` in this process find it through the variable).
    """
    existing = os.environ.get(SANDBOX_URL_ENV)
    if existing:
        yield existing
        return
    from regctl.sandbox.server import running_sandbox

    with running_sandbox() as handle:
        os.environ[SANDBOX_URL_ENV] = str(handle.url)
        try:
            yield str(handle.url)
        finally:
            os.environ.pop(SANDBOX_URL_ENV, None)


def resolve_target(name: str, env: Mapping[str, str] | None = None) -> Target:
    """The target called ``name``; ConfigError naming what is missing when it cannot be built."""
    env = os.environ if env is None else env
    if name == SANDBOX:
        return sandbox_target(env.get(SANDBOX_URL_ENV) or _InProcessSandbox.url())
    return _profile_from_env(name, env)


def missing_credentials(target: Target) -> list[str]:
    """Env variables (or sandbox names) of credentials and URLs the target lacks, for `regctl doctor`."""
    missing = []
    for sys_name in SYSTEMS:
        system = target.systems.get(sys_name)
        if system is None:
            if sys_name != "websites":
                missing.append(f"{_env_prefix(target.name)}{sys_name.upper()}_URL")
            continue
        if not system.url:
            missing.append(f"{_env_prefix(target.name)}{sys_name.upper()}_URL")
        missing.extend(system.credential_env(c) for c in SYSTEMS[sys_name] if not system.credentials.get(c))
    return missing
