"""Every table of regctl, as SQLAlchemy Core tables, in one place.

Alembic migrations in ``migrations/`` must produce exactly this schema (a test diffs them).
Times are stored as UTC epoch seconds (float) so both SQLite and PostgreSQL compare them cheaply
in claim statements; JSON columns become JSONB on PostgreSQL.

Ownership while the project is young (so parallel work does not collide): engine tables
(batches, jobs, steps, step_events, supervisors, rate_limits, resource slots) belong to the engine;
domain tables (restaurants, menus…, company_search_candidates) to the enrichment steps;
decisions to review. Add columns in your section; keep the one initial migration in sync
(``make migration``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

__all__ = ["metadata"]

naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=naming_convention)



class Json(TypeDecorator[Any]):
    """JSON; JSONB on PostgreSQL. Chosen when a dialect first uses it, so a SQLite process never
    imports the PostgreSQL dialect (a tenth of ``regctl status``'s start-up, issue 15)."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import JSONB

            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(JSON())


# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets BIGINT identity.
Id = BigInteger().with_variant(Integer(), "sqlite")


def _id() -> Column[int]:
    return Column("id", Id, primary_key=True, autoincrement=True)


def _fk(name: str, target: str, *, nullable: bool = False, ondelete: str = "CASCADE") -> Column[int]:
    return Column(name, Id, ForeignKey(target, ondelete=ondelete), nullable=nullable)


# ---------------------------------------------------------------- engine -------------------------

batches = Table(
    "registration_batch_jobs", metadata,
    _id(),
    Column("name", String(200), nullable=False),
    Column("organisation_id", String(100), nullable=False),
    Column("target", String(100), nullable=False),
    Column("status", String(32), nullable=False),
    Column("manifest_path", Text),
    Column("manifest", Json, nullable=False),  # the validated manifest, normalised (no secrets)
    Column("pipeline", Json, nullable=False),  # the step specs every job was created from
    Column("execution", Json, nullable=False),  # mode, max_parallel_restaurants, limits
    Column("policies", Json, nullable=False),
    Column("notify", Json),
    Column("total_jobs", Integer, nullable=False, server_default="0"),
    Column("created_by", String(200)),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("started_at", Float),
    Column("finished_at", Float),
    Column("cancelled_at", Float),
    UniqueConstraint("organisation_id", "name", name="uq_registration_batch_jobs_org_name"),
)

jobs = Table(
    "registration_jobs", metadata,
    _id(),
    _fk("batch_id", "registration_batch_jobs.id"),
    _fk("restaurant_id", "restaurants.id"),
    Column("organisation_id", String(100), nullable=False),
    Column("position", Integer, nullable=False),  # order within the batch (manifest order)
    Column("status", String(32), nullable=False),
    # 1 while the job is not finished; NULL otherwise. The unique index makes "at most one
    # active job per restaurant" a database fact, on both dialects.
    Column("active", Boolean),
    Column("config", Json, nullable=False),  # registration config; secrets encrypted (enc:…)
    Column("error", Text),  # last error shown on the job row
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("finished_at", Float),
    UniqueConstraint("batch_id", "restaurant_id", name="uq_registration_jobs_batch_restaurant"),
    Index("uq_registration_jobs_active_restaurant", "restaurant_id", "active", unique=True),
    Index("ix_registration_jobs_batch_status", "batch_id", "status"),
    Index("ix_registration_jobs_status", "status"),
)

steps = Table(
    "registration_job_steps", metadata,
    _id(),
    _fk("job_id", "registration_jobs.id"),
    Column("batch_id", Id, nullable=False),  # denormalised for claims and batch queries
    Column("organisation_id", String(100), nullable=False),
    Column("key", String(100), nullable=False),
    Column("uses", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("status", String(32), nullable=False),
    Column("position", Integer, nullable=False),  # topological order within the job
    Column("needs", Json, nullable=False),
    Column("after", Json, nullable=False),
    Column("when", Text),
    Column("critical", Boolean, nullable=False),
    Column("params", Json, nullable=False),
    Column("resources", Json, nullable=False),
    Column("max_attempts", Integer, nullable=False),
    Column("timeout", Float),
    Column("attempts", Integer, nullable=False, server_default="0"),  # executions started (retries)
    Column("recoveries", Integer, nullable=False, server_default="0"),  # runs lost with their supervisor
    Column("next_attempt_at", Float),
    Column("lease_owner", String(100)),
    Column("lease_expires_at", Float),
    Column("started_at", Float),
    Column("finished_at", Float),
    Column("result", Json),
    Column("error", Text),
    Column("request", Json),  # DecisionRequest while action_required
    Column("note", Text),  # why it is skipped/blocked ("when false: …", "needs X, which failed")
    Column("limited", Boolean, nullable=False, server_default=false()),  # declares resources (slots)
    UniqueConstraint("job_id", "key", name="uq_registration_job_steps_job_key"),
    # The claim's order (oldest due first), globally and for `--batch` supervisors, and the lease
    # reclaim's. Only ready steps have a `next_attempt_at` and only running ones a `lease_expires_at`,
    # so each range scan reads just those. Not led by `status`: with stale statistics (every fresh
    # batch) PostgreSQL chose a status-led index for `status = 'pending'` lookups and read every
    # pending step of every batch instead of the (job_id, key) unique index. (Partial indexes would
    # say it outright, but their dialect options import both dialects into every process.)
    Index("ix_registration_job_steps_claim", "next_attempt_at", "id"),
    Index("ix_registration_job_steps_claim_batch", "batch_id", "next_attempt_at", "id"),
    Index("ix_registration_job_steps_running", "lease_expires_at"),
    Index("ix_registration_job_steps_lease", "lease_owner"),
    Index("ix_registration_job_steps_batch", "batch_id", "status"),
)

step_events = Table(
    "step_events", metadata,
    _id(),
    Column("step_id", Id, nullable=False),
    Column("job_id", Id, nullable=False),
    Column("batch_id", Id, nullable=False),
    Column("organisation_id", String(100), nullable=False),
    Column("at", Float, nullable=False),
    Column("actor", String(200), nullable=False),  # supervisor id, user name, or "policy:NAME"
    Column("from_status", String(32)),
    Column("to_status", String(32), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("message", Text),
    Index("ix_step_events_step", "step_id"),
    Index("ix_step_events_batch", "batch_id"),
)

supervisors = Table(
    "supervisors", metadata,
    Column("id", String(100), primary_key=True),  # host:pid:random
    Column("host", String(200), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("concurrency", Integer, nullable=False),
    Column("started_at", Float, nullable=False),
    Column("heartbeat_at", Float, nullable=False),
    Column("stopped_at", Float),
    Column("batch_id", Id),  # set when it supervises one batch only
    # the database role that runs it (PostgreSQL fills it with current_user; row-level security lets a
    # role change only its own supervisors' rows — docs/security.md)
    Column("db_role", String(100)),
)

rate_limits = Table(
    "rate_limits", metadata,
    # per organisation: one organisation's manifest never changes another's limits
    Column("organisation_id", String(100), primary_key=True),
    Column("name", String(100), primary_key=True),
    Column("capacity", Integer, nullable=False),  # tokens per window
    Column("window", Float, nullable=False),  # seconds
    Column("taken", Json, nullable=False),  # recent take times (sliding window)
)

artifacts = Table(
    "artifacts", metadata,
    _id(),
    Column("step_id", Id, nullable=False),
    Column("job_id", Id, nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("kind", String(50), nullable=False),  # screenshot, trace, image, csv, …
    Column("path", Text, nullable=False),  # relative to the data directory
    Column("created_at", Float, nullable=False),
    Index("ix_artifacts_job", "job_id"),
)

# ---------------------------------------------------------------- tenancy ------------------------

organisation_roles = Table(
    "organisation_roles", metadata,
    # which database roles may act for an organisation (``regctl db grant``); PostgreSQL's row-level
    # security policies read it with current_user (docs/security.md). Unused on SQLite.
    Column("organisation_id", String(100), primary_key=True),
    Column("role_name", String(100), primary_key=True),
    Column("granted_at", Float, nullable=False),
)

# ---------------------------------------------------------------- review -------------------------

decisions = Table(
    "decisions", metadata,
    _id(),
    Column("step_id", Id, nullable=False),
    Column("job_id", Id, nullable=False),
    Column("batch_id", Id, nullable=False),
    Column("organisation_id", String(100), nullable=False),
    Column("kind", String(32), nullable=False),  # answer, complete, skip
    Column("answer", Json),
    Column("note", Text),
    Column("actor", String(200), nullable=False),  # OS user, --as NAME, or policy:NAME
    Column("via", String(100), nullable=False),  # review, decide, complete, skip, policy, apply-to-all
    Column("attempt", Integer, nullable=False),
    Column("at", Float, nullable=False),
    UniqueConstraint("step_id", "attempt", name="uq_decisions_step_attempt"),  # first answer wins
)

# ---------------------------------------------------------------- domain -------------------------

restaurants = Table(
    "restaurants", metadata,
    _id(),
    Column("organisation_id", String(100), nullable=False),
    Column("key", Text, nullable=False),  # stable identity: normalised name + address (each bounded)
    Column("name", String(300), nullable=False),
    Column("address", Text),
    Column("city", String(200)),
    Column("phone", String(100)),
    Column("email", String(300)),
    Column("website", Text),
    Column("ubereats_url", Text),
    Column("menu_file", Text),
    Column("opening_hours", Json),
    Column("cuisines", Json),
    Column("extra", Json, nullable=False),  # unknown manifest/CSV columns kept as they came
    # branding (extract_branding)
    Column("branding", Json),  # colours, theme, logo/favicon/og image paths and source URLs
    # company (extract_company_details / manual entry)
    Column("company", Json),  # company_name, company_number, nzbn, gst_number, contact_*, full record
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    UniqueConstraint("organisation_id", "key", name="uq_restaurants_org_key"),
)

menus = Table(
    "menus", metadata,
    _id(),
    _fk("restaurant_id", "restaurants.id"),
    Column("source", String(50), nullable=False),  # extraction, file
    Column("source_ref", Text),  # URL or file path
    Column("created_at", Float, nullable=False),
)

menu_categories = Table(
    "menu_categories", metadata,
    _id(),
    _fk("menu_id", "menus.id"),
    Column("name", String(300), nullable=False),
    Column("position", Integer, nullable=False),
)

menu_items = Table(
    "menu_items", metadata,
    _id(),
    _fk("menu_id", "menus.id"),
    _fk("category_id", "menu_categories.id"),
    Column("name", String(300), nullable=False),
    Column("price", Numeric(10, 2), nullable=False),
    Column("description", Text),
    Column("item_type", String(50), nullable=False, server_default="standard"),
    Column("tags", Json, nullable=False),
    Column("position", Integer, nullable=False),
)

item_images = Table(
    "item_images", metadata,
    _id(),
    _fk("item_id", "menu_items.id"),
    Column("source_url", Text, nullable=False),
    Column("cdn_id", String(100)),
    Column("cdn_url", Text),
    Column("cdn_filename", String(200)),
    # the CDN's upload token, recorded before polling so a retry resumes it instead of uploading again
    Column("cdn_token", String(100)),
)

option_sets = Table(
    "option_sets", metadata,
    _id(),
    _fk("menu_id", "menus.id"),
    Column("name", String(300), nullable=False),
    Column("display_name", String(300)),
    Column("required", Boolean, nullable=False),
    Column("multiple", Boolean, nullable=False),
    Column("min_select", Integer, nullable=False),
    Column("max_select", Integer, nullable=False),
)

option_set_options = Table(
    "option_set_options", metadata,
    _id(),
    _fk("option_set_id", "option_sets.id"),
    Column("name", String(300), nullable=False),
    Column("price", Numeric(10, 2), nullable=False),
    Column("position", Integer, nullable=False),
)

menu_item_option_sets = Table(
    "menu_item_option_sets", metadata,
    _fk("item_id", "menu_items.id"),
    _fk("option_set_id", "option_sets.id"),
    UniqueConstraint("item_id", "option_set_id", name="uq_menu_item_option_sets_pair"),
)

company_search_candidates = Table(
    "company_search_candidates", metadata,
    _id(),
    _fk("job_id", "registration_jobs.id"),
    _fk("restaurant_id", "restaurants.id"),
    Column("queries", Json, nullable=False),  # {restaurant_name, street, city, original_values}
    Column("name_results", Json, nullable=False),
    Column("address_results", Json, nullable=False),
    Column("candidates", Json, nullable=False),  # merged, de-duplicated, scored
    Column("status", String(32), nullable=False),  # awaiting_selection, no_match, selected, failed
    Column("selected_company_number", String(50)),
    Column("searched_at", Float, nullable=False),
    Column("selected_at", Float),
    UniqueConstraint("job_id", name="uq_company_search_candidates_job"),
)
