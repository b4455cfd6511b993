"""Board packs: the programme workbook as issued for a board meeting, with the state the next
pack compares with.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 15:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'board_pack',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=False),
        sa.Column('meeting_date', sa.Date(), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), nullable=True),
        sa.Column('issued_by_name', sa.String(length=200), nullable=False),
        sa.Column('previous_id', sa.Integer(), nullable=True),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('workbook', sa.LargeBinary(), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('state', sa.JSON(), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_board_pack_programme_id_programme'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['issued_by_id'], ['user.id'], name=op.f('fk_board_pack_issued_by_id_user'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['previous_id'], ['board_pack.id'], name=op.f('fk_board_pack_previous_id_board_pack'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_board_pack')),
        sa.UniqueConstraint('programme_id', 'meeting_date', name=op.f('uq_board_pack_programme_id_meeting_date')),
    )
    with op.batch_alter_table('board_pack', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_board_pack_programme_id'), ['programme_id'], unique=False)


def downgrade():
    with op.batch_alter_table('board_pack', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_board_pack_programme_id'))
    op.drop_table('board_pack')
