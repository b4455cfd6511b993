"""What training cost: the sessions held so far of each course, per cohort and per person
trained."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from programme.domain.recruitment import Share
from programme.domain.training import CourseCost, SessionCost, course_cost
from programme.extensions import db
from programme.models import Course, CourseModule, Programme, TrainingSession


def course_costs(
    programme: Programme, courses: Sequence[Course], trained: Sequence[Share], today: date
) -> list[CourseCost]:
    """Per course, what its sessions held by `today` cost, with `trained` (its share trained
    across the programme) giving the cost per person. A cancelled session cost nothing. One
    query."""
    sessions: dict[int, list[SessionCost]] = defaultdict(list)
    for course_id, number, on, cost in db.session.execute(
        select(
            TrainingSession.course_id,
            CourseModule.number,
            TrainingSession.on,
            TrainingSession.cost_pence,
        )
        .join(CourseModule, CourseModule.id == TrainingSession.module_id)
        .where(TrainingSession.programme_id == programme.id, TrainingSession.cancelled_at.is_(None))
    ):
        sessions[course_id].append(SessionCost(number, on, cost))
    return [
        course_cost(
            sessions[course.id],
            min((m.number for m in course.modules), default=1),
            share.numerator,
            today,
        )
        for course, share in zip(courses, trained, strict=True)
    ]
