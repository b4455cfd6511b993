"""A deterministic synthetic dataset of N programmes for benchmarks (issue 18, `generate-scale`).

Plain Python, no Flask: from a programme's configuration (its roles, establishment, courses,
timeline template and gate criteria, as `programmes create` installed them), a number and a seed,
`programme_rows` returns every row to insert, table by table, with explicit primary keys so the
service can insert them in large batches. Same seed, same rows.
"""

from programme.domain.scale.config import (
    CourseInfo,
    CriterionInfo,
    EstablishmentLine,
    IdSequence,
    ProgrammeConfig,
    RoleInfo,
    TemplateItemInfo,
)
from programme.domain.scale.programme_rows import TABLE_ORDER, programme_rows

__all__ = [
    "TABLE_ORDER",
    "CourseInfo",
    "CriterionInfo",
    "EstablishmentLine",
    "IdSequence",
    "ProgrammeConfig",
    "RoleInfo",
    "TemplateItemInfo",
    "programme_rows",
]
