"""Remembered value mappings: names a spreadsheet uses for a locality, team or status, and the
choices made in an import's preview.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'value_alias',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=False),
        sa.Column('field', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('target', sa.String(length=80), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_value_alias_created_by_id_user'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_value_alias_programme_id_programme'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_value_alias')),
        sa.UniqueConstraint('programme_id', 'field', 'name', name=op.f('uq_value_alias_programme_id_field_name')),
    )
    with op.batch_alter_table('value_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_value_alias_programme_id'), ['programme_id'], unique=False)
    with op.batch_alter_table('import_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('value_mappings', sa.JSON(), nullable=True))
    op.execute("UPDATE import_record SET value_mappings = '{}'")
    with op.batch_alter_table('import_record', schema=None) as batch_op:
        batch_op.alter_column('value_mappings', existing_type=sa.JSON(), nullable=False)


def downgrade():
    with op.batch_alter_table('import_record', schema=None) as batch_op:
        batch_op.drop_column('value_mappings')
    with op.batch_alter_table('value_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_value_alias_programme_id'))
    op.drop_table('value_alias')
