"""The onboarding database: a Supabase/PostgREST REST API (rpc lookup + PATCH of a record)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from regctl.providers.http import HttpProvider
from regctl.targets import Target

__all__ = ["OnboardingDb"]


class OnboardingDb(HttpProvider):
    system = "onboarding_db"

    @classmethod
    def for_target(cls, target: Target, *, transport: httpx.BaseTransport | None = None) -> OnboardingDb:
        sys = target.system("onboarding_db")
        key = sys.credential("key")
        headers = {"apikey": key, "Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        return cls(sys.url, headers=headers, credential_env=sys.credential_env("key"),
                   secrets=target.secrets(), transport=transport)

    def onboarding_id_by_email(self, email: str) -> str | None:
        """The onboarding record's id for ``email``, or None when there is none."""
        body = self.post_json("/rpc/get_onboarding_id_by_email", {"email": email})
        if isinstance(body, list):
            body = body[0] if body else None
        if isinstance(body, Mapping):
            body = body.get("id") or body.get("get_onboarding_id_by_email")
        return str(body) if body else None

    def update_onboarding(self, record_id: str, fields: Mapping[str, Any]) -> list[dict[str, Any]]:
        """PATCH the record; returns the updated rows (``Prefer: return=representation``)."""
        response = self.request("PATCH", "/user_onboarding", params={"id": f"eq.{record_id}"},
                                json=dict(fields), headers={"Prefer": "return=representation"})
        body = self._json(response) if response.content else []
        return list(body) if isinstance(body, list) else [body]
