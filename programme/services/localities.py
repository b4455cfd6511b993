"""Localities: creating them, finding them, and moving their go-live date."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from programme.domain.audit_changes import fields_in_words
from programme.domain.formatting import long_date
from programme.domain.planning_window import go_live_problem
from programme.domain.team_kinds import TEAM_KINDS
from programme.domain.timeline import Offset, due_date
from programme.extensions import db
from programme.models import AuditEvent, Locality, Milestone, MilestoneStatus, Programme, Team, User
from programme.services import audit, teams_served
from programme.services.errors import Conflict, NeedsConfirmation, NotFound, ServiceError
from programme.services.programmes import checked_slug, get_programme
from programme.services.recruitment import establishments
from programme.services.transaction import transactional


def get_locality(programme_slug: str, slug: str) -> Locality:
    programme = get_programme(programme_slug)
    locality = db.session.scalar(
        select(Locality).where(Locality.programme_id == programme.id, Locality.slug == slug)
    )
    if locality is None:
        raise NotFound(f"{programme.name} has no locality with the slug {slug!r}.")
    return locality


def find_locality(slug: str, programme_slug: str | None = None) -> Locality:
    """Find a locality by slug; the programme is needed only when two programmes share the slug."""
    if programme_slug:
        return get_locality(programme_slug, slug)
    matches = list(db.session.scalars(select(Locality).where(Locality.slug == slug)))
    if not matches:
        raise NotFound(f"There is no locality with the slug {slug!r}.")
    if len(matches) > 1:
        names = ", ".join(sorted(m.programme.slug for m in matches))
        raise ServiceError(
            f"The slug {slug!r} is used in several programmes ({names}); name one with --programme."
        )
    return matches[0]


def _validate_wave(wave: int | None) -> None:
    if wave is not None and not 1 <= wave <= 99:
        raise ServiceError("Wave must be a whole number from 1 to 99.", "wave")


def _past_date_check(go_live: date, today: date, confirmed: bool) -> None:
    problem = go_live_problem(go_live)
    if problem:
        raise ServiceError(problem, "go_live")
    if go_live < today and not confirmed:
        raise NeedsConfirmation(
            f"The go-live date {long_date(go_live)} is in the past.",
            "confirm_past_go_live",
        )


@transactional
def create_locality(
    programme: Programme,
    name: str,
    go_live: date,
    actor: User | None,
    *,
    today: date,
    wave: int | None = None,
    slug: str | None = None,
    confirm_past_go_live: bool = False,
) -> Locality:
    name = name.strip()
    if not name:
        raise ServiceError("Enter the locality's name.", "name")
    slug = checked_slug(slug, name)
    _validate_wave(wave)
    if db.session.scalar(
        select(Locality.id).where(Locality.programme_id == programme.id, Locality.slug == slug)
    ):
        raise Conflict(f"{programme.name} already has a locality with the slug {slug!r}.", "slug")
    _past_date_check(go_live, today, confirm_past_go_live)
    locality = Locality(programme=programme, name=name, slug=slug, wave=wave, go_live=go_live)
    db.session.add(locality)
    db.session.flush()
    audit.record(
        actor,
        "create",
        "locality",
        locality.id,
        f"Added locality {name}",
        programme_id=programme.id,
        locality_id=locality.id,
        after={"name": name, "slug": slug, "wave": wave, "go_live": go_live},
    )
    return locality


@dataclass
class GoLiveMove:
    """What moving a go-live date did to the locality's milestones."""

    moved: list[tuple[Milestone, date | None, date]] = field(default_factory=list)
    left_alone: list[tuple[Milestone, str]] = field(default_factory=list)
    # The audit entry of the change that moved the date: the summary page is found by it.
    event: AuditEvent | None = None

    @property
    def now_after_go_live(self) -> list[Milestone]:
        """Open milestones left alone that must precede go-live but now fall after it."""
        return [
            milestone
            for milestone, _reason in self.left_alone
            if not milestone.is_done
            and milestone.must_precede_go_live
            and milestone.due
            and milestone.locality
            and milestone.due > milestone.locality.go_live
        ]


def reason_left_alone(milestone: Milestone) -> str | None:
    if milestone.status == MilestoneStatus.DONE:
        return "already done"
    if milestone.due_set_manually:
        return "due date set by hand"
    if milestone.offset_amount is None or milestone.offset_unit is None:
        return "fixed date, not counted from go-live"
    return None


def _move_milestones(locality: Locality, actor: User | None) -> GoLiveMove:
    result = GoLiveMove()
    for milestone in sorted(locality.milestones, key=lambda m: (m.due or date.max, m.id)):
        reason = reason_left_alone(milestone)
        if reason:
            result.left_alone.append((milestone, reason))
            continue
        new_due = due_date(locality.go_live, Offset(milestone.offset_amount, milestone.offset_unit))
        if new_due != milestone.due:
            result.moved.append((milestone, milestone.due, new_due))
            audit.record(
                actor,
                "move_due",
                "milestone",
                milestone.id,
                f"Moved “{milestone.title}” with the go-live date",
                programme_id=locality.programme_id,
                locality_id=locality.id,
                before={"due": milestone.due},
                after={"due": new_due},
            )
            milestone.due = new_due
    return result


@transactional
def update_locality(
    locality: Locality,
    actor: User | None,
    *,
    today: date,
    name: str,
    wave: int | None,
    go_live: date,
    confirm_past_go_live: bool = False,
) -> GoLiveMove:
    """Change a locality's details; a new go-live date moves its counted-back milestones."""
    name = name.strip()
    if not name:
        raise ServiceError("Enter the locality's name.", "name")
    _validate_wave(wave)
    if go_live != locality.go_live:
        _past_date_check(go_live, today, confirm_past_go_live)
    before = {"name": locality.name, "wave": locality.wave, "go_live": locality.go_live}
    after = {"name": name, "wave": wave, "go_live": go_live}
    old_before, new_after = audit.changed_fields(before, after)
    if not new_after:
        return GoLiveMove()
    locality.name, locality.wave, locality.go_live = name, wave, go_live
    event = audit.record(
        actor,
        "update",
        "locality",
        locality.id,
        f"Changed {name}: {fields_in_words('locality', new_after)}",
        programme_id=locality.programme_id,
        locality_id=locality.id,
        before=old_before,
        after=new_after,
    )
    if "go_live" in new_after:
        move = _move_milestones(locality, actor)
        move.event = event
        return move
    return GoLiveMove()


@transactional
def create_team(
    locality: Locality,
    name: str,
    actor: User | None,
    kind: str = "family_safeguarding",
    *,
    establishment: str | None = None,
    today: date | None = None,
    serves_all: bool = False,
    serves: Iterable[str] = (),
) -> Team:
    """Add a team; with an establishment template's key, its posts are created with it. A team
    serving other localities of the programme (`serves`, their slugs) or all of them counts
    toward each of them too."""
    name = name.strip()
    if not name:
        raise ServiceError("Enter the team's name.", "name")
    if kind not in TEAM_KINDS:
        raise ServiceError(f"Team kind must be one of {', '.join(TEAM_KINDS)}.", "kind")
    if db.session.scalar(select(Team.id).where(Team.locality_id == locality.id, Team.name == name)):
        raise Conflict(f"{locality.name} already has a team called {name!r}.", "name")
    team = Team(locality=locality, name=name, kind=kind)
    db.session.add(team)
    db.session.flush()
    audit.record(
        actor,
        "create",
        "team",
        team.id,
        f"Added team {name} to {locality.name}",
        programme_id=locality.programme_id,
        locality_id=locality.id,
        after={"name": name, "kind": kind},
    )
    if serves_all or serves:
        teams_served.set_served(team, actor, serves_all=serves_all, slugs=serves)
    if establishment:
        if today is None:
            raise ValueError("today is needed to date the new posts")
        establishments.apply_establishment(team, establishment, actor, today=today)
    return team
