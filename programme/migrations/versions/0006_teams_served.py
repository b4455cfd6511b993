"""Teams that serve several localities (a team may serve all of its programme's localities, or
named ones), and the day a role's adult-specialist flag last changed.

Existing roles keep their flags: a programme created before the psychologist stopped being an
adult specialist by default keeps what it has until a programme manager changes it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('team_served_locality',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('locality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['locality_id'], ['locality.id'], name=op.f('fk_team_served_locality_locality_id_locality'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_team_served_locality_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', 'locality_id', name=op.f('pk_team_served_locality'))
    )
    # Existing teams serve only their own locality; the default fills them in, then goes.
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.add_column(sa.Column('serves_all', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.alter_column('serves_all', server_default=None)
    with op.batch_alter_table('role', schema=None) as batch_op:
        batch_op.add_column(sa.Column('adult_specialist_changed_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('role', schema=None) as batch_op:
        batch_op.drop_column('adult_specialist_changed_on')
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_column('serves_all')
    op.drop_table('team_served_locality')
