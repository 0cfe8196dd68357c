"""``regctl doctor``: is this machine ready to run batches? Database, browser, target credentials."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

import click

from regctl.commands._common import console, db_url, emit_json, json_option, sqlite_path
from regctl.engine import api
from regctl.errors import RegctlError

__all__ = ["COMMANDS", "Check", "check_browser", "check_database", "check_portal", "check_secret_key",
           "check_target"]

PORTAL_EMAIL_ENV, PORTAL_PASSWORD_ENV = "REGCTL_PORTAL_EMAIL", "REGCTL_PORTAL_PASSWORD"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def check_database(url: str | None) -> Check:
    """Reachable and migrated to the current revision — read-only: never creates or upgrades."""
    from regctl.db import migrate
    from regctl.db.connect import open_engine

    url = url or api.default_database_url()
    path = sqlite_path(url)
    if path is not None and not path.exists():
        return Check("database", True, f"{path} does not exist yet; `regctl run` creates and migrates it")
    try:
        engine = open_engine(url)
    except Exception as exc:
        return Check("database", False, f"cannot open {url.split('@')[-1]}: {type(exc).__name__}")
    shown = engine.url.render_as_string(hide_password=True)
    try:
        current, head = migrate.current_revision(engine), migrate.head_revision()
    except Exception as exc:
        return Check("database", False, f"{shown} unreachable: {str(exc).splitlines()[0][:160]}")
    finally:
        engine.dispose()
    if current != head:
        return Check("database", False, f"{shown} at revision {current or 'none'}, head is {head}: "
                                        "run `regctl db upgrade`")
    return Check("database", True, f"{shown} reachable, migrated ({head})")


def check_browser() -> Check:
    from regctl.browser_setup import find_chromium

    path = find_chromium()
    if path is None:
        return Check("browser", False, "no Chromium found: run `make browser` or set REGCTL_CHROMIUM")
    return Check("browser", True, path)


def check_secret_key() -> Check:
    """Where the key that encrypts stored passwords comes from (never the key itself)."""
    from regctl import secrets

    problem = secrets.key_problem()
    if problem:
        return Check("secret key", False, f"{problem}. {secrets.how_to_make_key()}")
    return Check("secret key", True, secrets.key_source())


def check_target(name: str) -> Check:
    """Credentials and URLs of the target (env names only; values are never printed)."""
    try:
        from regctl import targets
    except ImportError:
        return Check(f"target {name}", True, "target profiles are not available in this version")
    if name == targets.SANDBOX and not os.environ.get(targets.SANDBOX_URL_ENV):
        return Check(f"target {name}", True, "an in-process sandbox is started for each run")
    try:
        missing = targets.missing_credentials(targets.resolve_target(name))
    except RegctlError as exc:
        return Check(f"target {name}", False, str(exc))
    if missing:
        return Check(f"target {name}", False, "missing: " + ", ".join(missing))
    return Check(f"target {name}", True, "every credential and URL is set")


def _portal_login(name: str, email: str | None) -> tuple[str, str, str]:
    """(admin URL, e-mail, password) to probe with: the options/env, or the sandbox's seeded owner."""
    from regctl import targets

    target = targets.resolve_target(name)
    admin_url = target.system("admin_portal").url
    email = email or os.environ.get(PORTAL_EMAIL_ENV)
    password = os.environ.get(PORTAL_PASSWORD_ENV, "")
    if name == targets.SANDBOX and not email:
        import httpx

        from regctl.sandbox.world import EXISTING_ACCOUNT_PASSWORD

        api = target.system("platform_api").url.removesuffix("/platform-api")
        accounts = httpx.get(f"{api}/_sandbox/state", timeout=10).raise_for_status().json()["accounts"]
        email, password = accounts[0]["email"], EXISTING_ACCOUNT_PASSWORD
    if not email or not password:
        raise RegctlError(f"--portal needs a portal login: --portal-email (or {PORTAL_EMAIL_ENV}) and "
                          f"{PORTAL_PASSWORD_ENV}")
    return admin_url, email, password


def _hub_login(name: str) -> dict[str, str]:
    """The marketing hub's URL and login, for the hub pages' visits (``ProbeContext.extra``)."""
    from regctl import targets

    hub = targets.resolve_target(name).systems.get("marketing_hub")
    if hub is None or not hub.url:
        return {}
    return {"hub_url": hub.url, "hub_email": hub.credentials.get("email", ""),
            "hub_password": hub.credentials.get("password", "")}


def check_portal(name: str, email: str | None = None) -> list[Check]:
    """The drift probe (regctl.steps.portal.drift_probe): one check per page, read-only."""
    import asyncio

    from regctl.steps.portal.drift_probe import ProbeContext, probe_with_browser

    admin_url, email, password = _portal_login(name, email)
    probe_ctx = ProbeContext(admin_url, email, password, extra=_hub_login(name))
    reports = asyncio.run(probe_with_browser(probe_ctx))
    return [Check(f"portal {r.page}", r.ok,
                  r.error or ("; ".join(f.line() for f in r.findings) or f"{r.checked} locators found"))
            for r in reports]


@click.command("doctor")
@click.option("--target", default=lambda: os.environ.get("REGCTL_TARGET", "sandbox"), show_default="sandbox",
              help="Target whose credentials to check (env REGCTL_TARGET).")
@click.option("--portal", is_flag=True,
              help="Instead: log in to the target's admin portal read-only, visit every page the pipeline "
                   "uses and resolve every locator; one line per page naming what drifted or is missing.")
@click.option("--portal-email", default=None,
              help=f"Portal login for --portal (env {PORTAL_EMAIL_ENV}; password from "
                   f"{PORTAL_PASSWORD_ENV}); the sandbox's seeded owner by default on the sandbox.")
@json_option
@click.pass_context
def doctor(ctx: click.Context, target: str, portal: bool, portal_email: str | None, as_json: bool) -> None:
    """Check the database (reachable, migrated), the browser, the secret key and the target's
    credentials; with --portal, check the admin portal's pages against regctl's locators instead.

    Exit 0 when everything is ready (every locator found by its primary), 2 when something is missing.
    """
    if portal:
        checks = check_portal(target, portal_email)
    else:
        checks = [check_database(db_url(ctx)), check_browser(), check_secret_key(), check_target(target)]
    ok = all(c.ok for c in checks)
    if as_json:
        emit_json({"ok": ok, "checks": [asdict(c) for c in checks]})
    else:
        out = console()
        for c in checks:
            mark = "[green]✔[/]" if c.ok else "[bold red]✖[/]"
            out.print(f"{mark} {c.name}: ", end="")
            out.print(c.detail, markup=False, highlight=False)
    ctx.exit(0 if ok else 2)


COMMANDS = [doctor]
