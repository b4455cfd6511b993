"""What the generator needs to know of a programme's configuration, and the id counters."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RoleInfo:
    id: int
    key: str
    adult_specialist: bool
    agency: str


@dataclass(frozen=True)
class EstablishmentLine:
    """One line of the team make-up (Lancashire's): `count` posts of a role."""

    role_key: str
    count: int
    fte: float
    agency: str | None


@dataclass(frozen=True)
class CourseInfo:
    id: int
    key: str
    capacity: int
    session_cost_pence: int
    # (module id, number) of each required module, in order.
    modules: tuple[tuple[int, int], ...]
    role_ids: frozenset[int]


@dataclass(frozen=True)
class TemplateItemInfo:
    id: int
    workstream_id: int
    title: str
    description: str
    offset_amount: int
    offset_unit: str
    gate_critical: bool
    stands_for: str | None


@dataclass(frozen=True)
class CriterionInfo:
    key: str
    label: str
    kind: str
    threshold: int


@dataclass(frozen=True)
class ProgrammeConfig:
    id: int
    slug: str
    roles: dict[str, RoleInfo]
    establishment: tuple[EstablishmentLine, ...]
    courses: tuple[CourseInfo, ...]
    template_items: tuple[TemplateItemInfo, ...]
    criteria: tuple[CriterionInfo, ...]


@dataclass
class IdSequence:
    """The next free id of each table: rows carry their ids, so batches need no RETURNING."""

    next_ids: dict[str, int] = field(default_factory=dict)

    def take(self, table: str) -> int:
        value = self.next_ids.get(table, 1)
        self.next_ids[table] = value + 1
        return value
