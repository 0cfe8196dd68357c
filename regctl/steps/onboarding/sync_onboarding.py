"""sync_onboarding — copy what registration produced into the owner's onboarding record (PostgREST).

Looks the record up by the lower-cased onboarding e-mail (rpc ``get_onboarding_id_by_email``), then
PATCHes only non-empty fields: names, contacts, the portal's RES id, opening hours as one string,
colours, social links, the hosted logo and Stripe link (runs *after* configure_website and
configure_payment, so both exist when they were made), company numbers. When the record can be read
first and already holds every value, nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from regctl.errors import PermanentStepError, StepError
from regctl.providers.onboarding_db import OnboardingDb
from regctl.steps.base import StepContext
from regctl.steps.onboarding.registration_common import JSON, config_section, hour_rows, target_of
from regctl.steps.registry import step_type

__all__ = ["hours_text", "onboarding_fields", "sync_onboarding"]

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def hours_text(opening_hours: Iterable[Mapping[str, Any]] | None) -> str:
    """``"Monday: 09:00 - 17:00. Tuesday: …"`` in weekday order; several slots of a day joined by ", "."""
    by_day: dict[str, list[str]] = {}
    for day, opens, closes in hour_rows(opening_hours):
        if day and opens and closes and "closed" not in (opens.lower(), closes.lower()):
            by_day.setdefault(day, []).append(f"{opens} - {closes}")
    order = sorted(by_day, key=lambda d: DAYS.index(d) if d in DAYS else len(DAYS))
    return " ".join(f"{day}: {', '.join(by_day[day])}." for day in order)


def _company(ctx: StepContext) -> Mapping[str, Any]:
    company = ctx.restaurant.get("company") or {}
    return company if isinstance(company, Mapping) else {}


def _social(ctx: StepContext, name: str) -> Any:
    website = config_section(ctx, "website")
    extra = ctx.restaurant.get("extra") or {}
    return website.get(f"{name}_url") or (extra.get(name) if isinstance(extra, Mapping) else None)


def onboarding_fields(ctx: StepContext) -> JSON:
    """The onboarding record's columns this restaurant fills; empty values left out."""
    restaurant, website = config_section(ctx, "restaurant"), config_section(ctx, "website")
    company = _company(ctx)
    registered = ctx.results.get("register_restaurant") or {}
    site = ctx.results.get("configure_website") or {}
    payment = ctx.results.get("configure_payment") or {}
    name = restaurant.get("name") or ctx.restaurant.get("name")
    fields: JSON = {
        "restaurant_name": name, "trading_name": name,
        "organisation_name": company.get("company_name") or name,
        "restaurant_id": registered.get("restaurant_id"),
        "address": restaurant.get("address") or ctx.restaurant.get("address"),
        "phone": restaurant.get("phone") or ctx.restaurant.get("phone"),
        "contact_person": company.get("contact_name"),
        "director_mobile_number": company.get("contact_phone"),
        "director_name": company.get("full_legal_name"),
        "venue_operating_hours": hours_text(restaurant.get("opening_hours")
                                            or ctx.restaurant.get("opening_hours")),
        "primary_color": website.get("primary_colour") or website.get("primary_color"),
        "secondary_color": website.get("secondary_colour") or website.get("secondary_color"),
        "facebook_url": _social(ctx, "facebook"), "instagram_url": _social(ctx, "instagram"),
        "stripe_connect_link": payment.get("stripe_connect_url"),
        "logo_url": site.get("hosted_logo_url"),
        "nzbn": company.get("nzbn"), "company_name": company.get("company_name"),
        "gst_number": company.get("gst_number"),
    }
    return {k: v for k, v in fields.items() if v not in (None, "", [], {})}


def _onboarding_email(ctx: StepContext) -> str:
    onboarding, account = config_section(ctx, "onboarding"), config_section(ctx, "account")
    email = str(onboarding.get("user_email") or account.get("email") or "").strip().lower()
    if not email:
        raise PermanentStepError("registration config onboarding.user_email is empty: set it in "
                                 "configure_registration (regctl review)")
    return email


def _current(db: OnboardingDb, record_id: str) -> JSON | None:
    """The record as it is now, or None when the API does not let us read it."""
    try:
        rows = db.get_json("/user_onboarding", params={"id": f"eq.{record_id}", "select": "*"})
    except StepError:
        return None
    if isinstance(rows, list) and rows and isinstance(rows[0], Mapping):
        return dict(rows[0])
    return None


def _changed(current: JSON | None, wanted: JSON) -> JSON:
    if current is None:
        return dict(wanted)
    return {k: v for k, v in wanted.items() if current.get(k) != v}


@step_type("sync_onboarding", timeout=120.0, retries=3,
           description="Copy names, contacts, RES id, hours, logo, Stripe link into the onboarding record")
def sync_onboarding(ctx: StepContext) -> JSON:
    email = _onboarding_email(ctx)
    db = OnboardingDb.for_target(target_of(ctx))
    try:
        record_id = db.onboarding_id_by_email(email)
        if record_id is None:
            raise PermanentStepError(f"onboarding_db has no record for {email}: create_onboarding_user "
                                     "makes it (regctl retry JOB --from create_onboarding_user)")
        wanted = onboarding_fields(ctx)
        changes = _changed(_current(db, record_id), wanted)
        if changes:
            db.update_onboarding(record_id, changes)
    finally:
        db.close()
    return {"onboarding_id": record_id, "email": email, "fields_synced": sorted(wanted),
            "fields_changed": sorted(changes)}
