"""A programme made before the gate followed Lancashire's rule as written keeps its two
one-course training criteria until a programme manager opts in, in one audited step."""

from __future__ import annotations

from sqlalchemy import select

from programme.extensions import db
from programme.models import Course, GateCriterion, GateException
from programme.services.readiness import evaluation, gate_criteria, gate_exceptions
from programme.services.readiness.rule_as_written import offer, use_rule_as_written
from programme.services.training import catalogue
from tests.builders import (
    attend,
    create_locality,
    create_programme,
    create_staff,
    create_team,
    create_user,
)
from tests.conftest import TODAY
from tests.queries import audit_events_for

OLD_KEYS = [
    "adult_specialists_recruited",
    "trained_mi",
    "trained_fs_workshops",
    "gate_milestones_done",
]


def old_programme(slug: str = "lancs"):
    """A programme as the migration leaves one made before: four standard criteria, each
    training criterion naming one course."""
    programme = create_programme(slug=slug)
    both = next(c for c in gate_criteria.criteria(programme) if c.key == "trained_mi_and_fs")
    db.session.delete(both)
    db.session.flush()
    for position, (key, course, label) in enumerate(
        [
            ("trained_mi", "mi", "Relevant staff trained in Motivational Interviewing"),
            ("trained_fs_workshops", "fs_workshops", "Relevant staff trained in the workshops"),
        ],
        start=1,
    ):
        db.session.add(
            GateCriterion(
                programme_id=programme.id,
                key=key,
                label=label,
                kind="trained",
                threshold=70,
                position=position,
                standard=True,
                courses=[course],
            )
        )
        catalogue.get_course(programme, course).criterion = key
    milestones = next(
        c for c in gate_criteria.criteria(programme) if c.key == "gate_milestones_done"
    )
    milestones.standard, milestones.position = True, 3
    milestones.source = milestones.source_reason = None  # rows made before 0008 have none
    db.session.commit()
    return programme


def keys(programme) -> list[str]:
    return [c.key for c in gate_criteria.criteria(programme)]


def criterion(programme, key: str) -> GateCriterion:
    return next(c for c in gate_criteria.criteria(programme) if c.key == key)


def complete(programme, key: str, people) -> None:
    course = catalogue.get_course(programme, key)
    for module in course.modules:
        if module.required:
            attend(course, module.number, people)


def test_a_new_programme_has_nothing_to_opt_into(app):
    programme = create_programme(slug="new")

    assert offer(programme) is None
    assert use_rule_as_written(programme, None) is None
    assert keys(programme) == [
        "adult_specialists_recruited",
        "trained_mi_and_fs",
        "gate_milestones_done",
    ]


def test_an_existing_programme_keeps_its_two_shares_until_it_opts_in(app):
    programme = old_programme()
    team = create_team(create_locality(programme))
    people = [create_staff(team) for _ in range(10)]
    complete(programme, "mi", people[:8])  # 80%
    complete(programme, "fs_workshops", people[2:10])  # 80%, but only 60% did both

    found = evaluation.evaluate_locality(team.locality, TODAY)

    assert keys(programme) == OLD_KEYS
    assert [r.met for r in found.results[1:3]] == [True, True]
    rule = offer(programme)
    assert [c.key for c in rule.replaced] == ["trained_mi", "trained_fs_workshops"]
    assert [c.key for c in rule.made_removable] == ["gate_milestones_done"]

    use_rule_as_written(programme, create_user("programme_manager"))

    assert keys(programme) == [
        "adult_specialists_recruited",
        "trained_mi_and_fs",
        "gate_milestones_done",
    ]
    both = criterion(programme, "trained_mi_and_fs")
    assert (both.courses, both.threshold, both.position, both.standard) == (
        ["mi", "fs_workshops"],
        70,
        1,
        True,
    )
    assert not criterion(programme, "gate_milestones_done").standard
    trained = evaluation.evaluate_locality(team.locality, TODAY).results[1]
    assert (trained.share.numerator, trained.share.denominator, trained.met) == (6, 10, False)
    assert {c.criterion for c in db.session.scalars(select(Course))} == {"trained_mi_and_fs"}
    assert offer(programme) is None  # once applied, the offer is gone


def test_the_criteria_the_opt_in_leaves_say_where_they_come_from(app):
    programme = old_programme()

    use_rule_as_written(programme, create_user("programme_manager"))

    both = criterion(programme, "trained_mi_and_fs")
    milestones = criterion(programme, "gate_milestones_done")
    assert both.source == "Lancashire scrutiny update, March 2021"
    assert (milestones.source, milestones.source_reason.startswith("This tracker's addition")) == (
        "assumption",
        True,
    )


def test_the_opt_in_is_audited(app):
    programme = old_programme()
    manager = create_user("programme_manager")

    use_rule_as_written(programme, manager)

    [event] = audit_events_for("gate_criterion", criterion(programme, "trained_mi_and_fs").id)
    assert event.actor_id == manager.id
    assert event.summary.startswith("Used the rule as written:")
    assert event.before == {"criteria": ["trained_mi", "trained_fs_workshops"]}
    assert event.after["criteria"] == ["trained_mi_and_fs"]
    assert event.after["removable"] == ["gate_milestones_done"]


def test_matching_exceptions_carry_over_and_others_are_dropped_and_said_so(app):
    programme = old_programme()
    waived, held, odd = (create_locality(programme, name=n) for n in ("Alpha", "Beta", "Gamma"))
    mi, fs = criterion(programme, "trained_mi"), criterion(programme, "trained_fs_workshops")
    for one in (mi, fs):
        gate_exceptions.set_exception(waived, one, "Trained in 2024", None, waived=True)
        gate_exceptions.set_exception(held, one, "Shared trainers", None, threshold=50)
    gate_exceptions.set_exception(odd, mi, "MI came late", None, threshold=40)

    rule = offer(programme)
    assert [c.text for c in rule.carried] == [
        "Alpha stays excused: Trained in 2024",
        "Beta stays held to 50%: Shared trainers",
    ]
    assert [d.text for d in rule.dropped] == [
        "Gamma's exception to “Relevant staff trained in Motivational Interviewing”"
    ]

    use_rule_as_written(programme, None)

    kept = {
        (e.locality_id, e.waived, e.threshold, e.reason)
        for e in db.session.scalars(select(GateException))
    }
    assert kept == {
        (waived.id, True, None, "Trained in 2024"),
        (held.id, False, 50, "Shared trainers"),
    }
    assert evaluation.evaluate_locality(waived, TODAY).results[1].met
    dropped = [e for e in audit_events_for("gate_criterion", mi.id) if e.locality_id == odd.id][-1]
    assert dropped.action == "delete" and "was dropped" in dropped.summary
