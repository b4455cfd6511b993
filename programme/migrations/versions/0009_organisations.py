"""Partner organisations: a post is employed by an organisation of the programme, whose type is
the agency category the post used to hold; a person may name their employer.

Every programme gets one organisation for each agency its posts named, called after the agency's
label ("Council", "Mental health trust"), and each post points at its organisation; `post.agency`
goes. The labels are written here, not read from seed/roles.toml, so this migration means the same
thing whatever the seed file says later. A value that is not a known agency key becomes an
organisation of type "other" named after the value. Downgrading puts each post's agency back from
its organisation's type.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# seed/roles.toml's [agencies] as they were when organisations came in: key -> label.
LABELS = {
    'council': 'Council',
    'police': 'Police',
    'probation': 'Probation',
    'mental_health_trust': 'Mental health trust',
    'substance_misuse_provider': 'Substance misuse provider',
    'da_charity': 'Domestic abuse charity',
    'other': 'Other',
}


def upgrade():
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('names', sa.JSON(), nullable=False),
    sa.Column('agreement_signed_on', sa.Date(), nullable=True),
    sa.Column('contact', sa.String(length=200), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['import_record.id'], name=op.f('fk_organisation_import_id_import_record'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_organisation_programme_id_programme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('programme_id', 'name', name=op.f('uq_organisation_programme_id_name'))
    )
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_import_id'), ['import_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_programme_id'), ['programme_id'], unique=False)

    with op.batch_alter_table('staff_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_staff_member_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_staff_member_organisation_id_organisation'), 'organisation', ['organisation_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
    _organisations_from_agencies()
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_post_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_post_organisation_id_organisation'), 'organisation', ['organisation_id'], ['id'], ondelete='RESTRICT')
        batch_op.drop_column('agency')


def _organisations_from_agencies():
    connection = op.get_bind()
    organisation = sa.table(
        'organisation',
        sa.column('id', sa.Integer()),
        sa.column('programme_id', sa.Integer()),
        sa.column('name', sa.String()),
        sa.column('type', sa.String()),
        sa.column('names', sa.JSON()),
        sa.column('contact', sa.String()),
        sa.column('created_at', sa.DateTime(timezone=True)),
        sa.column('version', sa.Integer()),
    )
    used = connection.execute(
        sa.text('SELECT DISTINCT programme_id, agency FROM post ORDER BY programme_id, agency')
    ).all()
    for programme_id, agency in used:
        known = agency in LABELS
        name = LABELS[agency] if known else agency
        connection.execute(
            organisation.insert().values(
                programme_id=programme_id,
                name=name,
                type=agency if known else 'other',
                names=[],
                contact='',
                created_at=sa.func.current_timestamp(),
                version=1,
            )
        )
        organisation_id = connection.execute(
            sa.select(organisation.c.id).where(
                organisation.c.programme_id == programme_id, organisation.c.name == name
            )
        ).scalar_one()
        connection.execute(
            sa.text(
                'UPDATE post SET organisation_id = :organisation '
                'WHERE programme_id = :programme AND agency = :agency'
            ),
            {'organisation': organisation_id, 'programme': programme_id, 'agency': agency},
        )


def downgrade():
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agency', sa.String(length=40), nullable=True))
    op.get_bind().execute(
        sa.text(
            'UPDATE post SET agency = '
            '(SELECT type FROM organisation WHERE organisation.id = post.organisation_id)'
        )
    )
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.alter_column('agency', existing_type=sa.String(length=40), nullable=False)
        batch_op.drop_constraint(batch_op.f('fk_post_organisation_id_organisation'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_post_organisation_id'))
        batch_op.drop_column('organisation_id')

    with op.batch_alter_table('staff_member', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_staff_member_organisation_id_organisation'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_staff_member_organisation_id'))
        batch_op.drop_column('organisation_id')

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_programme_id'))
        batch_op.drop_index(batch_op.f('ix_organisation_import_id'))

    op.drop_table('organisation')
