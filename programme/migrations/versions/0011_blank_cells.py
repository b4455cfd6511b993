"""Imports remember the rows of a file that are not data, and whether blank cells clear values.

`import_record.skipped` lists the rows an import set aside as not data (a blank row, a total
row, a key, the header row again): the imports list and the preview show them. Imports made
before this revision list none.

`import_record.blank_cells_clear` is the user's choice for one import: whether a blank cell
clears the value a post or person holds (true) or leaves it alone (false, the default, and what
every earlier import is recorded as; earlier imports did clear).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('import_record', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('skipped', sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(
            sa.Column('blank_cells_clear', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table('import_record', schema=None) as batch_op:
        batch_op.alter_column('skipped', server_default=None)
        batch_op.alter_column('blank_cells_clear', server_default=None)


def downgrade():
    with op.batch_alter_table('import_record', schema=None) as batch_op:
        batch_op.drop_column('blank_cells_clear')
        batch_op.drop_column('skipped')
