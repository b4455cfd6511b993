"""A training criterion names the courses a person must complete: `gate_criterion.courses`, a list
of course keys. Existing programmes keep the gate they have: each of their training criteria names
the course that counted toward it until now (the first, by position, whose `criterion` is its key),
so nothing they measure changes; their gate page offers the rule as written.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_gate = sa.table(
    'gate_criterion',
    sa.column('id', sa.Integer),
    sa.column('programme_id', sa.Integer),
    sa.column('key', sa.String),
    sa.column('kind', sa.String),
    sa.column('courses', sa.JSON),
)
_course = sa.table(
    'course',
    sa.column('id', sa.Integer),
    sa.column('programme_id', sa.Integer),
    sa.column('key', sa.String),
    sa.column('criterion', sa.String),
    sa.column('position', sa.Integer),
)


def upgrade():
    with op.batch_alter_table('gate_criterion', schema=None) as batch_op:
        batch_op.add_column(sa.Column('courses', sa.JSON(), nullable=True))

    connection = op.get_bind()
    first_course = {}
    for programme_id, key, criterion in connection.execute(
        sa.select(_course.c.programme_id, _course.c.key, _course.c.criterion)
        .where(_course.c.criterion.is_not(None))
        .order_by(_course.c.position.desc(), _course.c.id.desc())  # the first one wins
    ):
        first_course[programme_id, criterion] = key
    for criterion_id, programme_id, key, kind in connection.execute(
        sa.select(_gate.c.id, _gate.c.programme_id, _gate.c.key, _gate.c.kind)
    ):
        course = first_course.get((programme_id, key)) if kind == 'trained' else None
        connection.execute(
            _gate.update()
            .where(_gate.c.id == criterion_id)
            .values(courses=[course] if course else [])
        )

    with op.batch_alter_table('gate_criterion', schema=None) as batch_op:
        batch_op.alter_column('courses', existing_type=sa.JSON(), nullable=False)


def downgrade():
    with op.batch_alter_table('gate_criterion', schema=None) as batch_op:
        batch_op.drop_column('courses')
