"""Group supervision after go-live: the sessions each team holds, recorded, changed and removed,
and every live team's record of them with the red flag when it has held none for 4 weeks."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, func, select

from programme.domain import supervision as rules
from programme.domain.formatting import count, short_date
from programme.extensions import db
from programme.models import Locality, Programme, SupervisionSession, Team, User
from programme.services import audit
from programme.services.errors import NotFound, ServiceError
from programme.services.stale import flush_or_refuse, refuse_if_stale
from programme.services.transaction import transactional

STALE = (
    "Someone else changed or removed this session after you opened it. Nothing was saved: "
    "check the session as it is now."
)


def team_supervision(
    programme: Programme, today: date, locality: Locality | None = None
) -> list[rules.TeamSupervision]:
    """The programme's live Family Safeguarding teams (or one locality's), by locality and name,
    each with its sessions counted: one query whatever the number of localities and teams."""
    recent_from = rules.window_start(today)
    longer_from = rules.window_start(today, rules.LONG_DAYS)
    in_longer = and_(SupervisionSession.held_on >= longer_from, SupervisionSession.held_on <= today)
    query = (
        select(
            Team.id,
            Team.name,
            Team.kind,
            Locality.id,
            Locality.name,
            Locality.slug,
            Locality.state,
            Locality.go_live,
            func.max(SupervisionSession.held_on),
            func.count(case((SupervisionSession.held_on >= recent_from, 1))),
            func.count(case((in_longer, 1))),
            func.count(case((and_(in_longer, SupervisionSession.psychologist_present), 1))),
        )
        .join(Locality, Locality.id == Team.locality_id)
        .outerjoin(SupervisionSession, SupervisionSession.team_id == Team.id)
        .where(
            Locality.programme_id == programme.id,
            Locality.state == "live",
            Locality.go_live <= today,
            Team.kind == rules.SUPERVISED_KIND,
        )
        .group_by(Team.id, Locality.id)
        .order_by(Locality.wave, Locality.go_live, Locality.name, Team.name)
    )
    if locality is not None:
        query = query.where(Locality.id == locality.id)
    return [
        rules.team_supervision(tuple(row[0:3]), tuple(row[3:8]), tuple(row[8:12]), today)
        for row in db.session.execute(query)
    ]


def flagged_teams(locality: Locality, today: date) -> list[rules.TeamSupervision] | None:
    """The locality's live teams that have held no group supervision for 4 weeks; None while
    the locality is not live (nothing to flag yet)."""
    if not rules.is_live(locality.state, locality.go_live, today):
        return None
    return [row for row in team_supervision(locality.programme, today, locality) if row.flagged]


def get_team(programme: Programme, team_id: int) -> Team:
    team = db.session.get(Team, team_id)
    if team is None or team.locality.programme_id != programme.id:
        raise NotFound(f"{programme.name} has no team {team_id}.")
    return team


def team_row(team: Team, today: date) -> rules.TeamSupervision | None:
    """The team's counts and flag, or None when it is not a live Family Safeguarding team."""
    rows = team_supervision(team.locality.programme, today, team.locality)
    return next((row for row in rows if row.team_id == team.id), None)


def sessions_of(team: Team) -> list[SupervisionSession]:
    """The team's sessions, the latest first."""
    return list(
        db.session.scalars(
            select(SupervisionSession)
            .where(SupervisionSession.team_id == team.id)
            .order_by(SupervisionSession.held_on.desc(), SupervisionSession.id.desc())
        )
    )


def get_session(team: Team, session_id: int) -> SupervisionSession:
    found = db.session.get(SupervisionSession, session_id)
    if found is None or found.team_id != team.id:
        raise NotFound(f"{team.name} has no group supervision session {session_id}.")
    return found


def session_values(session: SupervisionSession) -> dict:
    return {
        "held_on": session.held_on,
        "families_discussed": session.families_discussed,
        "psychologist_present": session.psychologist_present,
        "actions": session.actions,
    }


def _checked(
    team: Team, today: date, held_on, families, psychologist_present, actions: str | None
) -> dict:
    if team.kind != rules.SUPERVISED_KIND:
        raise ServiceError(
            f"{team.name} is not a Family Safeguarding team: group supervision is recorded for "
            "the Family Safeguarding teams its workers join."
        )
    if problem := rules.held_on_problem(held_on, today):
        raise ServiceError(problem, "held_on")
    try:
        families = rules.read_families(families)
    except ValueError as error:
        raise ServiceError(str(error), "families_discussed") from None
    actions = (actions or "").strip()
    if len(actions) > rules.ACTIONS_LENGTH:
        raise ServiceError(
            f"The actions must be {rules.ACTIONS_LENGTH} characters or fewer.", "actions"
        )
    return {
        "held_on": held_on,
        "families_discussed": families,
        "psychologist_present": bool(psychologist_present),
        "actions": actions,
    }


def _describe(team: Team, held_on: date) -> str:
    return f"group supervision of {team.name} on {short_date(held_on)}"


def _audit(actor, action: str, session: SupervisionSession, summary: str, **change) -> None:
    team = session.team
    audit.record(
        actor,
        action,
        "supervision_session",
        session.id,
        summary,
        programme_id=team.locality.programme_id,
        locality_id=team.locality_id,
        **change,
    )


@transactional
def record_session(
    team: Team,
    actor: User | None,
    *,
    today: date,
    held_on: date | None,
    families_discussed,
    psychologist_present: bool,
    actions: str | None = "",
) -> SupervisionSession:
    values = _checked(team, today, held_on, families_discussed, psychologist_present, actions)
    session = SupervisionSession(
        team=team, recorded_by_id=actor.id if actor else None, version=1, **values
    )
    db.session.add(session)
    db.session.flush()
    _audit(
        actor,
        "record_supervision",
        session,
        f"Recorded {_describe(team, session.held_on)} "
        f"({count(session.families_discussed, 'family', 'families')} discussed)",
        after=values,
    )
    return session


@transactional
def update_session(
    session: SupervisionSession,
    actor: User | None,
    *,
    today: date,
    expected_version: int | None,
    held_on: date | None,
    families_discussed,
    psychologist_present: bool,
    actions: str | None = "",
) -> bool:
    """Change a session; False when nothing differed. StaleEdit when changed meanwhile."""
    refuse_if_stale(session, expected_version, STALE)
    values = _checked(
        session.team, today, held_on, families_discussed, psychologist_present, actions
    )
    before = session_values(session)
    changed = {name: value for name, value in values.items() if before[name] != value}
    if not changed:
        return False
    for name, value in changed.items():
        setattr(session, name, value)
    flush_or_refuse(STALE)
    _audit(
        actor,
        "change_supervision",
        session,
        f"Changed {_describe(session.team, session.held_on)}",
        before={name: before[name] for name in changed},
        after=changed,
    )
    return True


@transactional
def delete_session(
    session: SupervisionSession, actor: User | None, *, expected_version: int | None = None
) -> None:
    refuse_if_stale(session, expected_version, STALE)
    before = session_values(session)
    _audit(
        actor,
        "delete_supervision",
        session,
        f"Removed {_describe(session.team, session.held_on)}",
        before=before,
    )
    db.session.delete(session)
    flush_or_refuse(STALE)
