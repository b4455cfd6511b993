"""Previews that were never applied expire: an 'expired' state, the day it happened, and a file
that may be gone (its content is deleted when the preview expires).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

WITH_EXPIRED = "state IN ('previewed', 'applied', 'undone', 'expired')"
WITHOUT_EXPIRED = "state IN ('previewed', 'applied', 'undone')"


def upgrade():
    with op.batch_alter_table('import_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expired_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column('content', existing_type=sa.LargeBinary(), nullable=True)
        batch_op.drop_constraint(op.f('ck_import_record_state'), type_='check')
        batch_op.create_check_constraint(op.f('ck_import_record_state'), WITH_EXPIRED)


def downgrade():
    # An expired preview has no file left to go back to: it is dropped.
    op.execute("DELETE FROM import_record WHERE state = 'expired'")
    with op.batch_alter_table('import_record', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_import_record_state'), type_='check')
        batch_op.create_check_constraint(op.f('ck_import_record_state'), WITHOUT_EXPIRED)
        batch_op.alter_column('content', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column('expired_at')
