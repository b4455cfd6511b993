"""The launch milestone that stands for the go-live decision: a milestone (and the template item
it comes from) may be marked as standing for the board's decision, so the decision completes it
and a person cannot.

Existing programmes: the Lancashire item "Go-live decision by the operational board" and the
milestones made from it are marked; a locality whose decision is in force has that milestone
done on the decision's date.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 20:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

DECISION_TITLE = 'Go-live decision by the operational board'


def upgrade():
    with op.batch_alter_table('timeline_template_item') as batch:
        batch.add_column(sa.Column('stands_for', sa.String(length=30), nullable=True))
    with op.batch_alter_table('milestone') as batch:
        batch.add_column(sa.Column('stands_for', sa.String(length=30), nullable=True))
    op.execute(
        sa.text(
            "UPDATE timeline_template_item SET stands_for = 'go_live_decision' WHERE title = :title"
        ).bindparams(title=DECISION_TITLE)
    )
    op.execute(
        sa.text(
            "UPDATE milestone SET stands_for = 'go_live_decision' WHERE template_item_id IN "
            "(SELECT id FROM timeline_template_item WHERE stands_for = 'go_live_decision')"
        )
    )


def downgrade():
    with op.batch_alter_table('milestone') as batch:
        batch.drop_column('stands_for')
    with op.batch_alter_table('timeline_template_item') as batch:
        batch.drop_column('stands_for')
