"""Where defaults come from: a source (and the reason for an assumption) on timeline template
items, courses, their cost and their module titles, and gate criteria; and Lancashire's 6-month "Social work
recruitment under way; JDs agreed" added to programmes' Lancashire templates.

Rows from before this revision keep no source (pages say "no source recorded"). The new template
item is added to each programme's "lancashire" template that lacks it, after "Adult specialist
recruitment under way"; localities get the milestone only when the template is applied again.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

SOURCED_TABLES = ('timeline_template_item', 'course', 'gate_criterion')
LANCASHIRE = 'Lancashire scrutiny update, March 2021'
WORKSTREAM = 'Workforce and recruitment'
AFTER_TITLE = 'Adult specialist recruitment under way'
NEW_ITEM = {
    'workstream': WORKSTREAM,
    'title': 'Social work recruitment under way; JDs agreed',
    'description': (
        'Job descriptions for the social work posts are agreed and adverts are out, so the teams '
        'are full by the time they are established.'
    ),
    'offset_amount': 6,
    'offset_unit': 'months',
    'gate_critical': False,
    'source': LANCASHIRE,
}


def upgrade():
    for table in SOURCED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('source', sa.String(length=300), nullable=True))
            batch_op.add_column(sa.Column('source_reason', sa.Text(), nullable=True))
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cost_source', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('cost_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('modules_source', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('modules_reason', sa.Text(), nullable=True))
    _add_social_work_recruitment()


def _add_social_work_recruitment():
    connection = op.get_bind()
    templates = connection.execute(
        sa.text("SELECT id FROM timeline_template WHERE key = 'lancashire'")
    ).scalars().all()
    for template_id in templates:
        items = connection.execute(
            sa.text(
                'SELECT id, position, workstream, title FROM timeline_template_item '
                'WHERE template_id = :template ORDER BY position, id'
            ),
            {'template': template_id},
        ).all()
        if any(row.workstream == WORKSTREAM and row.title == NEW_ITEM['title'] for row in items):
            continue
        after = [row for row in items if row.title == AFTER_TITLE]
        position = after[0].position + 1 if after else max((r.position for r in items), default=-1) + 1
        connection.execute(
            sa.text(
                'UPDATE timeline_template_item SET position = position + 1 '
                'WHERE template_id = :template AND position >= :position'
            ),
            {'template': template_id, 'position': position},
        )
        connection.execute(
            sa.text(
                'INSERT INTO timeline_template_item (template_id, position, workstream, title, '
                'description, offset_amount, offset_unit, gate_critical, source) VALUES '
                '(:template, :position, :workstream, :title, :description, :offset_amount, '
                ':offset_unit, :gate_critical, :source)'
            ),
            {'template': template_id, 'position': position, **NEW_ITEM},
        )


def downgrade():
    # The added template items stay: milestones may have been made from them.
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.drop_column('modules_reason')
        batch_op.drop_column('modules_source')
        batch_op.drop_column('cost_reason')
        batch_op.drop_column('cost_source')
    for table in reversed(SOURCED_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('source_reason')
            batch_op.drop_column('source')
