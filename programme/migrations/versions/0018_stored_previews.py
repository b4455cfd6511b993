"""Stored previews: an upload's rows are kept as read, so its preview is planned from them and
the file is not parsed again on every view (issue 17).

- import_record gains `parsed_rows` (JSON): the data rows and the blank rows among them, as read
  at upload; None for imports uploaded before, whose preview reads the file as it always did.
  Deleted with the file (retention and erasure).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 06:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('import_record') as batch:
        batch.add_column(sa.Column('parsed_rows', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('import_record') as batch:
        batch.drop_column('parsed_rows')
