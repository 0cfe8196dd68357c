"""Two tenant roles on one PostgreSQL database: each runs its batches end to end as itself, and neither
can read or change the other's rows — through any command, or through raw SQL, whatever it SETs.

Roles are created per test with a unique prefixed name and dropped afterwards (docs/security.md)."""

from __future__ import annotations

import contextlib
import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from cli_support import NOOP_STEPS, regctl

from regctl.db.schema import metadata

pytestmark = pytest.mark.postgres

WAIT_STEPS = """    - {key: first, uses: builtin.noop}
    - key: approve
      uses: builtin.wait
      needs: [first]
      with: {schema: {type: object, required: [ok], properties: {ok: {type: boolean}}}}"""


@dataclass
class Tenant:
    organisation: str
    role: str
    url: str


def _role_url(owner_url: str, role: str) -> str:
    host_and_db = owner_url.partition("://")[2].partition("@")[2]
    return f"{owner_url.split('://')[0]}://{role}@{host_and_db}"


@pytest.fixture
def tenants(database_url: str, dialect: str) -> Iterator[tuple[Tenant, Tenant]]:
    if dialect != "postgres":
        pytest.skip("roles and row-level security are PostgreSQL's")
    prefix = f"regctl_sec_{secrets.token_hex(3)}"
    made = [Tenant(f"org-{x}", f"{prefix}_{x}", _role_url(database_url, f"{prefix}_{x}")) for x in "ab"]
    with psycopg.connect(database_url, autocommit=True) as conn:
        for t in made:
            conn.execute(f"CREATE ROLE {t.role} LOGIN")
    for t in made:
        granted = regctl("db", "grant", t.organisation, t.role, db=database_url)
        assert granted.code == 0, granted.output
    yield made[0], made[1]
    with psycopg.connect(database_url, autocommit=True) as conn:
        for t in made:
            conn.execute(f"DROP OWNED BY {t.role}")
            conn.execute(f"DROP ROLE {t.role}")


def _manifest(tmp_path: Path, organisation: str, batch: str, steps: str = NOOP_STEPS) -> Path:
    path = tmp_path / f"{organisation}-{batch}.yaml"
    path.write_text(
        f"batch: {batch}\norganisation: {organisation}\ntarget: sandbox\npipeline:\n  steps:\n{steps}\n"
        f"restaurants:\n  - {{name: Shared Name, address: 1 Test Road, city: Auckland, "
        f"email: {organisation}@example.com}}\n"
    )
    return path


def _counts(url: str) -> dict[str, int]:
    """Rows per table as the owner sees them (all of them)."""
    with psycopg.connect(url) as conn:
        return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])  # type: ignore[index]
                for t in metadata.tables}


def _seed_menu(owner_url: str, organisation: str) -> None:
    """A menu tree and a company search under the organisation's restaurant (child tables)."""
    with psycopg.connect(owner_url) as conn:
        rid, job = conn.execute(
            "SELECT r.id, j.id FROM restaurants r JOIN registration_jobs j ON j.restaurant_id = r.id "
            "WHERE r.organisation_id = %s", (organisation,)
        ).fetchone()  # type: ignore[misc]
        menu = conn.execute("INSERT INTO menus (restaurant_id, source, created_at) VALUES (%s, 'file', 0) "
                            "RETURNING id", (rid,)).fetchone()[0]  # type: ignore[index]
        cat = conn.execute("INSERT INTO menu_categories (menu_id, name, position) VALUES (%s, 'Mains', 0) "
                           "RETURNING id", (menu,)).fetchone()[0]  # type: ignore[index]
        item = conn.execute("INSERT INTO menu_items (menu_id, category_id, name, price, item_type, tags, "
                            "position) VALUES (%s, %s, 'Bao', 9.5, 'standard', '[]', 0) RETURNING id",
                            (menu, cat)).fetchone()[0]  # type: ignore[index]
        conn.execute("INSERT INTO item_images (item_id, source_url) VALUES (%s, 'https://x/y.png')", (item,))
        oset = conn.execute("INSERT INTO option_sets (menu_id, name, required, multiple, min_select, "
                            "max_select) VALUES (%s, 'Size', false, false, 0, 1) RETURNING id",
                            (menu,)).fetchone()[0]  # type: ignore[index]
        conn.execute("INSERT INTO option_set_options (option_set_id, name, price, position) "
                     "VALUES (%s, 'Large', 1, 0)", (oset,))
        conn.execute("INSERT INTO menu_item_option_sets (item_id, option_set_id) VALUES (%s, %s)",
                     (item, oset))
        conn.execute("INSERT INTO company_search_candidates (job_id, restaurant_id, queries, name_results, "
                     "address_results, candidates, status, searched_at) "
                     "VALUES (%s, %s, '{}', '[]', '[]', '[]', 'no_match', 0)", (job, rid))
        conn.execute("INSERT INTO artifacts (step_id, job_id, attempt, kind, path, created_at) "
                     "SELECT id, job_id, 1, 'trace', 'x.zip', 0 FROM registration_job_steps "
                     "WHERE job_id = %s LIMIT 1", (job,))


@pytest.fixture
def two_batches(tenants: tuple[Tenant, Tenant], database_url: str, tmp_path: Path) -> tuple[Tenant, Tenant]:
    """Both tenants ran a batch of the same name, as themselves; B's has a menu and a waiting step."""
    a, b = tenants
    for t, steps in ((a, NOOP_STEPS), (b, WAIT_STEPS)):
        ran = regctl("run", "--no-progress", str(_manifest(tmp_path, t.organisation, "nightly", steps)),
                     db=t.url)
        assert ran.code in (0, 3), ran.output  # B ends waiting for a decision
    _seed_menu(database_url, b.organisation)
    return a, b


def test_each_tenant_runs_its_batch_end_to_end_as_itself(two_batches: tuple[Tenant, Tenant],
                                                          tmp_path: Path) -> None:
    a, b = two_batches
    mine = json.loads(regctl("status", "--json", db=a.url).out)
    assert [(x["organisation_id"], x["status"]) for x in mine] == [("org-a", "completed")]
    theirs = json.loads(regctl("status", "--json", db=b.url).out)
    assert [(x["organisation_id"], x["status"]) for x in theirs] == [("org-b", "waiting")]
    job = json.loads(regctl("status", "nightly", "--json", db=b.url).out)["jobs"][0]["id"]
    answer = tmp_path / "ok.json"
    answer.write_text('{"ok": true}')
    assert regctl("decide", str(job), "approve", "--json", str(answer), db=b.url).code == 0
    resumed = regctl("resume", "--all", db=b.url)  # the nightly job, as the tenant: its batches only
    assert resumed.code == 0, resumed.output
    theirs = json.loads(regctl("status", "--json", db=b.url).out)
    assert [(x["organisation_id"], x["status"]) for x in theirs] == [("org-b", "completed")]


def test_no_command_reaches_the_other_tenants_rows(two_batches: tuple[Tenant, Tenant], database_url: str,
                                                   tmp_path: Path) -> None:
    a, b = two_batches
    before = _counts(database_url)
    with psycopg.connect(database_url) as conn:
        b_batch, b_job = conn.execute(
            "SELECT b.id, j.id FROM registration_batch_jobs b JOIN registration_jobs j "
            "ON j.batch_id = b.id WHERE b.organisation_id = 'org-b'"
        ).fetchone()  # type: ignore[misc]
    answer = tmp_path / "answer.json"
    answer.write_text('{"ok": true}')
    for args in (("cancel", str(b_batch)), ("cancel", f"job:{b_job}"), ("show", str(b_job)),
                 ("status", str(b_batch)), ("decide", str(b_job), "approve", "--json", str(answer)),
                 ("retry", str(b_job)), ("export", str(b_batch)), ("resume", str(b_batch)),
                 ("review", str(b_batch), "--list"),
                 ("complete", str(b_job), "approve", "--note", "x"), ("skip", str(b_job), "approve",
                                                                        "--note", "x"),
                 ("retry", str(b_batch), "--failed")):
        result = regctl(*args, db=a.url)
        assert result.code == 2, (args, result.output)
    for args in (("review", "--job", str(b_job), "--list"), ("review", "--list", "--json"),
                 ("status", "--json"), ("status", "--supervisors", "--json")):
        result = regctl(*args, db=a.url)  # lists: A's own view, in which B has nothing
        assert result.code in (0, 2) and "org-b" not in result.output, (args, result.output)
    assert _counts(database_url) == before
    # the manifest naming B's organisation is refused, nothing written (B's restaurant e-mail unchanged)
    hostile = _manifest(tmp_path, b.organisation, "takeover")
    hostile.write_text(hostile.read_text().replace("org-b@example.com", "attacker@example.com"))
    refused = regctl("run", "--no-progress", str(hostile), db=a.url)
    assert refused.code == 2 and "may not act for organisation 'org-b'" in refused.err, refused.output
    assert len(refused.err.strip().splitlines()) == 1
    assert _counts(database_url) == before


SETTINGS = ("SET regctl.organisation = 'org-b'", "SET row_security = on",
            "SET session_replication_role = replica")


def _dump(tenant: Tenant) -> dict[str, list[tuple[object, ...]]]:
    """Every row the tenant's role sees (its own supervisors only: all are visible by design)."""
    with psycopg.connect(tenant.url) as conn:
        dump = {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in metadata.tables}
    dump["supervisors"] = [r for r in dump["supervisors"] if tenant.role in r]
    return dump


def _owner_sees(owner_url: str, table: str, organisation: str) -> int:
    """What a tenant should see of an organisation table: only its organisation's rows."""
    with psycopg.connect(owner_url) as conn:
        row = conn.execute(f"SELECT count(*) FROM {table} WHERE organisation_id = %s",
                           (organisation,)).fetchone()
    return int(row[0]) if row else -1


ORGANISATION_TABLES = [t for t, table in metadata.tables.items()
                       if "organisation_id" in table.c and t != "organisation_roles"]
B_ONLY_CHILDREN = ("menus", "menu_categories", "menu_items", "item_images", "option_sets",
                   "option_set_options", "menu_item_option_sets", "company_search_candidates", "artifacts")


def test_raw_sql_cannot_see_or_change_the_other_tenants_rows(two_batches: tuple[Tenant, Tenant],
                                                             database_url: str) -> None:
    a, b = two_batches
    b_before = _dump(b)
    b_restaurant, b_job = b_before["registration_jobs"][0][2], b_before["registration_jobs"][0][0]
    assert all(b_before[t] for t in B_ONLY_CHILDREN)  # B's child rows exist …
    with psycopg.connect(a.url, autocommit=True) as conn:
        for setting in SETTINGS:
            with contextlib.suppress(psycopg.errors.InsufficientPrivilege):  # replication role: superuser
                conn.execute(setting)
            for table in ORGANISATION_TABLES:
                seen = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
                assert seen == _owner_sees(database_url, table, a.organisation), (setting, table)
            for table in B_ONLY_CHILDREN:  # … and A sees none of them
                seen = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
                assert seen == 0, (setting, table)
            for statement in ("UPDATE restaurants SET email = 'x@evil' WHERE organisation_id = 'org-b'",
                              "DELETE FROM registration_batch_jobs WHERE organisation_id = 'org-b'",
                              "UPDATE registration_job_steps SET status = 'cancelled' "
                              "WHERE organisation_id = 'org-b'",
                              "DELETE FROM menu_items", "DELETE FROM company_search_candidates",
                              "UPDATE rate_limits SET capacity = 1000 WHERE organisation_id = 'org-b'",
                              "DELETE FROM organisation_roles",
                              f"UPDATE supervisors SET stopped_at = 1 WHERE db_role = '{b.role}'"):
                with contextlib.suppress(psycopg.errors.InsufficientPrivilege):  # refused is fine too
                    conn.execute(statement)
        for refused in (
            "INSERT INTO restaurants (organisation_id, key, name, extra, created_at, updated_at) "
            "VALUES ('org-b', 'k', 'n', '{}', 0, 0)",
            f"INSERT INTO menus (restaurant_id, source, created_at) VALUES ({b_restaurant}, 'file', 0)",
            f"INSERT INTO artifacts (step_id, job_id, attempt, kind, path, created_at) "
            f"VALUES (1, {b_job}, 1, 'trace', 'x', 0)",
            "UPDATE restaurants SET organisation_id = 'org-b'",
            "INSERT INTO organisation_roles (organisation_id, role_name, granted_at) "
            f"VALUES ('org-b', '{a.role}', 0)",
            f"SET ROLE {b.role}",
            "SET row_security = off; SELECT * FROM restaurants",
            "ALTER TABLE restaurants NO FORCE ROW LEVEL SECURITY",
            "TRUNCATE step_events",
            "COPY restaurants FROM STDIN",
        ):
            with pytest.raises(psycopg.errors.Error):
                conn.execute(refused)
                pytest.fail(f"not refused: {refused}")
            conn.execute("RESET ALL")
    assert _dump(b) == b_before


def test_the_owner_refuses_a_name_two_organisations_use(two_batches: tuple[Tenant, Tenant],
                                                        database_url: str) -> None:
    result = regctl("cancel", "nightly", db=database_url)
    assert result.code == 2 and "used by 2 organisations" in result.err, result.output


def test_only_the_owner_binds_roles(tenants: tuple[Tenant, Tenant], database_url: str,
                                    tmp_path: Path) -> None:
    a, b = tenants
    assert regctl("db", "grant", b.organisation, a.role, db=a.url).code == 2
    assert regctl("db", "grant", "org-x", "regctl_sec_no_such_role", db=database_url).code == 2
    assert regctl("db", "grant", "o" * 101, a.role, db=database_url).code == 2  # longer than any manifest's
    sqlite = regctl("db", "grant", "org-x", a.role, db=str(tmp_path / "one.db"))
    assert sqlite.code == 2 and "PostgreSQL" in sqlite.err
    assert regctl("db", "revoke", a.organisation, a.role, db=database_url).code == 0
    refused = regctl("run", "--no-progress", str(_manifest(tmp_path, a.organisation, "later")), db=a.url)
    assert refused.code == 2, refused.output


def test_every_table_has_forced_row_level_security_and_checked_policies(database_url: str,
                                                                       dialect: str) -> None:
    """A table added later without a policy fails here (regctl.db.migrate.RLS_POLICIES)."""
    if dialect != "postgres":
        pytest.skip("row-level security is PostgreSQL's")
    with psycopg.connect(database_url) as conn:
        flags = dict(conn.execute(
            "SELECT relname, relrowsecurity AND relforcerowsecurity FROM pg_class "
            "WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace").fetchall())
        checked = {r[0] for r in conn.execute(
            "SELECT tablename FROM pg_policies WHERE policyname LIKE '%_member' AND with_check IS NOT NULL "
            "AND qual = with_check").fetchall()}
    tables = set(metadata.tables)
    assert {t for t in tables if flags.get(t)} == tables
    assert checked == tables
