"""The onboarding database: a Supabase/PostgREST REST API (rpc lookup + PATCH of a record).

The contract, from the prior system (Pumpdnz/restaurant-menu-automation ``onboarding-service.js`` and
``database-functions.md``): ``rpc('get_onboarding_id_by_email', {user_email})`` is a table-returning
function — PostgREST answers ``[{"onboarding_id", "user_id", "email", "name", "onboarding_status",
"created_at"}]`` (``[]`` for no record) — then ``user_onboarding`` is updated ``.eq('id', onboarding_id)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from regctl.errors import PermanentStepError
from regctl.providers.http import HttpProvider
from regctl.targets import Target

__all__ = ["RPC_BY_EMAIL", "OnboardingDb"]

RPC_BY_EMAIL = "/rpc/get_onboarding_id_by_email"


class OnboardingDb(HttpProvider):
    system = "onboarding_db"

    @classmethod
    def for_target(cls, target: Target, *, transport: httpx.BaseTransport | None = None) -> OnboardingDb:
        sys = target.system("onboarding_db")
        key = sys.credential("key")
        headers = {"apikey": key, "Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        return cls(sys.url, headers=headers, credential_env=sys.credential_env("key"),
                   secrets=target.secrets(), transport=transport)

    def lookup(self, email: str) -> dict[str, Any] | None:
        """The function's row for ``email`` (``onboarding_id``, ``user_id``, …); None when there is none."""
        rows = self.post_json(RPC_BY_EMAIL, {"user_email": email})
        if not isinstance(rows, list) or not all(isinstance(r, Mapping) for r in rows):
            raise PermanentStepError(f"onboarding_db: {RPC_BY_EMAIL} answered {str(rows)[:120]!r}, "
                                     "not the function's rows")
        return dict(rows[0]) if rows else None

    def onboarding_id_by_email(self, email: str) -> str | None:
        """The onboarding record's id (the row's ``onboarding_id``) for ``email``, or None."""
        row = self.lookup(email)
        return str(row["onboarding_id"]) if row and row.get("onboarding_id") else None

    def update_onboarding(self, record_id: str, fields: Mapping[str, Any]) -> list[dict[str, Any]]:
        """PATCH the record; returns the updated rows (``Prefer: return=representation``).

        PostgREST answers a PATCH whose filter matches no row — the record is gone, or row-level
        security hides it from this key (the anon key instead of the service key) — with 200 and
        ``[]``, not an error. Nothing was written, so that is a PermanentStepError (the prior system's
        ``.update().eq('id', …).select().single()`` failed the same way, with PGRST116).
        """
        response = self.request("PATCH", "/user_onboarding", params={"id": f"eq.{record_id}"},
                                json=dict(fields), headers={"Prefer": "return=representation"})
        body = self._json(response) if response.content else None
        if body is None:  # 204: the server ignored return=representation; it said nothing was wrong
            return []
        rows = list(body) if isinstance(body, list) else [body]
        if not rows:
            raise PermanentStepError(
                f"onboarding_db: the update of user_onboarding id={record_id} changed no row (the record "
                f"is gone, or row-level security hides it from this key: {self.credential_env or 'the key'} "
                "must be the service key)")
        return rows
