"""The fact loaders: a locality's posts, staff, training, milestones and gate settings as plain
values, in the same number of queries for one small locality as for several large ones."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from programme.domain.readiness import (
    CourseFacts,
    LocalityException,
    LocalityFacts,
    MilestoneFacts,
    SignOff,
)
from programme.domain.recruitment import PostFacts
from programme.domain.training import Attended, StaffFacts
from programme.extensions import db
from programme.models import Locality, PostStatusChange
from programme.services import facts, teams_served
from programme.services.readiness import gate_criteria, gate_exceptions, sign_offs
from programme.services.readiness.gate_criteria import NewCriterion
from programme.services.training import catalogue, enrolment
from tests.builders import (
    attend,
    create_locality,
    create_milestone,
    create_post,
    create_programme,
    create_session,
    create_staff,
    create_team,
    create_user,
)
from tests.conftest import TODAY

LAST_MONTH = TODAY - timedelta(days=30)
NEXT_WEEK = TODAY + timedelta(days=7)


def criterion(programme, key: str):
    return next(c for c in gate_criteria.criteria(programme) if c.key == key)


def a_busy_locality(programme, name: str, teams: int = 1, staff: int = 1, posts: int = 1):
    """A locality with posts (one with a history), staff half trained in MI module 1 and the
    rest booked on module 2, milestones, an exception and a signed-off check."""
    locality = create_locality(programme, name=name, slug=name.lower())
    mi = catalogue.get_course(programme, "mi")
    people = []
    for number in range(teams):
        team = create_team(locality, name=f"{name} team {number}")
        for post in range(posts):
            create_post(team, status="in_post", reference=f"{name}-{number}-{post}")
        people += [create_staff(team, name=f"{name} person {n}") for n in range(staff)]
    attend(mi, 1, people[: len(people) // 2 or 1], on=LAST_MONTH)
    booked = create_session(mi, 2, NEXT_WEEK)
    enrolment.enrol(booked, [person.id for person in people], None)
    create_milestone(locality, gate_critical=True, status="done", completed_on=LAST_MONTH)
    create_milestone(locality, title=f"{name} ICT ready")
    gate_exceptions.set_exception(
        locality, criterion(programme, "trained_mi_and_fs"), "Shared service", None, threshold=40
    )
    return locality


def test_a_locality_s_facts_are_the_plain_values_its_gate_is_decided_on(app):
    programme = create_programme(slug="somerset")
    signer = create_user("programme_manager", name="Sue Signer")
    check = gate_criteria.add_criterion(
        programme, NewCriterion("manual_check", "Estates ready", signer_email=signer.email), None
    )
    locality = create_locality(programme, name="Bridgwater", go_live=date(2027, 4, 6))
    team = create_team(locality, name="FS Team 1")
    post = create_post(team, status="in_post", reference="DA-1")
    db.session.add(PostStatusChange(post_id=post.id, status="in_post", changed_on=LAST_MONTH))
    ann = create_staff(team, name="Ann Lee", start_date=date(2024, 1, 8))
    ben = create_staff(team, name="Ben Ode", leaving_date=date(2027, 2, 1))
    mi = catalogue.get_course(programme, "mi")
    attend(mi, 1, [ann], on=LAST_MONTH)
    attend(mi, 2, [ben], status="absent", on=LAST_MONTH)
    later = create_session(mi, 3, NEXT_WEEK)
    enrolment.enrol(later, [ann.id], None)
    milestone = create_milestone(
        locality, title="Launch event", gate_critical=True, due=date(2027, 3, 1)
    )
    gate_exceptions.set_exception(
        locality, criterion(programme, "trained_mi_and_fs"), "Shared service", None, threshold=40
    )
    sign_offs.sign_off(locality, check, signer, TODAY)
    criteria = gate_criteria.criteria(programme)

    found = facts.load(programme, [locality], criteria, TODAY)

    roles = frozenset(role.id for role in mi.roles)
    assert found == {
        locality.id: LocalityFacts(
            go_live=date(2027, 4, 6),
            posts=(
                PostFacts(
                    "in_post",
                    True,
                    False,
                    None,
                    ((LAST_MONTH, "in_post"),),
                    post.id,
                    "DA worker (victims/survivors), FS Team 1 (DA-1)",
                ),
            ),
            recruited=programme.recruited,
            staff=(
                StaffFacts(ann.id, ann.role_id, date(2024, 1, 8), None, "Ann Lee, FS Team 1"),
                StaffFacts(
                    ben.id, ben.role_id, date(2020, 1, 6), date(2027, 2, 1), "Ben Ode, FS Team 1"
                ),
            ),
            courses={
                "mi": CourseFacts(
                    mi.name,
                    catalogue.course_rule(mi),
                    roles,
                    (
                        Attended(ann.id, 1, "present", LAST_MONTH),
                        Attended(ben.id, 2, "absent", LAST_MONTH),
                    ),
                    (Attended(ann.id, 3, "present", NEXT_WEEK),),
                ),
                "fs_workshops": found[locality.id].courses["fs_workshops"],
            },
            milestones=(
                MilestoneFacts(
                    milestone.id,
                    "Launch event",
                    milestone.workstream_id,
                    "not_started",
                    True,
                    None,
                    date(2027, 3, 1),
                ),
            ),
            sign_offs={check.key: SignOff("Sue Signer", TODAY)},
            exceptions={"trained_mi_and_fs": LocalityException("Shared service", 40, False)},
        )
    }
    workshops = found[locality.id].courses["fs_workshops"]
    assert (workshops.attended, workshops.booked) == ((), ())


def test_a_locality_with_nothing_yet_has_empty_facts(app):
    programme = create_programme(slug="somerset")
    locality = create_locality(programme, go_live=date(2027, 4, 6))

    found = facts.load(programme, [locality], gate_criteria.criteria(programme), TODAY)

    empty = found[locality.id]
    assert (empty.posts, empty.staff, empty.milestones) == ((), (), ())
    assert (empty.sign_offs, empty.exceptions) == ({}, {})
    assert set(empty.courses) == {"mi", "fs_workshops"}


def test_loading_takes_the_same_queries_for_one_small_locality_as_for_several_large_ones(
    app, count_queries
):
    small = create_programme("Small", "small")
    large = create_programme("Large", "large")
    one = [a_busy_locality(small, "Alone")]
    several = [a_busy_locality(large, f"Busy{n}", teams=3, staff=4, posts=3) for n in range(4)]

    def queries(programme, localities) -> int:
        db.session.expire_all()
        criteria = gate_criteria.criteria(programme)
        localities = [db.session.get(Locality, locality.id) for locality in localities]
        with count_queries() as counter:
            found = facts.load(programme, localities, criteria, TODAY)
            assert all(f.staff and f.posts and f.milestones for f in found.values())
        return counter.count

    assert queries(small, one) == queries(large, several)


def test_each_locality_sees_only_its_own_people_places_and_settings(app):
    programme = create_programme(slug="somerset")
    north, south = a_busy_locality(programme, "North"), a_busy_locality(programme, "South")

    found = facts.load(programme, [north, south], gate_criteria.criteria(programme), TODAY)

    for locality in (north, south):
        mine = found[locality.id]
        assert {person.label for person in mine.staff} == {
            f"{locality.name} person 0, {locality.name} team 0"
        }
        staff_ids = {person.id for person in mine.staff}
        course = mine.courses["mi"]
        assert {a.staff_id for a in course.attended + course.booked} == staff_ids
        assert [m.title for m in mine.milestones][-1] == f"{locality.name} ICT ready"
        assert mine.exceptions == {
            "trained_mi_and_fs": LocalityException("Shared service", 40, False)
        }


def test_attendance_of_gives_recorded_attendance_by_course_for_the_people_asked_about(app):
    programme = create_programme(slug="somerset")
    team = create_team(create_locality(programme))
    ann, ben = create_staff(team), create_staff(team)
    mi = catalogue.get_course(programme, "mi")
    attend(mi, 1, [ann, ben], on=LAST_MONTH)
    enrolment.enrol(create_session(mi, 2, NEXT_WEEK), [ann.id], None)  # not recorded: left out

    everyone = facts.attendance_of(programme)
    only_ann = facts.attendance_of(programme, [ann.id])

    assert {a.staff_id for a in everyone[mi.id]} == {ann.id, ben.id}
    assert only_ann == {mi.id: [Attended(ann.id, 1, "present", LAST_MONTH)]}


def test_staff_facts_of_loaded_records_match_the_loaded_facts_but_the_label(app):
    programme = create_programme(slug="somerset")
    locality = create_locality(programme)
    member = create_staff(create_team(locality, name="FS Team 1"), name="Ann Lee")

    [loaded] = facts.staff_of([locality.id])[locality.id]

    assert facts.staff_facts([member]) == [
        StaffFacts(loaded.id, loaded.role_id, loaded.start_date, loaded.leaving_date)
    ]
    assert loaded.label == "Ann Lee, FS Team 1"


def test_a_team_serving_other_localities_counts_in_each_in_the_same_number_of_queries(
    app, count_queries
):
    programme = create_programme(slug="somerset")
    home, west, east = (a_busy_locality(programme, name) for name in ("Home", "West", "East"))
    county = create_team(home, name="County psychology", serves_all=True)
    create_post(county, "psychologist", status="in_post", reference="PSY-1")
    create_staff(county, "psychologist", name="Dr Hale")
    shared = create_team(west, name="Shared DA workers")
    teams_served.set_served(shared, None, serves_all=False, slugs=["east"])
    create_post(shared, status="in_post", reference="DA-S")
    create_staff(shared, "da_victims", name="Sam Shared")
    criteria = gate_criteria.criteria(programme)

    def queries(localities) -> int:
        db.session.expire_all()
        localities = [db.session.get(Locality, locality.id) for locality in localities]
        with count_queries() as counter:
            facts.load(programme, localities, criteria, TODAY)
        return counter.count

    found = facts.load(programme, [home, west, east], criteria, TODAY)

    posts = {
        locality.name: {p.label for p in found[locality.id].posts}
        for locality in (home, west, east)
    }
    staff = {
        locality.name: {p.label for p in found[locality.id].staff}
        for locality in (home, west, east)
    }
    assert {
        name: "Psychologist, County psychology (PSY-1)" in labels for name, labels in posts.items()
    } == dict.fromkeys(("Home", "West", "East"), True)
    assert {name: any("DA-S" in label for label in labels) for name, labels in posts.items()} == {
        "Home": False,
        "West": True,
        "East": True,
    }
    assert {name: "Sam Shared, Shared DA workers" in labels for name, labels in staff.items()} == {
        "Home": False,
        "West": True,
        "East": True,
    }
    assert all("Dr Hale, County psychology" in labels for labels in staff.values())
    assert queries([home]) == queries([home, west, east])


def test_facts_from_the_programme_s_places_read_once_are_the_facts_loaded_alone(app):
    """The programme workbook reads every place once, for the gate and its Training sheet: each
    locality must get the same attendance and bookings, a shared team's people's included."""
    programme = create_programme(slug="somerset")
    home, west, east = (a_busy_locality(programme, name, staff=3) for name in ("Home", "W", "E"))
    county = create_team(home, name="County psychology", serves_all=True)
    shared = create_team(west, name="Shared DA workers")
    teams_served.set_served(shared, None, serves_all=False, slugs=["e"])
    people = [create_staff(county, "psychologist"), create_staff(shared, "da_victims")]
    mi = catalogue.get_course(programme, "mi")
    attend(mi, 3, people, on=LAST_MONTH)
    ids = [person.id for person in people]
    enrolment.enrol(
        create_session(mi, 2, NEXT_WEEK + timedelta(days=1)), ids, None, check_rules=False
    )
    enrolment.enrol(
        create_session(mi, 1, LAST_MONTH), ids[:1], None, check_rules=False
    )  # past, not marked
    criteria, localities = gate_criteria.criteria(programme), [home, west, east]

    alone = facts.load(programme, localities, criteria, TODAY)
    shared_read = facts.load(programme, localities, criteria, TODAY, facts.places_of(programme))

    def in_order(found):  # a query's rows come in no promised order
        return {
            locality_id: {
                key: (
                    course.name,
                    course.rule,
                    course.roles,
                    *map(sorted, (course.attended, course.booked)),
                )
                for key, course in found[locality_id].courses.items()
            }
            for locality_id in found
        }

    assert in_order(shared_read) == in_order(alone)
    assert any(course.booked for f in alone.values() for course in f.courses.values())
    assert {key: replace(f, courses={}) for key, f in shared_read.items()} == {
        key: replace(f, courses={}) for key, f in alone.items()
    }
