"""Creating localities and teams, finding them, and moving a locality's go-live date."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from programme.domain.timeline import Offset, due_date
from programme.extensions import db
from programme.models import AuditEvent, Locality, Milestone, Team
from programme.services import localities, milestones, programmes
from programme.services.errors import Conflict, NeedsConfirmation, NotFound, ServiceError
from tests.builders import (
    apply_lancashire,
    create_locality,
    create_milestone,
    create_programme,
    create_user,
)
from tests.conftest import TODAY
from tests.queries import count_rows, reread

GO_LIVE = date(2027, 4, 6)
NEW_GO_LIVE = date(2027, 6, 1)


def _by_title(locality) -> dict[str, Milestone]:
    return {
        m.title: m
        for m in db.session.scalars(select(Milestone).where(Milestone.locality_id == locality.id))
    }


# ------------------------------------------------------------------ creating a locality


def test_a_programme_manager_adds_a_locality_and_it_is_audited(app):
    manager = create_user("programme_manager")
    programme = create_programme()

    locality = localities.create_locality(
        programme, " South Somerset ", GO_LIVE, manager, today=TODAY, wave=1
    )

    assert (locality.name, locality.slug, locality.wave, locality.go_live) == (
        "South Somerset",
        "south-somerset",
        1,
        GO_LIVE,
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "locality"))
    assert (event.action, event.actor_id, event.entity_id) == ("create", manager.id, locality.id)
    assert event.locality_id == locality.id and event.programme_id == programme.id
    assert event.before is None
    assert event.after == {
        "name": "South Somerset",
        "slug": "south-somerset",
        "wave": 1,
        "go_live": "2027-04-06",
    }


def test_a_locality_can_be_given_its_own_slug(app):
    programme = create_programme()

    locality = localities.create_locality(
        programme, "Taunton Deane", GO_LIVE, None, today=TODAY, slug="taunton"
    )

    assert locality.slug == "taunton"


def test_a_go_live_date_in_the_past_needs_confirmation(app):
    programme = create_programme()
    yesterday = TODAY - timedelta(days=1)

    with pytest.raises(NeedsConfirmation) as refused:
        localities.create_locality(programme, "Mendip", yesterday, None, today=TODAY)

    assert refused.value.field == "confirm_past_go_live"
    assert "in the past" in refused.value.message
    assert count_rows(Locality) == 0
    assert count_rows(AuditEvent, AuditEvent.entity_type == "locality") == 0


def test_a_confirmed_go_live_date_in_the_past_is_accepted(app):
    programme = create_programme()
    yesterday = TODAY - timedelta(days=1)

    locality = localities.create_locality(
        programme, "Mendip", yesterday, None, today=TODAY, confirm_past_go_live=True
    )

    assert locality.go_live == yesterday


def test_a_go_live_date_of_today_needs_no_confirmation(app):
    locality = localities.create_locality(create_programme(), "Mendip", TODAY, None, today=TODAY)

    assert locality.go_live == TODAY


def test_a_second_locality_with_the_same_slug_is_a_conflict(app):
    programme = create_programme()
    create_locality(programme, name="Mendip", slug="mendip")

    with pytest.raises(Conflict) as refused:
        localities.create_locality(programme, "Mendip", GO_LIVE, None, today=TODAY)

    assert refused.value.field == "slug"
    assert "already has a locality with the slug 'mendip'" in refused.value.message
    assert count_rows(Locality) == 1


def test_two_programmes_may_each_have_a_locality_with_the_same_slug(app):
    create_locality(create_programme("One", "one"), slug="mendip")

    locality = localities.create_locality(
        create_programme("Two", "two"), "Mendip", GO_LIVE, None, today=TODAY
    )

    assert locality.slug == "mendip"


@pytest.mark.parametrize(
    ("name", "changes", "field"),
    [
        ("   ", {}, "name"),
        ("Mendip", {"slug": "Not A Slug"}, "slug"),
        ("Mendip", {"wave": 0}, "wave"),
        ("Mendip", {"wave": 100}, "wave"),
    ],
)
def test_an_invalid_locality_is_refused_naming_the_field(app, name, changes, field):
    programme = create_programme()

    with pytest.raises(ServiceError) as refused:
        localities.create_locality(programme, name, GO_LIVE, None, today=TODAY, **changes)

    assert refused.value.field == field
    assert count_rows(Locality) == 0


def test_an_empty_name_asks_for_the_name(app):
    with pytest.raises(ServiceError, match="Enter the locality's name."):
        localities.create_locality(create_programme(), "", GO_LIVE, None, today=TODAY)


# ------------------------------------------------------------------ finding


def test_an_unknown_programme_slug_is_not_found(app):
    with pytest.raises(NotFound, match="no programme with the slug 'nowhere'"):
        programmes.get_programme("nowhere")


def test_an_unknown_locality_slug_is_not_found(app):
    programme = create_programme()

    with pytest.raises(NotFound, match="no locality with the slug 'nowhere'"):
        localities.get_locality(programme.slug, "nowhere")
    with pytest.raises(NotFound):
        localities.find_locality("nowhere")


def test_a_locality_slug_shared_by_two_programmes_needs_the_programme_named(app):
    one, two = create_programme("One", "one"), create_programme("Two", "two")
    create_locality(one, slug="mendip")
    theirs = create_locality(two, slug="mendip")

    with pytest.raises(ServiceError, match="--programme"):
        localities.find_locality("mendip")
    assert localities.find_locality("mendip", "two").id == theirs.id


# ------------------------------------------------------------------ moving go-live


def test_moving_go_live_moves_open_milestones_and_leaves_done_and_hand_set_ones_alone(app):
    manager = create_user("programme_manager")
    locality = create_locality(go_live=GO_LIVE)
    apply_lancashire(locality)
    by_title = _by_title(locality)
    done = by_title["Partnership board set up"]
    hand_set = by_title["Data-sharing agreement signed"]
    milestones.update_milestone(done.id, manager, today=TODAY, expected_version=None, status="done")
    milestones.update_milestone(
        hand_set.id, manager, today=TODAY, expected_version=None, due=date(2027, 1, 15)
    )

    move = localities.update_locality(
        locality, manager, today=TODAY, name=locality.name, wave=1, go_live=NEW_GO_LIVE
    )

    left_alone = {m.title: reason for m, reason in move.left_alone}
    assert left_alone == {
        "Partnership board set up": "already done",
        "Data-sharing agreement signed": "due date set by hand",
    }
    assert len(move.moved) == 18
    db.session.expire_all()
    for title, milestone in _by_title(locality).items():
        if title == "Data-sharing agreement signed":
            assert milestone.due == date(2027, 1, 15)
        elif title == "Partnership board set up":
            assert milestone.due == due_date(GO_LIVE, Offset(8, "months"))
        else:
            offset = Offset(milestone.offset_amount, milestone.offset_unit)
            assert milestone.due == due_date(NEW_GO_LIVE, offset), title
    for milestone, old_due, new_due in move.moved:
        assert old_due == due_date(GO_LIVE, Offset(milestone.offset_amount, milestone.offset_unit))
        assert new_due == milestone.due


def test_moving_go_live_leaves_a_milestone_without_an_offset_alone(app):
    locality = create_locality(go_live=GO_LIVE)
    fixed = create_milestone(locality, offset_amount=None, offset_unit=None, due=None)

    move = localities.update_locality(
        locality, None, today=TODAY, name=locality.name, wave=1, go_live=NEW_GO_LIVE
    )

    assert [(m.id, reason) for m, reason in move.left_alone] == [
        (fixed.id, "fixed date, not counted from go-live")
    ]
    assert move.moved == []


def test_moving_go_live_audits_the_locality_change_and_every_milestone_moved(app):
    manager = create_user("programme_manager")
    locality = create_locality(go_live=GO_LIVE)
    apply_lancashire(locality)

    move = localities.update_locality(
        locality, manager, today=TODAY, name=locality.name, wave=1, go_live=NEW_GO_LIVE
    )

    change = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.entity_type == "locality", AuditEvent.action == "update"
        )
    )
    assert change.actor_id == manager.id
    assert change.before == {"go_live": "2027-04-06"}
    assert change.after == {"go_live": "2027-06-01"}
    moves = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "move_due")))
    assert len(moves) == len(move.moved) == 20
    assert all(event.actor_id == manager.id for event in moves)
    sample = next(event for event in moves if event.entity_id == move.moved[0][0].id)
    assert sample.before == {"due": move.moved[0][1].isoformat()}
    assert sample.after == {"due": move.moved[0][2].isoformat()}


def test_moving_go_live_into_the_past_needs_confirmation_and_moves_nothing(app):
    locality = create_locality(go_live=GO_LIVE)
    apply_lancashire(locality)
    dues = {title: m.due for title, m in _by_title(locality).items()}
    past = TODAY - timedelta(days=7)

    with pytest.raises(NeedsConfirmation):
        localities.update_locality(
            locality, None, today=TODAY, name=locality.name, wave=1, go_live=past
        )

    assert reread(locality).go_live == GO_LIVE
    assert {title: m.due for title, m in _by_title(locality).items()} == dues
    assert count_rows(AuditEvent, AuditEvent.action.in_(["update", "move_due"])) == 0


def test_saving_a_locality_unchanged_writes_nothing(app):
    locality = create_locality(name="Mendip", wave=2, go_live=GO_LIVE)

    move = localities.update_locality(
        locality, None, today=TODAY, name="Mendip", wave=2, go_live=GO_LIVE
    )

    assert move.moved == [] and move.left_alone == []
    assert count_rows(AuditEvent, AuditEvent.entity_type == "locality") == 0


def test_renaming_a_locality_moves_no_milestones(app):
    locality = create_locality(name="Mendip", wave=2, go_live=GO_LIVE)
    apply_lancashire(locality)

    move = localities.update_locality(
        locality, None, today=TODAY, name="Mendip and Frome", wave=2, go_live=GO_LIVE
    )

    assert move.moved == [] and move.left_alone == []
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "update"))
    assert event.before == {"name": "Mendip"} and event.after == {"name": "Mendip and Frome"}


# ------------------------------------------------------------------ teams


def test_adding_a_team_is_audited(app):
    manager = create_user("programme_manager")
    locality = create_locality()

    team = localities.create_team(locality, "Yeovil FS Team", manager)

    assert team.kind == "family_safeguarding"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "team"))
    assert event.after == {"name": "Yeovil FS Team", "kind": "family_safeguarding"}
    assert event.locality_id == locality.id


def test_a_second_team_with_the_same_name_is_a_conflict(app):
    locality = create_locality()
    localities.create_team(locality, "Yeovil FS Team", None)

    with pytest.raises(Conflict) as refused:
        localities.create_team(locality, "Yeovil FS Team", None)

    assert refused.value.field == "name"
    assert count_rows(Team) == 1


def test_a_team_without_a_name_is_refused(app):
    with pytest.raises(ServiceError) as refused:
        localities.create_team(create_locality(), " ", None)

    assert refused.value.field == "name"
    assert count_rows(Team) == 0


@pytest.mark.parametrize("mistyped", [date(1, 1, 1), date(9999, 12, 31)], ids=["year 1", "9999"])
def test_a_mistyped_go_live_year_is_refused_and_nothing_is_written(app, mistyped):
    programme = create_programme()

    with pytest.raises(ServiceError) as refused:
        localities.create_locality(
            programme, "Mendip", mistyped, None, today=TODAY, confirm_past_go_live=True
        )

    assert refused.value.field == "go_live"
    assert "between 2000 and 2099" in refused.value.message
    assert count_rows(Locality) == 0


def test_bringing_go_live_forward_flags_hand_set_milestones_now_due_after_it(app):
    locality = create_locality(go_live=date(2027, 6, 7))
    hand_set = create_milestone(
        locality, title="Workbook live", due=date(2027, 5, 7), due_set_manually=True
    )
    after_launch = create_milestone(
        locality,
        title="Post-launch review",
        due=date(2027, 8, 2),
        offset_amount=None,
        offset_unit=None,
    )

    move = localities.update_locality(
        locality,
        None,
        today=TODAY,
        name=locality.name,
        wave=locality.wave,
        go_live=date(2027, 4, 5),
    )

    assert move.now_after_go_live == [hand_set]
    assert after_launch not in move.now_after_go_live
