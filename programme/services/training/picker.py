"""Whom the people picker shows for a session: the programme's staff in post and not enrolled,
grouped by team, by default only those who still need the session's module, narrowed by a text
filter. Reads a fixed number of queries however many people there are."""

from __future__ import annotations

from dataclasses import dataclass, field

from programme.models import StaffMember, Team, TrainingSession
from programme.services.training.enrolment import enrolment_candidates
from programme.services.training.module_progress import needing_module


@dataclass
class TeamGroup:
    team: Team
    people: list[StaffMember] = field(default_factory=list)

    @property
    def legend(self) -> str:
        return f"{self.team.name}, {self.team.locality.name}"


@dataclass
class Picker:
    candidates: list[StaffMember]  # everyone who could be chosen, whatever the filters
    groups: list[TeamGroup]  # those shown, by team
    everyone: bool  # showing everyone in post, not only those who still need the module
    query: str
    ticked: set[int]
    needing: set[int]
    hidden: int  # candidates the filters leave out

    @property
    def shown(self) -> list[StaffMember]:
        return [person for group in self.groups for person in group.people]

    def team_members(self, team_id: int) -> list[int]:
        return [p.id for g in self.groups if g.team.id == team_id for p in g.people]


def _matches(person: StaffMember, words: list[str]) -> bool:
    text = f"{person.name} {person.team.name} {person.role.name}".lower()
    return all(word in text for word in words)


def picker(
    session: TrainingSession,
    *,
    everyone: bool = False,
    query: str = "",
    person_id: int | None = None,
    ticked: set[int] | None = None,
) -> Picker:
    """The picker for a session. `person_id` (the matrix's "Book" link) is ticked and shown
    whatever the filters say, as long as they could be enrolled at all."""
    candidates = enrolment_candidates(session)
    needing = needing_module(session, candidates)
    words = query.lower().split()
    ticked = set(ticked or ())
    if person_id is not None:
        ticked.add(person_id)
    groups: dict[int, TeamGroup] = {}
    for person in candidates:
        shown = (everyone or person.id in needing) and _matches(person, words)
        if shown or person.id in ticked:
            groups.setdefault(person.team.id, TeamGroup(person.team)).people.append(person)
    shown_count = sum(len(group.people) for group in groups.values())
    return Picker(
        candidates=candidates,
        groups=list(groups.values()),
        everyone=everyone,
        query=query.strip(),
        ticked=ticked,
        needing=needing,
        hidden=len(candidates) - shown_count,
    )
