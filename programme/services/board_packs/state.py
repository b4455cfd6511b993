"""The state a board pack keeps (see `programme/domain/pack_changes.py`): each locality's gate
criteria, milestones, posts, people trained and go-live decisions on a day, loaded through the
same loaders as the gate (`readiness_of`, `services/facts.py`), in a fixed number of queries
however many localities."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select

from programme.clock import zone
from programme.domain.formatting import local
from programme.domain.pack_changes import empty_state
from programme.domain.timeline import is_overdue
from programme.domain.training import Completion, completions
from programme.extensions import db
from programme.models import GoLiveDecision, Locality, Post, Programme, Role
from programme.services import facts
from programme.services.readiness.evaluation import readiness_of
from programme.services.training import catalogue


def programme_localities(programme: Programme) -> list[Locality]:
    return list(
        db.session.scalars(
            select(Locality)
            .where(Locality.programme_id == programme.id)
            .order_by(Locality.name, Locality.id)
        )
    )


def capture(programme: Programme, as_of: date) -> dict[str, Any]:
    """Every locality's state on `as_of`, as plain JSON."""
    state = empty_state(as_of)
    localities = programme_localities(programme)
    if not localities:
        return state
    _criteria, results, found = readiness_of(programme, localities, as_of)
    ids = [locality.id for locality in localities]
    posts = _posts(programme)
    trained = _trained(programme, as_of)
    decisions = _decisions(ids)
    for locality in localities:
        known = found[locality.id]
        state["localities"][str(locality.id)] = {
            "name": locality.name,
            "criteria": {
                result.key: {
                    "label": result.label,
                    "numerator": result.share.numerator,
                    "denominator": result.share.denominator,
                    "threshold": result.threshold,
                    "met": result.met,
                }
                for result in results[locality.id].results
            },
            "milestones": {
                str(m.id): {
                    "title": m.title,
                    "due": m.due.isoformat() if m.due else None,
                    "status": m.status,
                    "completed_on": m.completed_on.isoformat() if m.completed_on else None,
                    "overdue": is_overdue(m.due, m.status, as_of),
                }
                for m in known.milestones
            },
            "posts": {
                str(post.id): {
                    **posts.get(post.id, {"reference": None, "role": "", "holder": ""}),
                    "label": post.label,
                    "filled": post.recruited_on(known.recruited, as_of),
                }
                for post in known.posts
            },
            "trained": {
                str(person.id): {
                    "name": person.label,
                    "courses": trained.get(person.id, []),
                }
                for person in known.staff
            },
            "decisions": decisions[locality.id],
        }
    return state


def _posts(programme: Programme) -> dict[int, dict[str, Any]]:
    """Each post's reference, role and holder (the facts carry a label, not these). One query,
    by programme: a list of every post's id would outgrow a statement's parameters."""
    return {
        row.id: {"reference": row.reference, "role": row.role, "holder": row.holder_name or ""}
        for row in db.session.execute(
            select(Post.id, Post.reference, Post.holder_name, Role.name.label("role"))
            .join(Role, Role.id == Post.role_id)
            .where(Post.programme_id == programme.id)
        )
    }


def _trained(programme: Programme, as_of: date) -> dict[int, list[str]]:
    """The courses each person had completed by `as_of`, in the catalogue's order. Four
    queries (the courses with their modules and roles, and the attendance)."""
    attended = facts.attendance_of(programme)
    done: dict[int, list[str]] = defaultdict(list)
    for course in catalogue.list_courses(programme):
        rule = catalogue.course_rule(course)
        for staff_id, completion in completions(attended.get(course.id, []), rule, as_of).items():
            if completion == Completion.COMPLETE:
                done[staff_id].append(course.name)
    return done


def _decisions(locality_ids: list[int]) -> dict[int, dict[str, dict[str, Any]]]:
    """Every go-live decision of the localities, made or rescinded. One query."""
    found: dict[int, dict[str, dict[str, Any]]] = {key: {} for key in locality_ids}
    here = zone()
    for decision in db.session.scalars(
        select(GoLiveDecision)
        .where(GoLiveDecision.locality_id.in_(locality_ids))
        .order_by(GoLiveDecision.decided_at, GoLiveDecision.id)
    ):
        rescinded = decision.rescinded_at
        found[decision.locality_id][str(decision.id)] = {
            "by": decision.decided_by_name,
            "on": local(decision.decided_at, here).date().isoformat(),
            "rescinded": rescinded is not None,
            "rescinded_by": decision.rescinded_by_name,
            "rescinded_on": local(rescinded, here).date().isoformat() if rescinded else None,
        }
    return found
