"""What a programme's go-live gate asks: the kinds of criterion, a criterion's definition, and
the rules every kind shares (thresholds, training keys). Evaluating them for a locality is
`readiness.py`'s job."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from programme.domain.provenance import Provenance
from programme.domain.recruitment import PIPELINE, PostStatus, SeedError


class CriterionKind(StrEnum):
    RECRUITED = "adult_specialists_recruited"
    TRAINED = "trained"  # relevant staff who completed every course the criterion names
    GATE_MILESTONES = "gate_milestones"  # the locality's gate-critical milestones done
    MILESTONE = "milestone"  # one named milestone done
    WORKSTREAM = "workstream_milestones"  # a share of one workstream's milestones done
    MANUAL_CHECK = "manual_check"  # signed off by a named person

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    CriterionKind.RECRUITED: "Adult specialist posts recruited",
    CriterionKind.TRAINED: "Relevant staff trained",
    CriterionKind.GATE_MILESTONES: "Gate-critical milestones done",
    CriterionKind.MILESTONE: "A named milestone done",
    CriterionKind.WORKSTREAM: "A share of a workstream's milestones done",
    CriterionKind.MANUAL_CHECK: "A check signed off by a named person",
}
# The kinds a programme manager may add; the others come with the programme. A training criterion
# may be added for any course or set of courses (say one-course `trained_mi`).
ADDABLE_KINDS = (
    CriterionKind.TRAINED,
    CriterionKind.MILESTONE,
    CriterionKind.WORKSTREAM,
    CriterionKind.MANUAL_CHECK,
)
# Done or not: counted 1 of 1 when met, so their threshold is always 100% (a lower one would make
# an unsigned check "met"); a locality can only be excused from them.
ALL_OR_NOTHING = (CriterionKind.MILESTONE, CriterionKind.MANUAL_CHECK)
# A sign-off has no date to project from.
NOT_FORECAST = (CriterionKind.MANUAL_CHECK,)
# Steps after which a post has an offer out: with a start date, it is a known future event.
OFFER_MADE = PIPELINE[PIPELINE.index(PostStatus.OFFERED) :]


@dataclass(frozen=True)
class Criterion:
    """One line of a programme's gate. A criterion that is all-or-nothing (a named milestone, a
    manual check) counts 1 of 1 when met, so it shares the threshold machinery."""

    key: str
    label: str
    kind: CriterionKind
    threshold: int  # whole percent, 0-100
    milestone_title: str | None = None  # MILESTONE
    workstream_id: int | None = None  # WORKSTREAM
    workstream_name: str | None = None
    signer: str | None = None  # MANUAL_CHECK: who must sign it off
    courses: tuple[str, ...] = ()  # TRAINED: the keys of the courses a person must complete
    removable: bool = False  # a default a programme may remove (this tracker's own additions)
    provenance: Provenance | None = None  # where a default criterion comes from


def trained_key(course_keys: Iterable[str]) -> str:
    """The key a training criterion takes from its courses: `trained_mi`, or
    `trained_mi_and_fs_workshops` for two."""
    return "trained_" + "_and_".join(course_keys)


def check_threshold(threshold: int, source: str = "threshold") -> None:
    if not 0 <= threshold <= 100:
        raise SeedError(f"{source}: a threshold is a whole percentage from 0 to 100.")
