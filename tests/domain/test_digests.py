"""What each person's weekly digest says, from plain facts: the windows' edges (overdue, the
next 14 days, within 3 months, within 4 weeks, 4 weeks without a change), each part's rules,
what changed in readiness since the last digest, and the nothing-to-act-on case."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from programme.domain.digest_items import (
    Baseline,
    DigestFacts,
    LocalityLinks,
    LocalityState,
    OwnedMilestone,
    PostPage,
    Reading,
    Recipient,
    SessionFacts,
    Snapshot,
    going_live_soon_until,
)
from programme.domain.digest_readiness import change_since, readiness_part
from programme.domain.digests import (
    digest_for,
    milestones_part,
    recruitment_part,
    training_part,
)
from programme.domain.gate_criteria import Criterion, CriterionKind
from programme.domain.readiness import (
    CourseFacts,
    LocalityException,
    LocalityFacts,
    evaluate,
    evaluate_one,
)
from programme.domain.recruitment import PostFacts
from programme.domain.training import Attended, CourseRule, StaffFacts

AS_OF = date(2026, 11, 30)  # a Monday
OWNER, OTHER = 1, 2
SOCIAL_WORKER = 3
RECRUITED = Criterion(
    "adult_specialists_recruited", "Adult specialist workers recruited", CriterionKind.RECRUITED, 70
)
TRAINED = Criterion("trained_mi", "Trained in MI", CriterionKind.TRAINED, 70, courses=("mi",))
GATE = (RECRUITED, TRAINED)
MI = CourseFacts("Motivational Interviewing", CourseRule(frozenset({1, 2})), frozenset({3}))


def day(offset: int) -> date:
    return AS_OF + timedelta(days=offset)


def texts(part) -> list[str]:
    return [item.text for item in part.items] if part else []


def titled(part, title: str) -> list[str]:
    if part is None:
        return []
    return [
        item.text for section in part.sections if section.title == title for item in section.items
    ]


# --- Milestones --------------------------------------------------------------------------------


def milestone(title: str, due: date | None, owner: int = OWNER, status: str = "in_progress"):
    return OwnedMilestone(owner, title, "Taunton", status, due, f"https://t.example/m/{title}")


def test_milestone_windows_yesterday_is_overdue_today_and_day_14_are_due_day_15_is_not():
    part = milestones_part(
        OWNER,
        [
            milestone("Day 15", day(15)),
            milestone("Day 14", day(14)),
            milestone("Today", day(0)),
            milestone("Yesterday", day(-1)),
            milestone("Long ago", day(-90)),
        ],
        AS_OF,
    )
    assert [section.title for section in part.sections] == ["Overdue", "Due in the next 14 days"]
    overdue, soon = part.sections
    assert [item.text.split(" (")[0] for item in overdue.items] == ["Long ago", "Yesterday"]
    assert [item.text.split(" (")[0] for item in soon.items] == ["Today", "Day 14"]
    assert soon.items[0].text == "Today (Taunton): due 30 Nov 2026 (today), in progress"
    assert overdue.items[1].text == (
        "Yesterday (Taunton): due 29 Nov 2026 (1 day ago), in progress"
    )
    assert soon.items[1].link == "https://t.example/m/Day 14"


def test_done_undated_and_other_peoples_milestones_are_left_out():
    part = milestones_part(
        OWNER,
        [
            milestone("Done", day(-3), status="done"),
            milestone("No date", None),
            milestone("Someone else's", day(2), owner=OTHER),
            milestone("Blocked", day(2), status="blocked"),
        ],
        AS_OF,
    )
    assert texts(part) == ["Blocked (Taunton): due 2 Dec 2026 (in 2 days), blocked"]


def test_no_milestones_to_chase_is_no_part():
    assert milestones_part(OWNER, [milestone("Later", day(15))], AS_OF) is None


# --- Localities built from plain facts ---------------------------------------------------------


SOON = AS_OF + timedelta(days=40)


def locality(
    name: str = "Taunton",
    go_live: date = SOON,
    *,
    posts=(),
    staff=(),
    courses=None,
    exceptions=None,
    locality_id: int = 1,
    gate=GATE,
) -> LocalityState:
    facts = LocalityFacts(
        go_live=go_live,
        posts=tuple(posts),
        staff=tuple(staff),
        courses={"mi": MI} if courses is None else courses,
        exceptions=exceptions or {},
    )
    links = LocalityLinks(f"https://t.example/{name}/readiness", "rec-" + name, "train-" + name)
    return LocalityState(locality_id, name, go_live, facts, evaluate(gate, facts, AS_OF), links)


def post(post_id: int, status: str = "advertised", **fields) -> PostFacts:
    fields.setdefault("adult_specialist", True)
    fields.setdefault("label", f"IDVA {post_id}, FS Team 1")
    return PostFacts(status, id=post_id, **fields)


PAGES = {n: PostPage(f"https://t.example/posts/{n}") for n in range(1, 20)}
UNRECRUITED = "Adult specialist posts not recruited in localities going live within 3 months"
STALE = "Posts whose status has not changed for 4 weeks"
BELOW = "Localities below the recruitment threshold"


# --- Recruitment -------------------------------------------------------------------------------


def test_unrecruited_adult_specialist_posts_in_localities_going_live_within_3_months():
    last_day = going_live_soon_until(AS_OF)
    assert last_day == date(2027, 2, 28)  # calendar months: 30 February does not exist
    soon = locality(
        "Taunton",
        last_day,
        posts=[
            post(1),
            post(2, "in_post"),  # recruited
            post(3, frozen=True),  # out of the establishment
            post(4, adult_specialist=False),  # a social worker's post
            post(5, "appointed", start_date=day(20)),  # recruited, but not started yet
        ],
    )
    later = locality("Mendip", last_day + timedelta(days=1), posts=[post(6)], locality_id=2)
    part = recruitment_part([later, soon], PAGES, AS_OF)
    assert titled(part, UNRECRUITED) == [
        "IDVA 1, FS Team 1: Advertised; Taunton goes live 28 Feb 2027, in 90 days",
        "IDVA 5, FS Team 1: Appointed, starts 20 Dec 2026; Taunton goes live "
        "28 Feb 2027, in 90 days",
    ]
    [first, _] = [i for s in part.sections if s.title == UNRECRUITED for i in s.items]
    assert first.link == "https://t.example/posts/1"


def test_a_late_locality_still_counts_and_a_shared_post_is_listed_once():
    shared = post(1)
    late = locality("Taunton", day(-5), posts=[shared])
    soon = locality("Mendip", day(10), posts=[shared], locality_id=2)
    part = recruitment_part([soon, late], PAGES, AS_OF)
    assert titled(part, UNRECRUITED) == [
        "IDVA 1, FS Team 1: Advertised; Taunton was due to go live 25 Nov 2026, 5 days ago"
    ]


def test_posts_unchanged_for_4_weeks_day_28_in_day_27_out():
    posts = [
        post(1, history=((day(-28), "advertised"),)),
        post(2, history=((day(-27), "advertised"),)),
        post(3, "in_post", history=((day(-90), "in_post"),)),  # done, not waiting
        post(4, "on_hold", history=((day(-90), "on_hold"),)),  # not on its way
        post(5, "vacant", frozen=True, history=((day(-90), "vacant"),)),
        post(6, "shortlisted", adult_specialist=False, history=((day(-60), "shortlisted"),)),
        post(7, "vacant"),  # no history: the status date kept on the post
        post(8, "vacant"),  # no date known at all
    ]
    pages = {**PAGES, 7: PostPage("https://t.example/posts/7", day(-35)), 8: PostPage("x")}
    part = recruitment_part([locality("Taunton", day(200), posts=posts)], pages, AS_OF)
    assert titled(part, STALE) == [
        "IDVA 6, FS Team 1 (Taunton): Shortlisted since 1 Oct 2026, 8 weeks without a change",
        "IDVA 7, FS Team 1 (Taunton): Vacant since 26 Oct 2026, 5 weeks without a change",
        "IDVA 1, FS Team 1 (Taunton): Advertised since 2 Nov 2026, 4 weeks without a change",
    ]


def test_localities_below_the_recruitment_threshold_as_the_gate_counts_them():
    below = locality("Taunton", day(300), posts=[post(1, "in_post"), post(2), post(3)])
    met = locality("Mendip", day(300), posts=[post(4, "in_post")], locality_id=2)
    waived = locality(
        "Chard",
        day(300),
        posts=[post(5)],
        exceptions={"adult_specialists_recruited": LocalityException("shared", waived=True)},
        locality_id=3,
    )
    empty = locality("Yeovil", day(300), locality_id=4)
    part = recruitment_part([below, met, waived, empty], PAGES, AS_OF)
    assert titled(part, BELOW) == [
        "Taunton: 33% (1 of 3) of adult specialist posts recruited, 2 more posts needed "
        "to reach 70%",
        "Yeovil: no adult specialist posts to count toward the threshold of 70%",
    ]
    assert [i.link for s in part.sections if s.title == BELOW for i in s.items] == [
        "rec-Taunton",
        "rec-Yeovil",
    ]


def test_nothing_for_recruitment_when_every_post_is_filled_and_recent():
    filled_lately = post(1, "in_post", history=((day(-3), "in_post"),))
    filled = locality("Taunton", day(30), posts=[filled_lately])
    assert recruitment_part([filled], PAGES, AS_OF) is None


# --- Training ----------------------------------------------------------------------------------


def session(session_id: int, on: date, *, trainer: int = OWNER, enrolled=10, register=False):
    return SessionFacts(
        session_id,
        trainer,
        f"MI, module {session_id}",
        on,
        enrolled,
        16,
        register,
        f"https://t.example/sessions/{session_id}",
    )


SESSIONS = "Your sessions in the next 14 days"
REGISTERS = "Your past sessions with no register taken"
NEEDS = "Staff still to train in localities going live within 3 months"


def test_sessions_in_the_next_14_days_with_places_taken_and_past_ones_without_a_register():
    sessions = [
        session(1, day(0)),
        session(2, day(14), enrolled=17),
        session(3, day(15)),
        session(4, day(-1)),
        session(5, day(-2), register=True),
        session(6, day(3), trainer=OTHER),
    ]
    part = training_part(OWNER, sessions, [], AS_OF, needs=False)
    assert titled(part, SESSIONS) == [
        "MI, module 1 on 30 Nov 2026: 10 of 16 places taken",
        "MI, module 2 on 14 Dec 2026: 17 of 16 places taken (over capacity)",
    ]
    assert titled(part, REGISTERS) == ["MI, module 4 on 29 Nov 2026: no register taken"]
    upcoming = part.sections[0]
    assert upcoming.columns == ("Session", "Date", "Places taken")
    assert [row.cells for item in upcoming.items for row in item.rows] == [
        ("MI, module 1", "30 Nov 2026", "10 of 16"),
        ("MI, module 2", "14 Dec 2026", "17 of 16 (over capacity)"),
    ]


def staff(person_id: int, **fields) -> StaffFacts:
    return StaffFacts(person_id, fields.pop("role", SOCIAL_WORKER), **fields)


def test_trainers_see_how_many_relevant_staff_still_need_each_course():
    done = [Attended(1, module, "present", day(-20)) for module in (1, 2)]
    course = CourseFacts(
        MI.name,
        MI.rule,
        MI.roles,
        attended=(*done, Attended(2, 1, "present", day(-20))),
        booked=(Attended(2, 2, "present", day(5)), Attended(3, 1, "present", day(5))),
    )
    people = [
        staff(1),  # trained
        staff(2),  # half-way, booked on module 2
        staff(3),  # not started, booked
        staff(4),  # not started
        staff(5, leaving_date=day(-1)),  # left
        staff(6, role=99),  # a role the course is not for
    ]
    soon = locality("Taunton", day(40), staff=people, courses={"mi": course})
    later = locality("Mendip", day(200), staff=people, courses={"mi": course}, locality_id=2)
    part = training_part(OWNER, [], [soon, later], AS_OF, needs=True)
    assert titled(part, NEEDS) == [
        "Taunton (goes live 9 Jan 2027, in 40 days): 3 relevant members of staff still to "
        "complete Motivational Interviewing, 2 of them booked on a session"
    ]
    assert part.items[0].rows[0].cells == ("Taunton", "Motivational Interviewing", "3", "2")
    assert part.items[0].link == "train-Taunton"
    assert training_part(OWNER, [], [soon], AS_OF, needs=False) is None


# --- Readiness ---------------------------------------------------------------------------------


def reading(numerator: int, denominator: int, threshold: int = 70, met: bool = False):
    actual = 0 if not denominator else (1000 * numerator // denominator) / 10
    return Reading(actual, threshold, met, numerator, denominator)


def result_of(posts, gate=RECRUITED):
    return evaluate_one(gate, LocalityFacts(go_live=day(40), posts=tuple(posts)), AS_OF)


def test_what_changed_since_the_snapshot_in_words():
    now = result_of([post(1, "in_post"), post(2, "in_post"), post(3)])  # 2 of 3: amber
    taken = day(-7)
    assert change_since(now, None) == ("No earlier reading", False)
    assert change_since(now, Snapshot(taken, {})) == ("New since 23 Nov 2026", True)
    same = Snapshot(taken, {RECRUITED.key: reading(2, 3)})
    assert change_since(now, same) == ("No change", False)
    up = Snapshot(taken, {RECRUITED.key: reading(1, 2)})
    assert change_since(now, up) == ("Up from 50% (1 of 2); was Red", True)
    down = Snapshot(taken, {RECRUITED.key: reading(3, 3, met=True)})
    assert change_since(now, down) == ("Down from 100% (3 of 3); was Green", True)
    threshold = Snapshot(taken, {RECRUITED.key: reading(2, 3, threshold=60, met=True)})
    assert change_since(now, threshold) == ("Threshold was 60%; was Green", True)
    recounted = Snapshot(taken, {RECRUITED.key: reading(4, 6)})
    assert change_since(now, recounted) == ("Was 4 of 6", True)


def test_every_localitys_readiness_in_a_table_with_rag_in_words():
    taunton = locality("Taunton", day(40), posts=[post(1, "in_post"), post(2, "in_post"), post(3)])
    baseline = Baseline(day(-7), True, {1: Snapshot(day(-7), {RECRUITED.key: reading(1, 3)})})
    part = readiness_part([taunton], baseline, AS_OF)
    assert part.intro == "Changes are since your last digest, on 23 Nov 2026."
    [every] = part.sections
    assert every.columns == (
        "Locality",
        "Criterion",
        "Value",
        "Threshold",
        "RAG",
        "Change since last digest",
    )
    [item] = every.items
    assert item.text == (
        "Taunton (goes live 9 Jan 2027, in 40 days): not ready, 0 of 2 criteria met; "
        "2 criteria changed since 23 Nov 2026"
    )
    assert item.link == "https://t.example/Taunton/readiness"
    assert [row.cells for row in item.rows] == [
        (
            "Taunton",
            "Adult specialist workers recruited",
            "66% (2 of 3)",
            "70%",
            "Amber",
            "Up from 33% (1 of 3); was Red",
        ),
        (
            "Taunton",
            "Trained in MI",
            "Nothing to count",
            "70%",
            "Red",
            "New since 23 Nov 2026",
        ),
    ]
    assert item.rows[0].text == (
        "Adult specialist workers recruited: 66% (2 of 3), threshold 70%, Amber. "
        "Up from 33% (1 of 3); was Red."
    )


def test_localities_within_4_weeks_of_go_live_and_not_ready_day_28_in_day_29_out():
    ready_gate = (RECRUITED,)
    in_post = [post(1, "in_post")]
    day_28 = locality("Taunton", day(28), locality_id=1)
    day_29 = locality("Mendip", day(29), locality_id=2)
    late = locality("Yeovil", day(-3), locality_id=3)
    ready = locality("Chard", day(7), posts=in_post, gate=ready_gate, locality_id=4)
    part = readiness_part([day_29, day_28, ready, late], Baseline(day(-7), False), AS_OF)
    assert part.intro == "Changes are over the last week, since 23 Nov 2026."
    urgent, every = part.sections
    assert urgent.title == "Within 4 weeks of go-live and not ready"
    assert [item.text for item in urgent.items] == [
        "Yeovil was due to go live 27 Nov 2026, 3 days ago, and is not ready: "
        "Adult specialist workers recruited and Trained in MI not met",
        "Taunton goes live 28 Dec 2026, in 28 days, and is not ready: "
        "Adult specialist workers recruited and Trained in MI not met",
    ]
    assert [item.text.split(" (")[0] for item in every.items] == [
        "Yeovil",
        "Chard",
        "Taunton",
        "Mendip",
    ]
    assert (
        every.items[1].text
        == "Chard (goes live 7 Dec 2026, in 7 days): ready, 1 of 1 criterion met"
    )
    assert {row.cells[5] for item in every.items for row in item.rows} == {"No earlier reading"}


def test_a_waived_criterion_reads_waived_and_green():
    waived = locality(
        posts=[post(1)],
        exceptions={RECRUITED.key: LocalityException("Posts shared with Mendip", waived=True)},
    )
    part = readiness_part([waived], None, AS_OF)
    row = part.sections[-1].items[0].rows[0]
    assert row.cells[2:5] == ("Waived", "Not applied", "Green")


# --- A whole digest ----------------------------------------------------------------------------


FACTS = DigestFacts(
    milestones=(milestone("Agreement signed", day(-1)),),
    localities=(locality("Taunton", day(20), posts=[post(1)]),),
    posts=PAGES,
    sessions=(session(1, day(2)),),
)


def test_a_person_gets_every_part_that_applies_to_them_in_one_digest():
    # A milestone owner who is also a trainer (their role brings the training needs).
    digest = digest_for(Recipient(OWNER, role_parts=frozenset({"training"})), FACTS, AS_OF)
    assert [part.key for part in digest.parts] == ["milestones", "training"]
    assert [item["part"] for item in digest.items] == ["milestones", "training"]
    assert all(set(item) == {"part", "text", "link"} for item in digest.items)
    assert not digest.empty


def test_each_role_brings_its_part():
    hr = digest_for(Recipient(OTHER, role_parts=frozenset({"recruitment"})), FACTS, AS_OF)
    board = digest_for(Recipient(OTHER, role_parts=frozenset({"readiness"})), FACTS, AS_OF)
    assert [part.key for part in hr.parts] == ["recruitment"]
    assert [part.key for part in board.parts] == ["readiness"]
    assert board.parts[0].sections[0].title == "Within 4 weeks of go-live and not ready"


def test_a_part_turned_off_is_left_out():
    wants = frozenset({"training", "readiness"})
    digest = digest_for(
        Recipient(OWNER, wants=wants, role_parts=frozenset({"recruitment"})), FACTS, AS_OF
    )
    assert [part.key for part in digest.parts] == ["training"]


@pytest.mark.parametrize(
    "recipient",
    [
        Recipient(OTHER),  # owns nothing, runs no session, a role with no part of its own
        Recipient(OWNER, wants=frozenset()),  # every part turned off
        Recipient(OTHER, role_parts=frozenset({"training"})),  # a trainer, nothing to train
    ],
)
def test_nothing_to_act_on_is_an_empty_digest(recipient):
    facts = DigestFacts(
        milestones=(milestone("Later", day(15)),),
        localities=(locality("Mendip", day(200), courses={}),),
        sessions=(session(1, day(20)),),
    )
    digest = digest_for(recipient, facts, AS_OF)
    assert digest.empty
    assert digest.items == []
