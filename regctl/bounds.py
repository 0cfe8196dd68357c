"""Bounds on hostile input: every value that comes from a person or a file is checked here before it
is stored or acted on (manifests, restaurant CSVs, decision answers). docs/security.md lists them.

:func:`find_problem` walks a parsed value without recursion (a deeply nested document cannot
exhaust the stack) and returns the first thing that is too deep, too long, not a number, or
carries a character no field may hold. The callers turn it into one located line and exit 2.
"""

from __future__ import annotations

import ipaddress
import json
import math
import re
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "MAX_ANSWER_BYTES",
    "MAX_CSV_BYTES",
    "MAX_CSV_CELL",
    "MAX_CSV_COLUMNS",
    "MAX_CSV_ROWS",
    "MAX_DEPTH",
    "MAX_INT",
    "MAX_MANIFEST_BYTES",
    "MAX_MENU_FILE_BYTES",
    "MAX_STRING",
    "address_problem",
    "find_problem",
    "parse_json",
    "webhook_problem",
]

MAX_MANIFEST_BYTES = 16 * 1024 * 1024  # a 10,000-restaurant inline manifest is about 1.5 MB
MAX_CSV_BYTES = 64 * 1024 * 1024
MAX_CSV_ROWS = 100_000  # restaurants in one CSV
MAX_CSV_COLUMNS = 200
MAX_CSV_CELL = 64 * 1024  # characters in one cell
MAX_ANSWER_BYTES = 1024 * 1024  # one decision answer (a JSON object)
MAX_MENU_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 20  # nesting of mappings and lists (the deepest real manifest value is 6)
MAX_STRING = 64 * 1024  # characters in one string value
MAX_INT = 2**63 - 1  # what a BIGINT holds; a manifest's own integers have tighter documented ranges

# C0 controls other than tab, newline and carriage return; lone UTF-16 surrogates (never valid text)
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")

Path_ = tuple[str | int, ...]


def find_problem(
    value: Any, *, max_depth: int = MAX_DEPTH, max_string: int = MAX_STRING
) -> tuple[Path_, str] | None:
    """``(path, message)`` of the first value out of bounds, else None."""
    stack: list[tuple[Path_, Any]] = [((), value)]
    while stack:
        path, item = stack.pop()
        if len(path) > max_depth:
            return path, f"nested more than {max_depth} levels deep"
        found = _scalar_problem(item, max_string)
        if found:
            return path, found
        if isinstance(item, dict):
            for key, child in reversed(list(item.items())):
                bad_key = _scalar_problem(key, 200)
                if bad_key:
                    return (*path, str(key)[:40]), f"a key: {bad_key}"
                stack.append(((*path, str(key)), child))
        elif isinstance(item, list):
            stack.extend(((*path, i), child) for i, child in reversed(list(enumerate(item))))
    return None


def parse_json(text: str) -> Any:
    """JSON within bounds; ValueError with a one-line reason (not JSON, NaN/Infinity, a number of more
    than 4,300 digits, nesting deeper than :data:`MAX_DEPTH`, a value out of bounds)."""
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError(f"nested more than {MAX_DEPTH} levels deep") from None
    except json.JSONDecodeError:
        raise  # the caller says where (its lineno and msg)
    except ValueError as exc:
        raise ValueError(str(exc).splitlines()[0][:120]) from None
    problem = find_problem(value)
    if problem:
        where = ".".join(str(p) for p in problem[0])
        raise ValueError(f"{where}: {problem[1]}" if where else problem[1])
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _scalar_problem(item: Any, max_string: int) -> str | None:
    if isinstance(item, str):
        if len(item) > max_string:
            return f"a text of {len(item):,} characters (at most {max_string:,})"
        bad = _BAD_CHARS.search(item)
        if bad:
            return f"character {_describe(bad.group())} is not allowed"
    elif isinstance(item, bool):
        return None
    elif isinstance(item, int):
        if abs(item) > MAX_INT:
            return f"a number out of range (at most {MAX_INT:,} either side of 0)"
    elif isinstance(item, float) and not math.isfinite(item):
        return f"{item!r} is not a number this field can hold"
    return None


def _describe(char: str) -> str:
    return f"U+{ord(char):04X}" + (" (NUL)" if char == "\x00" else "")


# ---------------------------------------------------------------- webhook addresses -------------

_LOCAL_NAMES = ("localhost", "localhost.localdomain", "metadata", "metadata.google.internal", "instance-data")


def address_problem(host: str) -> str | None:
    """Why a webhook may not go to ``host`` (an IP literal or a name) without the manifest's
    ``allow_private_addresses: true``: loopback, private, link-local (the cloud metadata service at
    169.254.169.254), reserved or multicast addresses, and the names that lead there."""
    name = host.strip("[]").rstrip(".").lower()
    if name in _LOCAL_NAMES or name.endswith((".localhost", ".local", ".internal")):
        return f"{host} is a local name"
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        return None  # a name: checked again when it is resolved, just before each post
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if not ip.is_global or ip.is_multicast:
        return f"{host} is a {_kind(ip)} address"
    return None


def _kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    for kind in ("loopback", "link_local", "private", "multicast", "unspecified", "reserved"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return "non-public"


def webhook_problem(url: str, *, allow_private: bool) -> str | None:
    """Why ``url`` is not an acceptable webhook: https only (http only with allow_private, for a
    receiver on this machine), a host, no user:password part, and a public address unless allowed."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"not a URL ({exc})"
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes:
        return f"a webhook must be an https:// URL (got {parts.scheme or 'no'} scheme)"
    if not parts.hostname or port == 0:
        return "a webhook URL needs a host"
    if parts.username or parts.password:
        return "a webhook URL must not carry a user name or password"
    if allow_private:
        return None
    found = address_problem(parts.hostname)
    return f"{found}; allow it with allow_private_addresses: true" if found else None
