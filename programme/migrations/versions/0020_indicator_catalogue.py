"""The outcome indicators catalogue for programmes made before it: each programme gains the
indicators of seed/indicators.toml it does not already have (by key or by name), after its own.

The rows are this migration's own copy of seed/indicators.toml as it was when it was written, so
later changes to the seed file do not change what this migration does.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 09:10:00.000000

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

INDICATORS = [
    {
        'key': 'children-looked-after',
        'name': 'Children looked after per 10,000 children',
        'unit': 'per_10000',
        'lower_is_better': True,
        'frequency': 'monthly',
        'group': 'outcomes',
        'description': 'Children in care at the end of the month, per 10,000 children in the locality. Bury expected a 30% fall.',
        'source': 'Bury cabinet report, 2022',
    },
    {
        'key': 'child-protection-plans',
        'name': 'Child protection plans per 10,000 children',
        'unit': 'per_10000',
        'lower_is_better': True,
        'frequency': 'monthly',
        'group': 'outcomes',
        'description': 'Children on a child protection plan at the end of the month, per 10,000 children. Bury expected a 45% fall; Hertfordshire saw 49%.',
        'source': 'Bury cabinet report, 2022',
    },
    {
        'key': 'children-in-need',
        'name': 'Children in need per 10,000 children',
        'unit': 'per_10000',
        'lower_is_better': True,
        'frequency': 'monthly',
        'group': 'outcomes',
        'description': 'Children in need at the end of the month, per 10,000 children.',
        'source': 'assumption: The sources name children in need among the measures but give no expected change; set your own target.',
    },
    {
        'key': 're-referrals',
        'name': 'Re-referrals within 12 months',
        'unit': 'percent',
        'lower_is_better': True,
        'frequency': 'quarterly',
        'group': 'outcomes',
        'description': 'Referrals in the quarter for a child referred in the 12 months before, as a share of all referrals. Somerset tracked it (20%).',
        'source': 'Somerset County Council report, 2020',
    },
    {
        'key': 'care-proceedings',
        'name': 'Care proceedings started',
        'unit': 'count',
        'lower_is_better': True,
        'frequency': 'quarterly',
        'group': 'outcomes',
        'description': 'Care proceedings issued in the quarter.',
        'source': "assumption: Councils' papers count care proceedings among the model's outcomes without one source for the measure; change it to your own.",
    },
    {
        'key': 'repeat-domestic-abuse-call-outs',
        'name': 'Repeat police domestic-abuse call-outs',
        'unit': 'count',
        'lower_is_better': True,
        'frequency': 'quarterly',
        'group': 'outcomes',
        'description': 'Repeat police call-outs for domestic abuse to families the teams work with, in the quarter. Bury expected 66% fewer.',
        'source': 'Bury cabinet report, 2022',
    },
    {
        'key': 'social-work-vacancies',
        'name': 'Social work vacancies',
        'unit': 'percent',
        'lower_is_better': True,
        'frequency': 'quarterly',
        'group': 'workforce',
        'description': 'Vacant social work posts as a share of the establishment at the end of the quarter. Somerset reported 18 vacancies.',
        'source': 'Somerset County Council report, 2020',
    },
    {
        'key': 'agency-share',
        'name': 'Agency social workers',
        'unit': 'percent',
        'lower_is_better': True,
        'frequency': 'quarterly',
        'group': 'workforce',
        'description': 'Agency social workers as a share of social workers in post at the end of the quarter. Bury reported about 40%.',
        'source': 'Bury cabinet report, 2022',
    },
    {
        'key': 'turnover',
        'name': 'Social worker turnover',
        'unit': 'percent',
        'lower_is_better': True,
        'frequency': 'quarterly',
        'group': 'workforce',
        'description': 'Social workers who left in the last 12 months as a share of those in post. Somerset reported 11%.',
        'source': 'Somerset County Council report, 2020',
    },
    {
        'key': 'permanent-share',
        'name': 'Permanent social workers',
        'unit': 'percent',
        'lower_is_better': False,
        'frequency': 'quarterly',
        'group': 'workforce',
        'description': 'Permanent social workers as a share of social workers in post at the end of the quarter. Somerset reported 74%.',
        'source': 'Somerset County Council report, 2020',
    },
    {
        'key': 'average-caseload',
        'name': 'Average caseload',
        'unit': 'average',
        'lower_is_better': True,
        'frequency': 'quarterly',
        'group': 'workforce',
        'description': 'Children per social worker holding cases, on average, at the end of the quarter. Somerset reported 14.7.',
        'source': 'Somerset County Council report, 2020',
    },
]


def upgrade():
    connection = op.get_bind()
    now = datetime.now(timezone.utc)
    programmes = connection.execute(sa.text('SELECT id FROM programme ORDER BY id')).scalars().all()
    for programme_id in programmes:
        held = connection.execute(
            sa.text('SELECT key, name, position FROM indicator WHERE programme_id = :p'),
            {'p': programme_id},
        ).all()
        keys = {row.key for row in held}
        names = {row.name for row in held}
        position = max((row.position for row in held), default=-1) + 1
        for indicator in INDICATORS:
            if indicator['key'] in keys or indicator['name'] in names:
                continue
            connection.execute(
                sa.text(
                    'INSERT INTO indicator (programme_id, key, name, unit, lower_is_better, '
                    'frequency, "group", description, source, position, created_at, version) '
                    'VALUES (:programme_id, :key, :name, :unit, :lower_is_better, :frequency, '
                    ':group, :description, :source, :position, :created_at, 1)'
                ),
                {
                    'programme_id': programme_id,
                    'position': position,
                    'created_at': now,
                    **indicator,
                },
            )
            position += 1


def downgrade():
    # The catalogue's rows stay: values may have been recorded against them, and 0019's
    # downgrade drops the tables anyway.
    pass
