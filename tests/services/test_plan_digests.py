"""Planning a week's digests from real rows on a fixed day: who gets which items, preferences,
who is skipped and why, readiness changes since each person's previous digest, and a bounded
number of queries however many people and localities."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from programme.extensions import db
from programme.models import DigestPreference, OutboxMessage, ReadinessSnapshot
from programme.services.outcomes import catalogue as outcomes_catalogue
from programme.services.outcomes import targets, values
from programme.services.reminders.digests import (
    NO_ADDRESS,
    NOTHING_TO_ACT_ON,
    TURNED_OFF,
    plan_digests,
)
from programme.services.training import catalogue, enrolment
from tests.builders import (
    create_locality,
    create_milestone,
    create_post,
    create_programme,
    create_session,
    create_staff,
    create_team,
    create_user,
)
from tests.conftest import empty_tables

MONDAY = date(2026, 11, 30)  # ISO week 2026-W49
BASE = "https://tracker.westshire.gov.uk"


@pytest.fixture
def monday(app, pin_clock):
    pin_clock(MONDAY)
    app.config["APP_BASE_URL"] = BASE
    return app


def by_email(planned):
    return {digest.user.email: digest for digest in planned.digests}


def skipped(planned):
    return {skip.user.email: skip.reason for skip in planned.skipped}


def texts(digest, part=None):
    return [item["text"] for item in digest.items if part in (None, item["part"])]


class World:
    """One programme: Taunton goes live in 51 days (within 3 months), Mendip in 280."""

    def __init__(self):
        self.programme = create_programme()
        self.taunton = create_locality(
            self.programme, name="Taunton", slug="taunton", go_live=date(2027, 1, 20)
        )
        self.mendip = create_locality(
            self.programme, name="Mendip", slug="mendip", go_live=date(2027, 9, 6)
        )
        self.team = create_team(self.taunton, name="Taunton FS")
        self.idva = create_post(self.team, "da_victims", status="advertised", reference="T-1")
        create_post(self.team, "substance_misuse", status="in_post", reference="T-2")
        self.staff = [create_staff(self.team, name=f"Worker {n}") for n in range(3)]
        self.mi = catalogue.get_course(self.programme, "mi")


def test_who_gets_which_items_on_a_fixed_day(monday):
    world = World()
    owner = create_user("programme_manager", email="owner@westshire.gov.uk")
    yesterday, *_ = [
        create_milestone(
            world.taunton, title=title, due=MONDAY + timedelta(days=days), owner_id=owner.id
        )
        for days, title in [(-1, "Yesterday"), (0, "Today"), (14, "Day 14"), (15, "Day 15")]
    ]
    create_milestone(
        world.taunton,
        title="Done",
        due=MONDAY - timedelta(days=3),
        owner_id=owner.id,
        status="done",
    )
    hr = create_user("hr_lead", email="hr@westshire.gov.uk")
    trainer = create_user("trainer", email="trainer@westshire.gov.uk")
    upcoming = create_session(world.mi, 1, MONDAY + timedelta(days=3), trainer=trainer)
    enrolment.enrol(upcoming, [person.id for person in world.staff[:2]], None)
    create_session(world.mi, 2, MONDAY - timedelta(days=4), trainer=trainer)
    board = create_user("board_member", email="board@westshire.gov.uk")
    idle = create_user("viewer", email="viewer@westshire.gov.uk")

    planned = plan_digests(MONDAY)

    digests = by_email(planned)
    assert set(digests) == {owner.email, hr.email, trainer.email, board.email}
    assert skipped(planned) == {idle.email: NOTHING_TO_ACT_ON}
    assert all(digest.week == "2026-W49" for digest in planned.digests)

    assert [t.split(" (")[0] for t in texts(digests[owner.email])] == [
        "Yesterday",
        "Today",
        "Day 14",
    ]
    assert digests[owner.email].items[0] == {
        "part": "milestones",
        "text": "Yesterday (Taunton): due 29 Nov 2026 (1 day ago), not started",
        "link": f"{BASE}/milestones/{yesterday.id}/edit",
    }

    assert texts(digests[hr.email]) == [
        "DA worker (victims/survivors), Taunton FS (T-1): Advertised; Taunton goes live "
        "20 Jan 2027, in 51 days",
        "Taunton: 50% (1 of 2) of adult specialist posts recruited, 1 more post needed to "
        "reach 70%",
        "Mendip: no adult specialist posts to count toward the threshold of 70%",
    ]
    assert digests[hr.email].items[0]["link"] == (
        f"{BASE}/programmes/{world.programme.slug}/posts/{world.idva.id}"
    )

    assert texts(digests[trainer.email]) == [
        "Motivational Interviewing, module 1 (Day 1: the spirit of MI and engaging) on "
        "3 Dec 2026: 2 of 16 places taken",
        "Motivational Interviewing, module 2 (Day 2: focusing and evoking change talk) on "
        "26 Nov 2026: no register taken",
        "Taunton (goes live 20 Jan 2027, in 51 days): 3 relevant members of staff still "
        "to complete Motivational Interviewing, 2 of them booked on a session",
        "Taunton (goes live 20 Jan 2027, in 51 days): 3 relevant members of staff still "
        "to complete FS practice and change workshops, none of them booked on a session",
    ]
    assert digests[trainer.email].items[0]["link"] == (
        f"{BASE}/programmes/{world.programme.slug}/training/sessions/{upcoming.id}"
    )

    board_items = digests[board.email].items
    assert [item["part"] for item in board_items] == ["readiness", "readiness"]
    assert board_items[0]["text"].startswith("Taunton (goes live 20 Jan 2027, in 51 days)")
    assert board_items[0]["link"] == (
        f"{BASE}/programmes/{world.programme.slug}/localities/taunton/readiness"
    )


def test_one_digest_combines_every_part_that_applies(monday):
    world = World()
    trainer = create_user("trainer", email="trainer@westshire.gov.uk")
    create_milestone(world.taunton, due=MONDAY + timedelta(days=2), owner_id=trainer.id)
    create_session(world.mi, 1, MONDAY + timedelta(days=1), trainer=trainer)

    [digest] = plan_digests(MONDAY).digests

    assert [item["part"] for item in digest.items] == ["milestones"] + ["training"] * 3
    assert digest.composed.subject == (
        "Family Safeguarding: 4 things need you this week (w/c 30 Nov 2026)"
    )
    for item in digest.items:
        assert item["text"] in digest.composed.text and item["link"] in digest.composed.text
        assert item["link"] in digest.composed.html


def test_the_subject_counts_one_thing_in_the_singular(monday):
    world = World()
    owner = create_user("programme_manager", email="owner@westshire.gov.uk")
    create_milestone(world.mendip, due=MONDAY, owner_id=owner.id)
    [digest] = plan_digests(MONDAY).digests
    assert digest.composed.subject == (
        "Family Safeguarding: 1 thing needs you this week (w/c 30 Nov 2026)"
    )


def test_headers_and_links_carry_the_unsubscribe_and_preferences_addresses(monday):
    world = World()
    owner = create_user("programme_manager", email="owner@westshire.gov.uk")
    create_milestone(world.taunton, due=MONDAY, owner_id=owner.id)
    [digest] = plan_digests(MONDAY).digests
    unsubscribe = digest.headers["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{BASE}/") and unsubscribe.endswith(">")
    assert digest.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe[1:-1] in digest.composed.text
    assert unsubscribe[1:-1] in digest.composed.html


def test_preferences_turn_the_digest_or_one_part_off(monday):
    world = World()
    off = create_user("hr_lead", email="off@westshire.gov.uk")
    no_recruitment = create_user("hr_lead", email="milestones.only@westshire.gov.uk")
    create_milestone(world.taunton, due=MONDAY, owner_id=no_recruitment.id)
    create_milestone(world.taunton, due=MONDAY, owner_id=off.id)
    nothing_left = create_user("hr_lead", email="nothing.left@westshire.gov.uk")
    db.session.add_all(
        [
            DigestPreference(user_id=off.id, enabled=False),
            DigestPreference(user_id=no_recruitment.id, recruitment=False),
            DigestPreference(user_id=nothing_left.id, recruitment=False),
        ]
    )
    db.session.commit()

    planned = plan_digests(MONDAY)

    assert skipped(planned) == {off.email: TURNED_OFF, nothing_left.email: NOTHING_TO_ACT_ON}
    [digest] = planned.digests
    assert digest.user.email == no_recruitment.email
    assert {item["part"] for item in digest.items} == {"milestones"}


def test_every_part_turned_off_is_the_digest_turned_off(monday):
    World()
    board = create_user("board_member", email="board@westshire.gov.uk")
    db.session.add(
        DigestPreference(
            user_id=board.id, milestones=False, recruitment=False, training=False, readiness=False
        )
    )
    db.session.commit()
    assert skipped(plan_digests(MONDAY)) == {board.email: TURNED_OFF}


def test_deactivated_and_invited_people_get_nothing_and_are_not_listed(monday):
    world = World()
    gone = create_user("board_member", email="gone@westshire.gov.uk", active=False)
    invited = create_user("hr_lead", email="invited@westshire.gov.uk", password_hash=None)
    create_milestone(world.taunton, due=MONDAY, owner_id=gone.id)
    create_milestone(world.taunton, due=MONDAY, owner_id=invited.id)
    planned = plan_digests(MONDAY)
    assert planned.digests == [] and planned.skipped == []


@pytest.mark.parametrize("address", ["not an address", "someone@localhost", "", "a@b@c.org"])
def test_an_address_mail_cannot_be_sent_to_is_skipped_and_listed(monday, address):
    world = World()
    owner = create_user("programme_manager", email=address)
    create_milestone(world.taunton, due=MONDAY, owner_id=owner.id)
    planned = plan_digests(MONDAY)
    assert planned.digests == []
    assert [(skip.user.id, skip.reason) for skip in planned.skipped] == [(owner.id, NO_ADDRESS)]


def test_nobody_at_all_is_an_empty_plan(monday):
    planned = plan_digests(MONDAY)
    assert planned.digests == [] and planned.skipped == []


def test_localities_already_live_are_left_out(monday):
    world = World()
    world.taunton.state = world.mendip.state = "live"
    db.session.commit()
    board = create_user("board_member", email="board@westshire.gov.uk")
    assert skipped(plan_digests(MONDAY)) == {board.email: NOTHING_TO_ACT_ON}


def test_with_several_programmes_each_locality_is_named_with_its_programme(monday):
    World()
    other = create_programme("Dorset Safeguarding Families Together", slug="dorset")
    create_locality(other, name="Chesil", slug="chesil", go_live=date(2027, 3, 1))
    board = create_user("board_member", email="board@westshire.gov.uk")
    [digest] = plan_digests(MONDAY).digests
    names = [item["text"].split(" (goes live")[0] for item in digest.items]
    assert names == [
        "Taunton (Somerset Family Safeguarding)",
        "Chesil (Dorset Safeguarding Families Together)",
        "Mendip (Somerset Family Safeguarding)",
    ]
    assert digest.user.id == board.id


# --- What changed since the previous digest ----------------------------------------------------


def snapshot(locality, taken_on, numerator, denominator=2):
    met = 100 * numerator >= 70 * denominator
    db.session.add(
        ReadinessSnapshot(
            locality_id=locality.id,
            taken_on=taken_on,
            ready=False,
            criteria=[
                {
                    "key": "adult_specialists_recruited",
                    "actual": 100 * numerator // denominator,
                    "threshold": 70,
                    "met": met,
                    "numerator": numerator,
                    "denominator": denominator,
                }
            ],
        )
    )
    db.session.commit()


def earlier_digest(user, week, sent_at, status="sent"):
    db.session.add(
        OutboxMessage(
            recipient=user.email,
            user_id=user.id,
            kind="digest",
            dedupe_key=week,
            subject="An earlier digest",
            text_body="",
            status=status,
            sent_at=sent_at if status == "sent" else None,
            created_at=sent_at,
        )
    )
    db.session.commit()


def recruitment_change(digest) -> tuple[str, str]:
    """Taunton's recruitment row's change, as the plain text says it, and the part's intro."""
    lines = digest.composed.text.splitlines()
    row = next(line for line in lines if "Adult specialist workers recruited:" in line)
    intro = next(line for line in lines if line.startswith("Changes are"))
    return row.split(". ", 1)[1].rstrip("."), intro


def test_changes_are_measured_from_the_day_the_previous_digest_went(monday):
    world = World()
    board = create_user("board_member", email="board@westshire.gov.uk")
    snapshot(world.taunton, date(2026, 11, 16), 0)
    snapshot(world.taunton, date(2026, 11, 23), 2)
    earlier_digest(board, "2026-W47", datetime(2026, 11, 16, 8, 5, tzinfo=UTC))
    earlier_digest(board, "2026-W46", datetime(2026, 11, 9, 8, 5, tzinfo=UTC))
    # This week's, already gone (a second run): not the previous digest.
    earlier_digest(board, "2026-W49", datetime(2026, 11, 30, 8, 5, tzinfo=UTC))

    [digest] = plan_digests(MONDAY).digests

    assert recruitment_change(digest) == (
        "Up from 0% (0 of 2)",
        "Changes are since your last digest, on 16 Nov 2026.",
    )


def test_a_stored_digest_counts_and_with_no_snapshot_that_day_the_newest_before_it(monday):
    world = World()
    board = create_user("board_member", email="board@westshire.gov.uk")
    snapshot(world.taunton, date(2026, 11, 10), 2)
    snapshot(world.taunton, date(2026, 11, 12), 1)
    snapshot(world.taunton, date(2026, 11, 20), 0)
    earlier_digest(board, "2026-W47", datetime(2026, 11, 16, 8, 5, tzinfo=UTC), status="stored")
    earlier_digest(board, "2026-W48", datetime(2026, 11, 23, 8, 5, tzinfo=UTC), status="failed")

    [digest] = plan_digests(MONDAY).digests

    assert recruitment_change(digest) == (
        "No change",
        "Changes are since your last digest, on 16 Nov 2026.",
    )


def test_with_no_previous_digest_changes_are_over_the_last_week(monday):
    world = World()
    create_user("board_member", email="board@westshire.gov.uk")
    snapshot(world.taunton, date(2026, 11, 23), 2)
    snapshot(world.taunton, date(2026, 11, 24), 0)
    [digest] = plan_digests(MONDAY).digests
    assert recruitment_change(digest) == (
        "Down from 100% (2 of 2); was Green",
        "Changes are over the last week, since 23 Nov 2026.",
    )


def test_with_no_snapshot_at_all_there_is_no_earlier_reading(monday):
    World()
    create_user("board_member", email="board@westshire.gov.uk")
    [digest] = plan_digests(MONDAY).digests
    assert recruitment_change(digest)[0] == "No earlier reading"


# --- Queries -----------------------------------------------------------------------------------


def populate(size: int) -> None:
    """`size` localities with posts, staff and sessions, and `size` people of each role, each
    with milestones, a previous digest and (for some) preferences."""
    programme = create_programme()
    mi = catalogue.get_course(programme, "mi")
    for n in range(size):
        locality = create_locality(
            programme, name=f"Place {n}", slug=f"place-{n}", go_live=date(2027, 1, 10 + n)
        )
        team = create_team(locality)
        create_post(team, "da_victims", status="advertised")
        create_post(team, "adult_mental_health", status="in_post")
        people = [create_staff(team) for _ in range(2)]
        for role in ("programme_manager", "hr_lead", "trainer", "board_member", "viewer"):
            user = create_user(role)
            create_milestone(locality, due=MONDAY + timedelta(days=n), owner_id=user.id)
            earlier_digest(user, "2026-W48", datetime(2026, 11, 23 - n, 8, tzinfo=UTC))
            if role == "trainer":
                session = create_session(mi, 1, MONDAY + timedelta(days=2), trainer=user)
                enrolment.enrol(session, [person.id for person in people], None)
                create_session(mi, 2, MONDAY - timedelta(days=2), trainer=user)
            if role == "viewer":
                db.session.add(DigestPreference(user_id=user.id, milestones=False))
        snapshot(locality, date(2026, 11, 20 - n), 1)
        cla = cla_target(locality)  # moved away this week: a line for each board member
        record(locality, cla, "2026-09", 48.0, at=datetime(2026, 10, 5, 9, tzinfo=UTC))
        record(locality, cla, "2026-10", 62.0 + n)
    db.session.commit()


def test_planning_runs_as_many_queries_for_many_people_and_localities_as_for_few(
    monday, count_queries
):
    populate(1)
    db.session.expire_all()
    with count_queries() as few:
        small = plan_digests(MONDAY)
    empty_tables()
    populate(6)
    db.session.expire_all()
    with count_queries() as many:
        large = plan_digests(MONDAY)

    assert len(large.digests) > len(small.digests) >= 4
    moved = [i for d in large.digests for i in d.items if "moved away" in i["text"]]
    assert len(moved) == 6 * 6  # each of 6 board members hears of each of 6 localities
    assert many.count == few.count, "\n".join(many.statements)
    assert few.count <= 30, few.count


# --- Outcome indicators that moved away from their target ---------------------------------------

CLA = "children-looked-after"
MOVED = (
    "Taunton: children looked after per 10,000 children moved away from its target "
    "(62 in Oct 2026, against a target of 45.5)"
)


def cla_target(locality, target_value=45.5):
    indicator = outcomes_catalogue.get_indicator(locality.programme, CLA)
    targets.set_target(
        locality, indicator, None, baseline_value=50.0, baseline_on=date(2025, 12, 31),
        target_value=target_value, today=MONDAY,
    )  # fmt: skip
    return indicator


def record(locality, indicator, period, value, at=None):
    row = values.record_value(locality, indicator, period, value, None, today=MONDAY)
    if at is not None:
        row.created_at = at
        db.session.commit()
    return row


def test_a_board_member_gets_a_line_for_an_indicator_that_moved_away(monday):
    world = World()
    create_user("board_member", email="board@westshire.gov.uk")
    trainer = create_user("trainer", email="trainer@westshire.gov.uk")
    create_session(world.mi, 1, MONDAY + timedelta(days=2), trainer=trainer)
    cla = cla_target(world.taunton)
    record(world.taunton, cla, "2026-09", 48.0, at=datetime(2026, 10, 5, 9, tzinfo=UTC))
    record(world.taunton, cla, "2026-10", 62.0)  # recorded today: on track, now away

    digests = by_email(plan_digests(MONDAY))

    board_digest = digests["board@westshire.gov.uk"]
    [item] = [item for item in board_digest.items if "moved away" in item["text"]]
    assert item == {
        "part": "readiness",
        "text": MOVED,
        "link": f"{BASE}/programmes/{world.programme.slug}/outcomes/{CLA}#locality-taunton",
    }
    assert "READINESS FOR GO-LIVE AND OUTCOMES" in board_digest.composed.text
    assert MOVED in board_digest.composed.text
    assert MOVED in board_digest.composed.html
    assert not any("moved away" in text for text in texts(digests["trainer@westshire.gov.uk"]))


def test_no_line_when_on_track_or_already_away(monday):
    world = World()
    create_user("board_member", email="board@westshire.gov.uk")
    cla = cla_target(world.taunton)
    record(world.taunton, cla, "2026-10", 44.0)  # on track: at the target
    cpp = outcomes_catalogue.get_indicator(world.programme, "child-protection-plans")
    targets.set_target(
        world.mendip, cpp, None, baseline_value=40.0, baseline_on=date(2025, 12, 31),
        target_change_percent=-45, today=MONDAY,
    )  # fmt: skip
    record(world.mendip, cpp, "2026-09", 45.0, at=datetime(2026, 10, 5, 9, tzinfo=UTC))
    record(world.mendip, cpp, "2026-10", 47.0)  # away, as it already was

    [digest] = plan_digests(MONDAY).digests

    assert not any("moved away" in text for text in texts(digest))


def test_a_move_is_said_once_in_the_week_it_was_recorded(monday, pin_clock):
    world = World()
    board = create_user("board_member", email="board@westshire.gov.uk")
    cla = cla_target(world.taunton)
    earlier_digest(board, "2026-W48", datetime(2026, 11, 23, 8, 5, tzinfo=UTC))
    # Recorded before last week's digest went: it said so then.
    record(world.taunton, cla, "2026-09", 62.0, at=datetime(2026, 11, 23, 7, 55, tzinfo=UTC))
    [before] = plan_digests(MONDAY).digests
    assert not any("moved away" in text for text in texts(before))

    record(world.taunton, cla, "2026-10", 40.0, at=datetime(2026, 11, 23, 9, tzinfo=UTC))
    record(world.taunton, cla, "2026-11", 62.0, at=datetime(2026, 11, 26, 9, tzinfo=UTC))
    [this_week] = plan_digests(MONDAY).digests
    assert [text for text in texts(this_week) if "moved away" in text] == [
        MOVED.replace("Oct 2026", "Nov 2026")
    ]
    # Planned again the same week (a second run): the same line; the week after, none.
    [again] = plan_digests(MONDAY).digests
    assert again.items == this_week.items
    earlier_digest(board, "2026-W49", datetime(2026, 11, 30, 8, 5, tzinfo=UTC))
    next_monday = MONDAY + timedelta(days=7)
    pin_clock(next_monday)
    [next_week] = plan_digests(next_monday).digests
    assert not any("moved away" in text for text in texts(next_week))


def test_with_no_previous_digest_a_move_recorded_in_the_last_week_is_said(monday):
    world = World()
    create_user("board_member", email="board@westshire.gov.uk")
    cla = cla_target(world.taunton)
    record(world.taunton, cla, "2026-10", 62.0, at=datetime(2026, 11, 23, 12, tzinfo=UTC))
    turnover = outcomes_catalogue.get_indicator(world.programme, "turnover")
    targets.set_target(
        world.taunton, turnover, None, baseline_value=11.0, baseline_on=date(2025, 12, 31),
        today=MONDAY,
    )  # fmt: skip
    record(world.taunton, turnover, "2026-10", 14.0, at=datetime(2026, 11, 24, 12, tzinfo=UTC))

    [digest] = plan_digests(MONDAY).digests

    # 23 November is the week's baseline day, not after it.
    assert [text for text in texts(digest) if "moved away" in text] == [
        "Taunton: social worker turnover moved away from its target (14% in Q3 2026/27, worse "
        "than its baseline of 11%)"
    ]
