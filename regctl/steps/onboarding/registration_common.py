"""What the twelve registration steps share: the target, config sections, results of other steps.

Kept tiny on purpose: each step module holds its own flow; this holds only lookups every one of them
would otherwise repeat. No browser and no HTTP here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from regctl.errors import PermanentStepError
from regctl.secrets import decrypt
from regctl.steps.base import StepContext
from regctl.targets import Target, resolve_target

__all__ = [
    "JSON",
    "account_credentials",
    "config_section",
    "hour_rows",
    "normalise_nz_phone",
    "plain",
    "portal_restaurant",
    "require",
    "selected_menu_id",
    "target_of",
]

JSON = dict[str, Any]

_TARGETS_KEY = "regctl.targets"


def target_of(ctx: StepContext) -> Target:
    """The job's target, resolved once per supervisor (cached in ``ctx.shared``)."""
    cache: dict[str, Target] = ctx.shared.setdefault(_TARGETS_KEY, {})
    if ctx.target not in cache:
        cache[ctx.target] = resolve_target(ctx.target)
    return cache[ctx.target]


def config_section(ctx: StepContext, name: str) -> Mapping[str, Any]:
    """One section of the registration config (SPEC §4); {} when absent."""
    section = (ctx.config or {}).get(name) or {}
    return section if isinstance(section, Mapping) else {}


def require(section: Mapping[str, Any], name: str, where: str) -> Any:
    """A config field that must be present; a PermanentStepError naming ``where.name`` otherwise."""
    value = section.get(name)
    if value in (None, ""):
        raise PermanentStepError(f"registration config {where}.{name} is empty: set it in "
                                 "configure_registration (regctl review)")
    return value


def plain(value: Any) -> str:
    """A config secret as plain text: ``enc:`` values (if the engine handed them over still
    encrypted) are decrypted with REGCTL_SECRET_KEY; plain text passes through."""
    return decrypt(str(value)) if value is not None else ""


def account_credentials(ctx: StepContext) -> tuple[str, str]:
    """The platform account's e-mail and password."""
    account = config_section(ctx, "account")
    return str(require(account, "email", "account")).strip(), plain(require(account, "password", "account"))


def portal_restaurant(ctx: StepContext) -> JSON:
    """The register_restaurant result this step builds on (RES id, name, URLs)."""
    found = ctx.results.get("register_restaurant") or {}
    if not found.get("restaurant_id"):
        raise PermanentStepError("register_restaurant has no restaurant id in its result: "
                                 "run it first (regctl retry JOB --from register_restaurant)")
    return dict(found)


def hour_rows(rows: Iterable[Mapping[str, Any]] | None) -> list[tuple[str, str, str]]:
    """(day, open, close) from ``[{day, open, close}]`` or the legacy ``[{day, hours: {open, close}}]``."""
    out = []
    for row in rows or ():
        nested = row.get("hours")
        hours: Mapping[str, Any] = nested if isinstance(nested, Mapping) else row
        out.append((str(row.get("day") or ""), str(hours.get("open") or ""), str(hours.get("close") or "")))
    return out


def selected_menu_id(ctx: StepContext) -> int | None:
    """The menu chosen in the config (``menu.menu_id``), else the one extract_menu stored."""
    extracted = ctx.results.get("extract_menu") or {}
    chosen = config_section(ctx, "menu").get("menu_id") or extracted.get("menu_id")
    return int(chosen) if chosen else None


_DIGITS = re.compile(r"\D")


def normalise_nz_phone(raw: str | None, where: str = "account.phone") -> str:
    """E.164 for New Zealand numbers: ``09 836 1234`` → ``+6498361234``; ``64…``/``+64…`` kept.

    Raises a PermanentStepError naming ``where`` when the text cannot be an NZ number.
    """
    digits = _DIGITS.sub("", raw or "")
    if digits.startswith("64"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = digits
    national = national.lstrip("0")
    if not 7 <= len(national) <= 10:
        raise PermanentStepError(f"{where}: {raw!r} is not a New Zealand phone number")
    return f"+64{national}"
