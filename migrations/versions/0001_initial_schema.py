# ruff: noqa: E501
"""initial schema  (generated: regctl.db.migrate.regenerate)

Revision ID: 0001
Revises: 
Create Date: 2026-12-05 19:44:04.805353
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('artifacts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('step_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('job_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=50), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_artifacts'))
    )
    with op.batch_alter_table('artifacts', schema=None) as batch_op:
        batch_op.create_index('ix_artifacts_job', ['job_id'], unique=False)

    op.create_table('decisions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('step_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('job_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('batch_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('organisation_id', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('answer', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('via', sa.String(length=100), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')),
    sa.UniqueConstraint('step_id', 'attempt', name='uq_decisions_step_attempt')
    )
    op.create_table('organisation_roles',
    sa.Column('organisation_id', sa.String(length=100), nullable=False),
    sa.Column('role_name', sa.String(length=100), nullable=False),
    sa.Column('granted_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('organisation_id', 'role_name', name=op.f('pk_organisation_roles'))
    )
    op.create_table('rate_limits',
    sa.Column('organisation_id', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('window', sa.Float(), nullable=False),
    sa.Column('taken', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.PrimaryKeyConstraint('organisation_id', 'name', name=op.f('pk_rate_limits'))
    )
    op.create_table('registration_batch_jobs',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organisation_id', sa.String(length=100), nullable=False),
    sa.Column('target', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('manifest_path', sa.Text(), nullable=True),
    sa.Column('manifest', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('pipeline', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('execution', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('policies', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('notify', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('total_jobs', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.Column('updated_at', sa.Float(), nullable=False),
    sa.Column('started_at', sa.Float(), nullable=True),
    sa.Column('finished_at', sa.Float(), nullable=True),
    sa.Column('cancelled_at', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_batch_jobs')),
    sa.UniqueConstraint('organisation_id', 'name', name='uq_registration_batch_jobs_org_name')
    )
    op.create_table('restaurants',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('organisation_id', sa.String(length=100), nullable=False),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('city', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=100), nullable=True),
    sa.Column('email', sa.String(length=300), nullable=True),
    sa.Column('website', sa.Text(), nullable=True),
    sa.Column('ubereats_url', sa.Text(), nullable=True),
    sa.Column('menu_file', sa.Text(), nullable=True),
    sa.Column('opening_hours', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('cuisines', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('extra', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('branding', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('company', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.Column('updated_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_restaurants')),
    sa.UniqueConstraint('organisation_id', 'key', name='uq_restaurants_org_key')
    )
    op.create_table('step_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('step_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('job_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('batch_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('organisation_id', sa.String(length=100), nullable=False),
    sa.Column('at', sa.Float(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('from_status', sa.String(length=32), nullable=True),
    sa.Column('to_status', sa.String(length=32), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_step_events'))
    )
    with op.batch_alter_table('step_events', schema=None) as batch_op:
        batch_op.create_index('ix_step_events_batch', ['batch_id'], unique=False)
        batch_op.create_index('ix_step_events_step', ['step_id'], unique=False)

    op.create_table('supervisors',
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('host', sa.String(length=200), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('concurrency', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.Float(), nullable=False),
    sa.Column('heartbeat_at', sa.Float(), nullable=False),
    sa.Column('stopped_at', sa.Float(), nullable=True),
    sa.Column('batch_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('db_role', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervisors'))
    )
    op.create_table('menus',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('restaurant_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('source', sa.String(length=50), nullable=False),
    sa.Column('source_ref', sa.Text(), nullable=True),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['restaurant_id'], ['restaurants.id'], name=op.f('fk_menus_restaurant_id_restaurants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_menus'))
    )
    op.create_table('registration_jobs',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('batch_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('restaurant_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('organisation_id', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=True),
    sa.Column('config', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.Column('updated_at', sa.Float(), nullable=False),
    sa.Column('finished_at', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['registration_batch_jobs.id'], name=op.f('fk_registration_jobs_batch_id_registration_batch_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['restaurant_id'], ['restaurants.id'], name=op.f('fk_registration_jobs_restaurant_id_restaurants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_jobs')),
    sa.UniqueConstraint('batch_id', 'restaurant_id', name='uq_registration_jobs_batch_restaurant')
    )
    with op.batch_alter_table('registration_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_registration_jobs_batch_status', ['batch_id', 'status'], unique=False)
        batch_op.create_index('ix_registration_jobs_status', ['status'], unique=False)
        batch_op.create_index('uq_registration_jobs_active_restaurant', ['restaurant_id', 'active'], unique=True)

    op.create_table('company_search_candidates',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('job_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('restaurant_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('queries', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('name_results', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('address_results', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('candidates', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('selected_company_number', sa.String(length=50), nullable=True),
    sa.Column('searched_at', sa.Float(), nullable=False),
    sa.Column('selected_at', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['job_id'], ['registration_jobs.id'], name=op.f('fk_company_search_candidates_job_id_registration_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['restaurant_id'], ['restaurants.id'], name=op.f('fk_company_search_candidates_restaurant_id_restaurants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_search_candidates')),
    sa.UniqueConstraint('job_id', name='uq_company_search_candidates_job')
    )
    op.create_table('menu_categories',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('menu_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['menu_id'], ['menus.id'], name=op.f('fk_menu_categories_menu_id_menus'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_menu_categories'))
    )
    op.create_table('option_sets',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('menu_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('display_name', sa.String(length=300), nullable=True),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('multiple', sa.Boolean(), nullable=False),
    sa.Column('min_select', sa.Integer(), nullable=False),
    sa.Column('max_select', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['menu_id'], ['menus.id'], name=op.f('fk_option_sets_menu_id_menus'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_option_sets'))
    )
    op.create_table('registration_job_steps',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('job_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('batch_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('organisation_id', sa.String(length=100), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('uses', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('needs', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('after', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('when', sa.Text(), nullable=True),
    sa.Column('critical', sa.Boolean(), nullable=False),
    sa.Column('params', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('resources', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('timeout', sa.Float(), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('recoveries', sa.Integer(), server_default='0', nullable=False),
    sa.Column('next_attempt_at', sa.Float(), nullable=True),
    sa.Column('lease_owner', sa.String(length=100), nullable=True),
    sa.Column('lease_expires_at', sa.Float(), nullable=True),
    sa.Column('started_at', sa.Float(), nullable=True),
    sa.Column('finished_at', sa.Float(), nullable=True),
    sa.Column('result', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('request', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('limited', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['registration_jobs.id'], name=op.f('fk_registration_job_steps_job_id_registration_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_job_steps')),
    sa.UniqueConstraint('job_id', 'key', name='uq_registration_job_steps_job_key')
    )
    with op.batch_alter_table('registration_job_steps', schema=None) as batch_op:
        batch_op.create_index('ix_registration_job_steps_batch', ['batch_id', 'status'], unique=False)
        batch_op.create_index('ix_registration_job_steps_claim', ['next_attempt_at', 'id'], unique=False)
        batch_op.create_index('ix_registration_job_steps_claim_batch', ['batch_id', 'next_attempt_at', 'id'], unique=False)
        batch_op.create_index('ix_registration_job_steps_lease', ['lease_owner'], unique=False)
        batch_op.create_index('ix_registration_job_steps_running', ['lease_expires_at'], unique=False)

    op.create_table('menu_items',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('menu_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('category_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('price', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('item_type', sa.String(length=50), server_default='standard', nullable=False),
    sa.Column('tags', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['menu_categories.id'], name=op.f('fk_menu_items_category_id_menu_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['menu_id'], ['menus.id'], name=op.f('fk_menu_items_menu_id_menus'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_menu_items'))
    )
    op.create_table('option_set_options',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('option_set_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('price', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['option_set_id'], ['option_sets.id'], name=op.f('fk_option_set_options_option_set_id_option_sets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_option_set_options'))
    )
    op.create_table('item_images',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('source_url', sa.Text(), nullable=False),
    sa.Column('cdn_id', sa.String(length=100), nullable=True),
    sa.Column('cdn_url', sa.Text(), nullable=True),
    sa.Column('cdn_filename', sa.String(length=200), nullable=True),
    sa.Column('cdn_token', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['menu_items.id'], name=op.f('fk_item_images_item_id_menu_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_images'))
    )
    op.create_table('menu_item_option_sets',
    sa.Column('item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('option_set_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['menu_items.id'], name=op.f('fk_menu_item_option_sets_item_id_menu_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['option_set_id'], ['option_sets.id'], name=op.f('fk_menu_item_option_sets_option_set_id_option_sets'), ondelete='CASCADE'),
    sa.UniqueConstraint('item_id', 'option_set_id', name='uq_menu_item_option_sets_pair')
    )

    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


RLS_POLICIES = {'registration_batch_jobs': 'organisation_id IN (SELECT organisation_id FROM organisation_roles WHERE role_name = current_user)', 'registration_jobs': 'organisation_id IN (SELECT organisation_id FROM organisation_roles WHERE role_name = current_user)', 'registration_job_steps': 'organisation_id IN (SELECT organisation_id FROM organisation_roles WHERE role_name = current_user)', 'step_events': 'organisation_id IN (SELECT organisation_id FROM organisation_roles WHERE role_name = current_user)', 'decisions': 'organisation_id IN (SELECT organisation_id FROM organisation_roles WHERE role_name = current_user)', 'restaurants': 'organisation_id IN (SELECT organisation_id FROM organisation_roles WHERE role_name = current_user)', 'rate_limits': 'organisation_id IN (SELECT organisation_id FROM organisation_roles WHERE role_name = current_user)', 'menus': 'restaurant_id IN (SELECT id FROM restaurants)', 'menu_categories': 'menu_id IN (SELECT id FROM menus)', 'menu_items': 'menu_id IN (SELECT id FROM menus)', 'item_images': 'item_id IN (SELECT id FROM menu_items)', 'option_sets': 'menu_id IN (SELECT id FROM menus)', 'option_set_options': 'option_set_id IN (SELECT id FROM option_sets)', 'menu_item_option_sets': 'item_id IN (SELECT id FROM menu_items) AND option_set_id IN (SELECT id FROM option_sets)', 'company_search_candidates': 'job_id IN (SELECT id FROM registration_jobs)', 'artifacts': 'job_id IN (SELECT id FROM registration_jobs)', 'supervisors': 'db_role = current_user', 'organisation_roles': 'role_name = current_user'}


def _enable_row_level_security() -> None:
    """Policies keyed on current_user, forced on every table (regctl.db.migrate, docs/security.md)."""
    bind = op.get_bind()
    owner = bind.dialect.identifier_preparer.quote(bind.exec_driver_sql("SELECT current_user").scalar())
    op.execute("ALTER TABLE supervisors ALTER COLUMN db_role SET DEFAULT current_user")
    for table, member in RLS_POLICIES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {table}_owner ON {table} TO {owner} USING (true) WITH CHECK (true)")
        op.execute(f"CREATE POLICY {table}_member ON {table} USING ({member}) WITH CHECK ({member})")
    # any role may see which supervisors are alive (host, pid, heartbeat); only its own it may change
    op.execute("CREATE POLICY supervisors_seen ON supervisors FOR SELECT USING (true)")


def downgrade() -> None:
    op.drop_table('menu_item_option_sets')
    op.drop_table('item_images')
    op.drop_table('option_set_options')
    op.drop_table('menu_items')
    with op.batch_alter_table('registration_job_steps', schema=None) as batch_op:
        batch_op.drop_index('ix_registration_job_steps_running')
        batch_op.drop_index('ix_registration_job_steps_lease')
        batch_op.drop_index('ix_registration_job_steps_claim_batch')
        batch_op.drop_index('ix_registration_job_steps_claim')
        batch_op.drop_index('ix_registration_job_steps_batch')

    op.drop_table('registration_job_steps')
    op.drop_table('option_sets')
    op.drop_table('menu_categories')
    op.drop_table('company_search_candidates')
    with op.batch_alter_table('registration_jobs', schema=None) as batch_op:
        batch_op.drop_index('uq_registration_jobs_active_restaurant')
        batch_op.drop_index('ix_registration_jobs_status')
        batch_op.drop_index('ix_registration_jobs_batch_status')

    op.drop_table('registration_jobs')
    op.drop_table('menus')
    op.drop_table('supervisors')
    with op.batch_alter_table('step_events', schema=None) as batch_op:
        batch_op.drop_index('ix_step_events_step')
        batch_op.drop_index('ix_step_events_batch')

    op.drop_table('step_events')
    op.drop_table('restaurants')
    op.drop_table('registration_batch_jobs')
    op.drop_table('rate_limits')
    op.drop_table('organisation_roles')
    op.drop_table('decisions')
    with op.batch_alter_table('artifacts', schema=None) as batch_op:
        batch_op.drop_index('ix_artifacts_job')

    op.drop_table('artifacts')
