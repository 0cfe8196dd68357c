"""The whole in-memory state of the sandbox, and the audit log of every mutating call.

One :class:`World` per server. HTTP handlers (one event-loop thread) read and mutate it; tests look
at it through ``GET /_sandbox/state`` and ``GET /_sandbox/audit``. ``reset()`` returns it to the
fixtures' starting point (the one restaurant already registered on the platform included) and
restarts every fault sequence, so a reset world with the same seed behaves identically again.
"""

from __future__ import annotations

import hashlib
import itertools
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from regctl.sandbox.faults import FaultSet
from regctl.sandbox.fixtures import (
    FIXTURE_DIR,
    CompanyFixture,
    RestaurantFixture,
    load_companies,
    load_restaurants,
)
from regctl.sandbox.media import MediaStore
from regctl.sandbox.onboarding_db import OnboardingDB
from regctl.sandbox.portal_state import PortalState, TimeSlot

__all__ = ["EXISTING_ACCOUNT_PASSWORD", "Account", "AuditEntry", "Refusal", "World"]

JSON = dict[str, Any]

# The password of the fixture account that is already registered on the platform (fictional).
EXISTING_ACCOUNT_PASSWORD = "Sandbox-existing-1!"
_NAMESPACE = uuid.UUID("6f1c2b1e-5a0b-4c5e-9d35-7b0f2a9e1c11")


class Refusal(Exception):  # the external system saying no, not a regctl error
    """An external system's "no" (wrong signature, unknown token…): handlers turn it into its error shape."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass
class Account:
    email: str
    phone: str
    password_sha256: str
    user_id: str
    created_at: str

    def to_json(self) -> JSON:
        return {
            "email": self.email,
            "phone": self.phone,
            "user_id": self.user_id,
            "created_at": self.created_at,
        }


@dataclass
class _Pending:
    email: str
    phone: str
    password_sha256: str


@dataclass
class AuditEntry:
    seq: int
    system: str
    method: str
    path: str
    summary: str
    time: str = field(default_factory=_now)


class World:
    """Accounts, portal, register, websites, CDN, onboarding DB, faults and the audit log."""

    def __init__(self, faults: FaultSet | None = None, seed: int = 0, fixtures: Path | None = None) -> None:
        self.faults = faults if faults is not None else FaultSet(seed=seed)
        self.seed = self.faults.seed if faults is not None else seed
        self.fixture_dir = Path(fixtures) if fixtures is not None else FIXTURE_DIR
        self.restaurants: tuple[RestaurantFixture, ...] = load_restaurants(self.fixture_dir)
        self.companies: tuple[CompanyFixture, ...] = load_companies(self.fixture_dir)
        self.portal = PortalState()
        self.media = MediaStore(self.restaurants)
        self.onboarding = OnboardingDB(self.new_uuid)
        self.accounts: dict[str, Account] = {}
        self._pending: dict[str, _Pending] = {}
        self.audit_log: list[AuditEntry] = []
        self.calls: list[tuple[str, float]] = []  # (endpoint name, unix time) of every API request
        self.started_at = time.time()
        self.reset()

    # -- lifecycle -----------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to the fixtures' starting point; faults stay configured but restart their sequences."""
        self._ids = itertools.count(1)
        self.accounts = {}
        self._pending = {}
        self.audit_log = []
        self.calls = []
        self.portal.reset()
        self.media.reset()
        self.onboarding.reset()
        self.faults.reset_counters()
        for restaurant in self.restaurants:
            if restaurant.already_registered:
                self._seed_registered(restaurant)

    def _seed_registered(self, r: RestaurantFixture) -> None:
        self.accounts[r.email] = Account(
            r.email,
            r.phone,
            _sha256(EXISTING_ACCOUNT_PASSWORD),
            self._user_id(r.email),
            "2025-06-01T00:00:00.000+00:00",
        )
        hours = [TimeSlot(h["day"], h["open"], h["close"]) for h in r.opening_hours()]
        self.portal.add_restaurant(r.email, r.name, address=r.address, phone=r.phone, hours=hours,
                                   locale="New Zealand", timezone="Auckland", currency="NZD",
                                   tax_in_prices=True)
        self.onboarding.create(r.owner[0].title() + " " + r.owner[2].title(), r.email)

    def new_uuid(self, kind: str) -> str:
        """Deterministic ids: the same sequence of calls after a reset yields the same ids."""
        return str(uuid.uuid5(_NAMESPACE, f"{self.seed}:{kind}:{next(self._ids)}"))

    def _user_id(self, email: str) -> str:
        return "usr_" + _sha256(f"{self.seed}:{email.lower()}")[:16]

    # -- audit ---------------------------------------------------------------------------------
    def audit(self, system: str, method: str, path: str, summary: str) -> None:
        """Record one mutating call (the portal and hub routes call this too)."""
        self.audit_log.append(AuditEntry(len(self.audit_log) + 1, system, method, path, summary))

    def note_call(self, name: str) -> None:
        """Remember when an API endpoint was called (rate-limit tests read ``/_sandbox/calls``)."""
        if len(self.calls) >= 100_000:
            del self.calls[:50_000]
        self.calls.append((name, time.time()))

    # -- platform accounts (CloudWaitress register start/verify) -------------------------------
    def register_start(self, email: str, phone: str, password: str) -> str:
        """A pending registration's token; an existing verified e-mail is refused."""
        key = email.strip().lower()
        if key in self.accounts:
            raise Refusal(f"An account with the email {email} already exists")
        token = "tok_" + self.new_uuid("register").replace("-", "")
        self._pending[token] = _Pending(key, phone, _sha256(password))
        return token

    def register_verify(self, token: str, code: str, admin_code: str) -> Account:
        pending = self._pending.get(token)
        if pending is None:
            raise Refusal("Invalid or expired registration token")
        if code != admin_code:
            raise Refusal("Invalid email confirmation code")
        if pending.email in self.accounts:
            del self._pending[token]
            raise Refusal(f"An account with the email {pending.email} already exists")
        del self._pending[token]
        account = Account(
            pending.email, pending.phone, pending.password_sha256, self._user_id(pending.email), _now()
        )
        self.accounts[pending.email] = account
        return account

    def check_login(self, email: str, password: str) -> bool:
        """The admin portal's login check (PortalWorld protocol)."""
        account = self.accounts.get(email.strip().lower())
        return account is not None and account.password_sha256 == _sha256(password)

    # -- onboarding DB (the hub's "Add User" mirrors into it) ----------------------------------
    def create_onboarding_user(self, name: str, email: str) -> str:
        """The onboarding record id for this e-mail, creating the record when new."""
        existing = self.onboarding.id_by_email(email)
        return existing if existing is not None else self.onboarding.create(name, email)

    # -- fixtures ------------------------------------------------------------------------------
    def restaurant_by_slug(self, slug: str) -> RestaurantFixture | None:
        return next((r for r in self.restaurants if r.slug == slug), None)

    def company_by_nzbn(self, nzbn: str) -> CompanyFixture | None:
        return next((c for c in self.companies if c.nzbn == nzbn or c.number == nzbn), None)

    # -- inspection ----------------------------------------------------------------------------
    def to_json(self) -> JSON:
        """Everything as JSON (never a password)."""
        return {
            "seed": self.seed,
            "accounts": [a.to_json() for a in self.accounts.values()],
            "pending_registrations": len(self._pending),
            "portal": self.portal.to_json(),
            "onboarding": self.onboarding.to_json(),
            "cdn": self.media.cdn_json(),
            "register": {"entities": len(self.companies)},
            "fixtures": {"directory": str(self.fixture_dir),
                         "restaurants": [r.slug for r in self.restaurants]},
            "faults": self.faults.to_json(),
            "audit_entries": len(self.audit_log),
        }

    def audit_json(self) -> list[JSON]:
        return [asdict(entry) for entry in self.audit_log]
