"""The trainers' week: sessions that can be changed and cancelled, calendar messages with their
.ics attachments, and each person's private calendar feed.

- training_session gains `cancelled_at` and `cancel_reason` (a cancelled session stays in the
  schedule), `sequence` (the iCalendar SEQUENCE its invitations carry, raised by each
  reschedule) and `version` (two people editing one session: the second save is refused).
- outbox_message gains `attachments` (a list of {filename, content_type, content}) and the kind
  'calendar' (an invitation, update or cancellation of a training session).
- calendar_feed: one secret feed address per user; only the token's SHA-256 is kept.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 00:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

OLD_KINDS = "kind IN ('digest', 'invitation', 'password_reset')"
NEW_KINDS = "kind IN ('digest', 'invitation', 'password_reset', 'calendar')"


def upgrade():
    with op.batch_alter_table('training_session') as batch:
        batch.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('cancel_reason', sa.Text(), nullable=True))
        batch.add_column(
            sa.Column('sequence', sa.Integer(), nullable=False, server_default='0')
        )
        batch.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    with op.batch_alter_table('outbox_message') as batch:
        batch.add_column(sa.Column('attachments', sa.JSON(), nullable=True))
        batch.drop_constraint(op.f('ck_outbox_message_kind'), type_='check')
        batch.create_check_constraint(op.f('ck_outbox_message_kind'), NEW_KINDS)
    op.create_table(
        'calendar_feed',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_read_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['user_id'], ['user.id'], name=op.f('fk_calendar_feed_user_id_user'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feed')),
        sa.UniqueConstraint('user_id', name=op.f('uq_calendar_feed_user_id')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feed_token_hash')),
    )


def downgrade():
    op.drop_table('calendar_feed')
    op.execute("DELETE FROM outbox_message WHERE kind = 'calendar'")
    with op.batch_alter_table('outbox_message') as batch:
        batch.drop_constraint(op.f('ck_outbox_message_kind'), type_='check')
        batch.create_check_constraint(op.f('ck_outbox_message_kind'), OLD_KINDS)
        batch.drop_column('attachments')
    with op.batch_alter_table('training_session') as batch:
        batch.drop_column('version')
        batch.drop_column('sequence')
        batch.drop_column('cancel_reason')
        batch.drop_column('cancelled_at')
