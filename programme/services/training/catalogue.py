"""The course catalogue: each programme's courses and their modules, from seed/courses.toml."""

from __future__ import annotations

from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from programme.domain.training import CourseRule, CourseSpec, load_courses
from programme.extensions import db
from programme.models import Course, CourseModule, Programme, Role
from programme.seed_files import COURSES_FILE
from programme.services.errors import NotFound


@cache
def default_courses() -> tuple[CourseSpec, ...]:
    return load_courses(COURSES_FILE)


def install_courses(programme: Programme) -> None:
    """Give a new programme the default courses; its role taxonomy must be installed first."""
    roles = {role.key: role for role in programme.roles}
    for position, spec in enumerate(default_courses()):
        course = Course(
            programme_id=programme.id,
            key=spec.key,
            name=spec.name,
            criterion=spec.criterion,
            cost_per_cohort_pence=spec.cost_per_cohort_pence,
            capacity=spec.capacity,
            counted=list(spec.counted),
            position=position,
            **_sources(spec),
            modules=[
                CourseModule(number=m.number, title=m.title, required=m.required)
                for m in spec.modules
            ],
            roles=[roles[key] for key in spec.roles if key in roles],
        )
        db.session.add(course)


def _sources(spec: CourseSpec) -> dict[str, str | None]:
    course, cost, modules = spec.provenance, spec.cost_provenance, spec.modules_provenance
    return {
        "source": course.source if course else None,
        "source_reason": course.reason if course else None,
        "cost_source": cost.source if cost else None,
        "cost_reason": cost.reason if cost else None,
        # The module titles are the course's own unless the seed says where they come from.
        "modules_source": (modules or course).source if (modules or course) else None,
        "modules_reason": (modules or course).reason if (modules or course) else None,
    }


def list_courses(programme: Programme) -> list[Course]:
    """The programme's courses in order, with their modules and roles: three queries."""
    return list(
        db.session.scalars(
            select(Course)
            .where(Course.programme_id == programme.id)
            .options(
                selectinload(Course.modules),
                # The programme's roles only, so the join does not read the instance's.
                selectinload(Course.roles.and_(Role.programme_id == programme.id)),
            )
            .order_by(Course.position, Course.id)
        )
    )


def get_course(programme: Programme, key: str) -> Course:
    course = db.session.scalar(
        select(Course).where(Course.programme_id == programme.id, Course.key == key)
    )
    if course is None:
        known = ", ".join(c.key for c in list_courses(programme)) or "none"
        raise NotFound(f"{programme.name} has no course {key!r} (known: {known}).", "course")
    return course


def course_rule(course: Course) -> CourseRule:
    required = frozenset(m.number for m in course.modules if m.required)
    return CourseRule(
        required or frozenset(m.number for m in course.modules), frozenset(course.counted)
    )
