"""The facts a week's digests are built from, loaded once for everyone in a bounded number of
queries however many people, localities, posts or sessions there are (a few per programme).

Readiness, posts, staff and training come through `readiness.evaluation.readiness_of` (and so
`services/facts.py`), the sessions through the training schedule, the outcome indicators that
moved away from their target through the outcomes pages' rules (`services.outcomes.pages`,
`domain.outcomes`), so a digest says what the pages say. Each fact carries the absolute address
of its page (`app_url`), since the domain knows no URLs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import UTC, date, timedelta

from sqlalchemy import Date, and_, func, literal, select, union_all
from sqlalchemy.orm import aliased

from programme.clock import zone
from programme.domain import outcomes
from programme.domain.digest_items import (
    Baseline,
    DigestFacts,
    IndicatorMove,
    LocalityLinks,
    LocalityState,
    OwnedMilestone,
    PostPage,
    Reading,
    SessionFacts,
    Snapshot,
    due_soon_until,
)
from programme.domain.digest_outcomes import moves_away
from programme.domain.formatting import local
from programme.domain.timeline import MilestoneStatus
from programme.extensions import db
from programme.models import (
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Locality,
    Milestone,
    OutboxMessage,
    Post,
    Programme,
    ReadinessSnapshot,
    Workstream,
)
from programme.services.mail.compose import app_url
from programme.services.outcomes.pages import target_of_row
from programme.services.readiness.evaluation import readiness_of
from programme.services.training import schedule

# Days a person with no earlier digest has their readiness changes measured over.
FIRST_DIGEST_LOOKBACK = 7


def load(
    as_of: date,
    owner_ids: Collection[int],
    *,
    localities: bool,
    sessions: bool,
    posts: bool,
) -> DigestFacts:
    """The milestones of these owners due by the end of the 14-day window; with `localities`,
    every locality not live yet with its readiness on `as_of`; with `posts`, each of their
    posts' page and status date; with `sessions`, every session of those programmes with a
    trainer among `owner_ids`."""
    states: list[LocalityState] = []
    programmes: list[Programme] = []
    if localities or sessions:
        programmes = list(db.session.scalars(select(Programme).order_by(Programme.id)))
    if localities:
        states = _localities(programmes, as_of)
    return DigestFacts(
        milestones=tuple(_milestones(owner_ids, as_of)),
        localities=tuple(states),
        posts=_post_pages(programmes) if localities and posts else {},
        sessions=tuple(_sessions(programmes, owner_ids, as_of)) if sessions else (),
    )


def _milestones(owner_ids: Collection[int], as_of: date) -> list[OwnedMilestone]:
    """Milestones not done, owned by one of `owner_ids`, due on or before the window's last
    day (earlier ones are overdue). One query."""
    if not owner_ids:
        return []
    rows = db.session.execute(
        select(
            Milestone.id,
            Milestone.title,
            Milestone.status,
            Milestone.due,
            Milestone.owner_id,
            Locality.name.label("locality"),
            Programme.name.label("programme"),
            Programme.id.label("programme_id"),
        )
        .join(Workstream, Workstream.id == Milestone.workstream_id)
        .join(Programme, Programme.id == Workstream.programme_id)
        .outerjoin(Locality, Locality.id == Milestone.locality_id)
        .where(
            Milestone.owner_id.in_(list(owner_ids)),
            Milestone.status != MilestoneStatus.DONE.value,
            Milestone.due.is_not(None),
            Milestone.due <= due_soon_until(as_of),
        )
        .order_by(Milestone.due, Milestone.id)
    )
    return [
        OwnedMilestone(
            row.owner_id,
            row.title,
            row.locality or row.programme,
            row.status,
            row.due,
            app_url("milestones.edit", milestone_id=row.id),
            row.programme_id,
        )
        for row in rows
    ]


def _localities(programmes: list[Programme], as_of: date) -> list[LocalityState]:
    """Every locality not live yet, with the facts and readiness of its gate on `as_of`. Named
    with its programme when there are several. One query, and `readiness_of`'s per programme."""
    by_programme: dict[int, list[Locality]] = defaultdict(list)
    for locality in db.session.scalars(
        select(Locality).where(Locality.state != "live").order_by(Locality.go_live, Locality.name)
    ):
        by_programme[locality.programme_id].append(locality)
    several = len(by_programme) > 1
    states = []
    for programme in programmes:
        localities = by_programme.get(programme.id)
        if not localities:
            continue
        _criteria, results, facts = readiness_of(programme, localities, as_of)
        for locality in localities:
            where = {"programme_slug": programme.slug, "slug": locality.slug}
            states.append(
                LocalityState(
                    locality.id,
                    f"{locality.name} ({programme.name})" if several else locality.name,
                    locality.go_live,
                    facts[locality.id],
                    results[locality.id],
                    LocalityLinks(
                        app_url("readiness.locality", **where),
                        app_url("recruitment.locality", **where),
                        app_url("training.locality", **where),
                    ),
                    programme.id,
                )
            )
    return states


def _post_pages(programmes: Iterable[Programme]) -> dict[int, PostPage]:
    """Every post's page and the day its status was last set as the post keeps it (the day it
    was added, for a post never moved on). One query."""
    slugs = {programme.id: programme.slug for programme in programmes}
    if not slugs:
        return {}
    rows = db.session.execute(
        select(Post.id, Post.programme_id, Post.status_changed_on, Post.created_at).where(
            Post.programme_id.in_(list(slugs))
        )
    )
    return {
        row.id: PostPage(
            app_url("recruitment.post", programme_slug=slugs[row.programme_id], post_id=row.id),
            row.status_changed_on or local(row.created_at, zone()).date(),
        )
        for row in rows
    }


def _sessions(
    programmes: Iterable[Programme], trainer_ids: Collection[int], as_of: date
) -> list[SessionFacts]:
    """The sessions run by one of `trainer_ids`, with their places taken and whether their
    register was saved, as the programme's schedule of sessions has them; cancelled sessions are
    not run, so they are left out. Two queries a programme."""
    trainer_ids = set(trainer_ids)
    found = []
    for programme in programmes:
        sessions = schedule.schedule(programme, as_of)
        for summary in [*sessions.upcoming, *sessions.past]:
            session = summary.session
            if session.trainer_id not in trainer_ids or session.cancelled:
                continue
            found.append(
                SessionFacts(
                    session.id,
                    session.trainer_id,
                    f"{session.course.name}, module {session.module.number} "
                    f"({session.module.title})",
                    session.on,
                    summary.enrolled,
                    session.capacity,
                    session.register_saved_at is not None,
                    app_url(
                        "training.session", programme_slug=programme.slug, session_id=session.id
                    ),
                    programme.id,
                )
            )
    return found


# --- What readiness changes are measured from --------------------------------------------------


def baselines(
    as_of: date, week: str, user_ids: Collection[int], locality_ids: Collection[int]
) -> dict[int, Baseline]:
    """For each person, the day their previous digest went (the newest sent or stored before
    `week`) or, with none, a week before `as_of`; and each locality's snapshot of that day or
    the newest before it. Two queries, however many people and days."""
    if not user_ids:
        return {}
    days = {user_id: (as_of - timedelta(days=FIRST_DIGEST_LOOKBACK), None) for user_id in user_ids}
    for user_id, moment in db.session.execute(
        select(
            OutboxMessage.user_id,
            func.max(func.coalesce(OutboxMessage.sent_at, OutboxMessage.created_at)),
        )
        .where(
            OutboxMessage.user_id.in_(list(user_ids)),
            OutboxMessage.kind == "digest",
            OutboxMessage.status.in_(("sent", "stored")),
            OutboxMessage.dedupe_key < week,
        )
        .group_by(OutboxMessage.user_id)
    ):
        if moment is not None:
            moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
            days[user_id] = (local(moment, zone()).date(), moment)
    snapshots = _snapshots_on({day for day, _since in days.values()}, locality_ids)
    return {
        user_id: Baseline(day, since is not None, snapshots.get(day, {}), since)
        for user_id, (day, since) in days.items()
    }


def _snapshots_on(
    days: Collection[date], locality_ids: Collection[int]
) -> dict[date, dict[int, Snapshot]]:
    """For each day, each locality's snapshot taken that day or, with none, the newest before
    it. One query."""
    if not days or not locality_ids:
        return {}
    asked = union_all(*(select(literal(day, Date).label("day")) for day in sorted(days))).subquery()
    newest = (
        select(
            asked.c.day,
            ReadinessSnapshot.locality_id,
            func.max(ReadinessSnapshot.taken_on).label("taken_on"),
        )
        .join(ReadinessSnapshot, ReadinessSnapshot.taken_on <= asked.c.day)
        .where(ReadinessSnapshot.locality_id.in_(list(locality_ids)))
        .group_by(asked.c.day, ReadinessSnapshot.locality_id)
        .subquery()
    )
    found: dict[date, dict[int, Snapshot]] = defaultdict(dict)
    for day, snapshot in db.session.execute(
        select(newest.c.day, ReadinessSnapshot).join(
            newest,
            and_(
                ReadinessSnapshot.locality_id == newest.c.locality_id,
                ReadinessSnapshot.taken_on == newest.c.taken_on,
            ),
        )
    ):
        found[day][snapshot.locality_id] = Snapshot(
            snapshot.taken_on,
            {
                reading["key"]: Reading(
                    reading["actual"],
                    reading["threshold"],
                    reading["met"],
                    reading["numerator"],
                    reading["denominator"],
                )
                for reading in snapshot.criteria
            },
        )
    return found


# --- Outcome indicators that moved away from their target --------------------------------------


def indicator_moves(since: date) -> tuple[IndicatorMove, ...]:
    """Each locality's indicators whose newest value, recorded on or after `since` (in the
    programme's zone), is Moving away from the target while the value before it was not
    (`digest_outcomes.moves_away`), as the outcomes pages judge them. One query however many
    localities, indicators or values: each pair's two newest values."""
    ranked = select(
        IndicatorValue.id,
        func.row_number()
        .over(
            partition_by=(IndicatorValue.locality_id, IndicatorValue.indicator_id),
            order_by=IndicatorValue.period.desc(),
        )
        .label("rank"),
    ).subquery()
    value = aliased(IndicatorValue, name="newest_values")
    rows = db.session.execute(
        select(ranked.c.rank, value, Indicator, Locality, Programme, IndicatorTarget)
        .join(value, value.id == ranked.c.id)
        .join(Indicator, Indicator.id == value.indicator_id)
        .join(Locality, Locality.id == value.locality_id)
        .join(Programme, Programme.id == Indicator.programme_id)
        .outerjoin(
            IndicatorTarget,
            and_(
                IndicatorTarget.locality_id == value.locality_id,
                IndicatorTarget.indicator_id == value.indicator_id,
            ),
        )
        .where(ranked.c.rank <= 2)
        .order_by(value.locality_id, value.indicator_id, ranked.c.rank)
    ).all()
    several = len({row.Programme.id for row in rows}) > 1
    previous: dict[tuple[int, int], float] = {
        (row.newest_values.locality_id, row.newest_values.indicator_id): row.newest_values.value
        for row in rows
        if row.rank == 2
    }
    moves = []
    for row in rows:
        newest, indicator, locality, programme = (
            row.newest_values,
            row.Indicator,
            row.Locality,
            row.Programme,
        )
        recorded_at = newest.created_at
        recorded_at = recorded_at if recorded_at.tzinfo else recorded_at.replace(tzinfo=UTC)
        recorded_on = local(recorded_at, zone()).date()
        if row.rank != 1 or recorded_on < since:
            continue
        target = target_of_row(row.IndicatorTarget)
        before = previous.get((locality.id, indicator.id))
        latest_status = outcomes.status(newest.value, target, indicator.lower_is_better)
        before_status = (
            None if before is None else outcomes.status(before, target, indicator.lower_is_better)
        )
        if target is None or not moves_away(latest_status, before_status):
            continue
        page = app_url(
            "outcomes.indicator", programme_slug=programme.slug, indicator_key=indicator.key
        )
        moves.append(
            IndicatorMove(
                f"{locality.name} ({programme.name})" if several else locality.name,
                indicator.name,
                indicator.unit,
                newest.value,
                outcomes.period_label(newest.period, indicator.frequency),
                target.target_value,
                target.baseline,
                recorded_at,
                recorded_on,
                f"{page}#locality-{locality.slug}",
                programme.id,
            )
        )
    return tuple(moves)
