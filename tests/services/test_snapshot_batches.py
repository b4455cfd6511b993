"""The daily snapshot reads many programmes' facts at once (`batch_facts`): what it stores must be
what each locality's own evaluation says, and its statements must not grow with the programmes
of a batch (issue 18)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from programme.extensions import db
from programme.models import Locality, Programme, ReadinessSnapshot
from programme.serialisers import criterion_document
from programme.services import teams_served
from programme.services.readiness import (
    evaluation,
    gate_criteria,
    gate_exceptions,
    sign_offs,
    snapshots,
)
from programme.services.readiness.gate_criteria import NewCriterion
from tests.builders import create_locality, create_staff, create_team, create_user
from tests.conftest import TODAY
from tests.services.test_readiness import (
    LAST_MONTH,
    add_posts,
    criterion,
    gate_milestone,
    ready_locality,
    somerset,
    train,
)


def _varied_programme(slug: str, shape: int) -> Programme:
    """A programme whose localities differ: one ready, one part-recruited and part-trained with
    a shared county team, an exception and a waiver, added criteria (a manual check signed off
    in one locality, a named milestone, a workstream), and one with nothing at all."""
    programme = somerset(slug)
    ready_locality(programme, slug=f"{slug}-ready")
    partial = create_locality(programme, slug=f"{slug}-partial")
    team = create_team(partial)
    add_posts(team, recruited=shape, total=shape + 2)
    people = [create_staff(team) for _ in range(3 + shape)]
    train(programme, people[: shape + 1])
    train(programme, people[-1:], keys=("mi",))  # half-way: one course of two
    create_staff(team, leaving_date=LAST_MONTH)  # left: no longer counted
    county = create_team(partial, name="County psychology", serves_all=True)
    add_posts(county, recruited=1, total=2)
    gate_milestone(partial, title="ISA signed")
    gate_milestone(partial, done=False)
    create_locality(programme, slug=f"{slug}-empty")
    signer = create_user("programme_manager", email=f"signer@{slug}.example.org")
    check = gate_criteria.add_criterion(
        programme, NewCriterion("manual_check", "Estates ready", signer_email=signer.email), None
    )
    gate_criteria.add_criterion(
        programme, NewCriterion("milestone", "ISA signed", milestone_title="ISA signed"), None
    )
    sign_offs.sign_off(partial, check, signer, TODAY)
    gate_exceptions.set_exception(
        partial, criterion(programme, "trained_mi_and_fs"), "Shared trainers", None, threshold=30
    )
    if shape % 2:
        gate_exceptions.set_exception(
            partial, criterion(programme, "gate_milestones_done"), "Not here", None, waived=True
        )
        shared = create_team(create_locality(programme, slug=f"{slug}-east"), name="Shared")
        add_posts(shared, recruited=1, total=3)
        teams_served.set_served(shared, None, serves_all=False, slugs=[f"{slug}-partial"])
    db.session.commit()
    return programme


def _evaluated(programme: Programme) -> dict[int, tuple[bool, list[dict]]]:
    """Each locality's readiness as its own page works it out, as a snapshot keeps it."""
    localities = list(
        db.session.scalars(select(Locality).where(Locality.programme_id == programme.id))
    )
    _criteria, results, _facts = evaluation.readiness_of(programme, localities, TODAY)
    return {
        locality_id: (
            readiness.ready,
            [
                {key: criterion_document(found)[key] for key in snapshots.SNAPSHOT_KEYS}
                for found in readiness.results
            ],
        )
        for locality_id, readiness in results.items()
    }


def _stored() -> dict[int, tuple[bool, list[dict]]]:
    return {
        snapshot.locality_id: (snapshot.ready, snapshot.criteria)
        for snapshot in db.session.scalars(
            select(ReadinessSnapshot).where(ReadinessSnapshot.taken_on == TODAY)
        )
    }


def test_the_snapshot_stores_what_each_locality_s_own_evaluation_says(app, monkeypatch):
    monkeypatch.setattr(snapshots, "BATCH", 2)  # three programmes: two batches
    programmes = [_varied_programme(f"county-{shape}", shape) for shape in range(3)]
    expected = {}
    for programme in programmes:
        expected.update(_evaluated(programme))

    run = snapshots.take_snapshots(TODAY)

    assert (run.created, run.updated) == (len(expected), 0)
    assert _stored() == expected
    # The data vary: criteria met and not, at many different shares.
    assert {c["met"] for _ready, found in expected.values() for c in found} == {True, False}
    assert len({c["actual"] for _ready, found in expected.values() for c in found}) > 4


def test_taking_the_day_again_updates_its_rows_in_place(app):
    programme = _varied_programme("county", 1)
    snapshots.take_snapshots(TODAY)
    ids = {s.locality_id: s.id for s in db.session.scalars(select(ReadinessSnapshot))}
    for locality in programme.localities:
        gate_milestone(locality)
    db.session.commit()

    run = snapshots.take_snapshots(TODAY)

    assert (run.created, run.updated) == (0, len(ids))
    assert {s.locality_id: s.id for s in db.session.scalars(select(ReadinessSnapshot))} == ids
    assert _stored() == _evaluated(programme)


def test_the_snapshot_s_statements_do_not_grow_with_the_programmes_of_a_batch(app, count_queries):
    one = [_varied_programme("one", 1)]
    five = one + [_varied_programme(f"more-{n}", n) for n in range(4)]

    with count_queries() as for_one:
        snapshots.take_snapshots(TODAY, one)
    with count_queries() as for_five:
        snapshots.take_snapshots(TODAY - timedelta(days=1), five)

    assert for_five.count == for_one.count
