"""Access per programme, stronger sign-in and data protection.

- membership: a user's role in one programme. Every existing user who is not an administrator
  is given their current role in every existing programme, so nobody loses access on upgrade.
- user gains two-factor sign-in (`totp_secret`, `totp_enabled_at`, `totp_last_step`) and
  `erased_at`; recovery_code keeps the hashes of one-time recovery codes.
- staff_member gains `erased_at`; import_record gains `file_deleted_at` (an applied import's
  file and rows are deleted after IMPORT_FILE_DAYS, its counts kept).
- audit_event gains `channel` (web, cli, json, scheduler).
- security_event: sign-ins, failures, two-factor changes and refused requests.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 04:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

MEMBER_ROLES = "role IN ('programme_manager', 'board_member', 'hr_lead', 'trainer', 'viewer')"


def upgrade():
    op.create_table(
        'membership',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=30), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(MEMBER_ROLES, name=op.f('ck_membership_role')),
        sa.ForeignKeyConstraint(
            ['user_id'], ['user.id'], name=op.f('fk_membership_user_id_user'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['programme_id'], ['programme.id'],
            name=op.f('fk_membership_programme_id_programme'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_membership')),
        sa.UniqueConstraint('user_id', 'programme_id', name=op.f('uq_membership_user_id_programme_id')),
    )
    op.create_index(op.f('ix_membership_user_id'), 'membership', ['user_id'])
    op.create_index(op.f('ix_membership_programme_id'), 'membership', ['programme_id'])
    op.execute(
        "INSERT INTO membership (user_id, programme_id, role, created_at) "
        "SELECT u.id, p.id, u.role, CURRENT_TIMESTAMP FROM \"user\" u CROSS JOIN programme p "
        "WHERE u.role <> 'admin'"
    )

    with op.batch_alter_table('user') as batch:
        batch.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('totp_enabled_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('staff_member') as batch:
        batch.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('import_record') as batch:
        batch.add_column(sa.Column('file_deleted_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('audit_event') as batch:
        batch.add_column(
            sa.Column('channel', sa.String(length=20), nullable=False, server_default='web')
        )

    op.create_table(
        'recovery_code',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=255), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['user_id'], ['user.id'], name=op.f('fk_recovery_code_user_id_user'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_code')),
    )
    op.create_index(op.f('ix_recovery_code_user_id'), 'recovery_code', ['user_id'])
    op.create_table(
        'security_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('email', sa.String(length=254), nullable=True),
        sa.Column('address', sa.String(length=64), nullable=True),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('path', sa.String(length=300), nullable=True),
        sa.Column('detail', sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['user.id'], name=op.f('fk_security_event_user_id_user'),
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_security_event')),
    )
    op.create_index('ix_security_event_at', 'security_event', ['at'])
    op.create_index('ix_security_event_kind_at', 'security_event', ['kind', 'at'])
    op.create_index(op.f('ix_security_event_user_id'), 'security_event', ['user_id'])


def downgrade():
    op.drop_table('security_event')
    op.drop_table('recovery_code')
    with op.batch_alter_table('audit_event') as batch:
        batch.drop_column('channel')
    with op.batch_alter_table('import_record') as batch:
        batch.drop_column('file_deleted_at')
    with op.batch_alter_table('staff_member') as batch:
        batch.drop_column('erased_at')
    with op.batch_alter_table('user') as batch:
        for column in ('erased_at', 'totp_last_step', 'totp_enabled_at', 'totp_secret'):
            batch.drop_column(column)
    op.drop_table('membership')
