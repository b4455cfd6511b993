"""Reading back a new programme's configuration as the plain values the generator takes."""

from __future__ import annotations

from sqlalchemy import select

from programme.domain.scale import (
    CourseInfo,
    CriterionInfo,
    EstablishmentLine,
    ProgrammeConfig,
    RoleInfo,
    TemplateItemInfo,
)
from programme.extensions import db
from programme.models import (
    Course,
    CourseModule,
    EstablishmentTemplate,
    EstablishmentTemplateLine,
    GateCriterion,
    Role,
    TimelineTemplate,
    TimelineTemplateItem,
    Workstream,
    course_role,
)
from programme.seed_files import DEFAULT_TIMELINE_KEY

# The standard team make-up (DOMAIN.md): Lancashire's eleven posts.
ESTABLISHMENT_KEY = "lancashire"


def programme_config(programme_id: int, slug: str) -> ProgrammeConfig:
    roles = {
        role.key: RoleInfo(role.id, role.key, role.adult_specialist, role.agency)
        for role in db.session.scalars(select(Role).where(Role.programme_id == programme_id))
    }
    by_id = {role.id: role.key for role in roles.values()}
    lines = db.session.execute(
        select(EstablishmentTemplateLine)
        .join(EstablishmentTemplate)
        .where(
            EstablishmentTemplate.programme_id == programme_id,
            EstablishmentTemplate.key == ESTABLISHMENT_KEY,
        )
        .order_by(EstablishmentTemplateLine.position)
    ).scalars()
    establishment = tuple(
        EstablishmentLine(by_id[line.role_id], line.count, line.fte, line.agency) for line in lines
    )
    return ProgrammeConfig(
        id=programme_id,
        slug=slug,
        roles=roles,
        establishment=establishment,
        courses=_courses(programme_id),
        template_items=_template_items(programme_id),
        criteria=tuple(
            CriterionInfo(c.key, c.label, c.kind, c.threshold)
            for c in db.session.scalars(
                select(GateCriterion)
                .where(GateCriterion.programme_id == programme_id)
                .order_by(GateCriterion.position, GateCriterion.id)
            )
        ),
    )


def _courses(programme_id: int) -> tuple[CourseInfo, ...]:
    courses = list(
        db.session.scalars(
            select(Course)
            .where(Course.programme_id == programme_id)
            .order_by(Course.position, Course.id)
        )
    )
    ids = [course.id for course in courses]
    modules = db.session.scalars(
        select(CourseModule).where(CourseModule.course_id.in_(ids)).order_by(CourseModule.number)
    ).all()
    roles = db.session.execute(
        select(course_role.c.course_id, course_role.c.role_id).where(
            course_role.c.course_id.in_(ids)
        )
    ).all()
    return tuple(
        CourseInfo(
            id=course.id,
            key=course.key,
            capacity=course.capacity,
            # As the schedule service shares a course's cost per cohort between its modules.
            session_cost_pence=course.cost_per_cohort_pence
            // max(sum(m.course_id == course.id for m in modules), 1),
            modules=tuple(
                (m.id, m.number) for m in modules if m.course_id == course.id and m.required
            ),
            role_ids=frozenset(role for owner, role in roles if owner == course.id),
        )
        for course in courses
    )


def _template_items(programme_id: int) -> tuple[TemplateItemInfo, ...]:
    workstreams = {
        name: workstream_id
        for name, workstream_id in db.session.execute(
            select(Workstream.name, Workstream.id).where(Workstream.programme_id == programme_id)
        )
    }
    items = db.session.scalars(
        select(TimelineTemplateItem)
        .join(TimelineTemplate)
        .where(
            TimelineTemplate.programme_id == programme_id,
            TimelineTemplate.key == DEFAULT_TIMELINE_KEY,
        )
        .order_by(TimelineTemplateItem.position, TimelineTemplateItem.id)
    )
    return tuple(
        TemplateItemInfo(
            id=item.id,
            workstream_id=workstreams[item.workstream],
            title=item.title,
            description=item.description,
            offset_amount=item.offset_amount,
            offset_unit=item.offset_unit,
            gate_critical=item.gate_critical,
            stands_for=item.stands_for,
        )
        for item in items
    )
