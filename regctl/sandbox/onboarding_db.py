"""The onboarding database (a Supabase project): the ``user_onboarding`` table behind PostgREST.

Only the columns below exist; a PATCH naming another column fails the way PostgREST does
(``PGRST204``), so a client that sends a misspelt field finds out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

__all__ = ["COLUMNS", "OnboardingDB", "UnknownColumn"]

JSON = dict[str, Any]

COLUMNS = (
    "id",
    "user_id",
    "onboarding_status",
    "email",
    "user_name",
    "created_at",
    "updated_at",
    "restaurant_name",
    "trading_name",
    "organisation_name",
    "restaurant_id",
    "address",
    "phone",
    "contact_person",
    "director_mobile_number",
    "director_name",
    "venue_operating_hours",
    "primary_color",
    "secondary_color",
    "facebook_url",
    "instagram_url",
    "stripe_connect_link",
    "logo_url",
    "nzbn",
    "company_name",
    "gst_number",
)
READ_ONLY = frozenset({"id", "user_id", "created_at"})


class UnknownColumn(Exception):  # mirrors PostgREST's PGRST204
    def __init__(self, column: str) -> None:
        super().__init__(column)
        self.column = column


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class OnboardingDB:
    """``user_onboarding`` rows by id, looked up case-insensitively by e-mail."""

    def __init__(self, new_uuid: Callable[[str], str]) -> None:
        self._new_uuid = new_uuid
        self.rows: dict[str, JSON] = {}

    def reset(self) -> None:
        self.rows = {}

    def create(self, name: str, email: str) -> str:
        row: JSON = dict.fromkeys(COLUMNS)
        row.update(
            id=self._new_uuid("onboarding"),
            user_id=self._new_uuid("user"),
            onboarding_status="pending",
            email=email.strip(),
            user_name=name,
            created_at=_now(),
            updated_at=_now(),
        )
        self.rows[row["id"]] = row
        return str(row["id"])

    def id_by_email(self, email: str) -> str | None:
        """What the RPC ``get_onboarding_id_by_email`` returns (compares lower-cased)."""
        wanted = email.strip().lower()
        return next((rid for rid, row in self.rows.items() if str(row["email"]).lower() == wanted), None)

    def rpc_rows(self, email: str) -> list[JSON]:
        """What ``get_onboarding_id_by_email(user_email)`` returns: a table, zero or one row.

        The prior system's function (``database-functions.md`` in Pumpdnz/restaurant-menu-automation)
        returns ``onboarding_id, user_id, email, name, onboarding_status, created_at``.
        """
        row_id = self.id_by_email(email)
        if row_id is None:
            return []
        row = self.rows[row_id]
        return [{"onboarding_id": row["id"], "user_id": row["user_id"], "email": row["email"],
                 "name": row["user_name"], "onboarding_status": row["onboarding_status"],
                 "created_at": row["created_at"]}]

    def patch(self, row_id: str, fields: JSON) -> list[JSON]:
        """Update the row (if any) and return the updated rows, like ``Prefer: return=representation``."""
        for column in fields:
            if column not in COLUMNS:
                raise UnknownColumn(column)
        row = self.rows.get(row_id)
        if row is None:
            return []
        row.update({k: v for k, v in fields.items() if k not in READ_ONLY})
        row["updated_at"] = _now()
        return [dict(row)]

    def to_json(self) -> list[JSON]:
        return [dict(row) for row in self.rows.values()]
