"""Board packs: issue one, change things, issue the next, and its Changes sheet and page list
exactly those changes; the first pack downloads byte for byte as issued; refusals; an empty
programme."""

from __future__ import annotations

import hashlib
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from programme.extensions import db
from programme.models import BoardPack, Post, StaffMember
from programme.services import milestones
from programme.services.board_packs import issue, listing, state
from programme.services.errors import Conflict, ServiceError
from programme.services.readiness import decisions, gate_criteria, gate_exceptions
from programme.services.recruitment import posts as post_service
from programme.services.training import catalogue
from tests.builders import (
    attend,
    create_locality,
    create_milestone,
    create_post,
    create_programme,
    create_staff,
    create_team,
    create_user,
)
from tests.conftest import TODAY
from tests.queries import audit_events_for

FIRST_MEETING = date(2026, 12, 3)
LATER = date(2026, 12, 14)
SECOND_MEETING = date(2027, 1, 7)
CHANGES = "Changes since the last pack"


def _rows(content: bytes, title: str = CHANGES) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content), read_only=True)[title]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def _set_post(post: Post, status: str, holder: str = "") -> None:
    post_service.update_post(
        post,
        post_service.PostInput(
            role_id=post.role_id, reference=post.reference, status=status, holder_name=holder
        ),
        None,
        today=LATER,
        expected_version=None,
    )


@pytest.fixture
def somerset(app):
    """Taunton with two adult specialist posts (one filled), three milestones and a social
    worker not yet trained; Yeovil excused from every criterion, so the board may take it
    live."""
    programme = create_programme(slug="somerset")
    taunton = create_locality(programme, name="Taunton", slug="taunton")
    team = create_team(taunton, name="Team A")
    create_post(team, reference="T-01", status="in_post", holder_name="Ann Hale")
    create_post(team, reference="T-02", status="advertised")
    create_milestone(taunton, title="Sign the protocol", gate_critical=True, due=date(2027, 1, 6))
    create_milestone(taunton, title="Brief the courts", due=date(2027, 2, 1))
    create_milestone(taunton, title="Book the venue", due=date(2026, 12, 10))
    create_staff(team, name="Bo Reed")
    yeovil = create_locality(programme, name="Yeovil", slug="yeovil")
    for criterion in gate_criteria.criteria(programme):
        gate_exceptions.set_exception(yeovil, criterion, "Agreed by the board", None, waived=True)
    return programme


def _change_things(programme, board_member, pin_clock) -> None:
    """Complete a milestone, slip another, let a third fall overdue, fill one post and vacate
    the other, train someone in MI, and take Yeovil live."""
    pin_clock(LATER)
    by_title = {
        m.title: m
        for locality in programme.localities
        for group in milestones.locality_milestones(locality, LATER)
        for m in (row.milestone for row in group.rows)
    }
    milestones.update_milestone(
        by_title["Sign the protocol"].id, None, today=LATER, expected_version=None, status="done"
    )
    milestones.update_milestone(
        by_title["Brief the courts"].id,
        None,
        today=LATER,
        expected_version=None,
        due=date(2027, 3, 1),
    )
    first, second = db.session.scalars(select(Post).order_by(Post.reference))
    _set_post(first, "vacant")
    _set_post(second, "in_post", "Cy Dunn")
    course = catalogue.get_course(programme, "mi")
    bo = db.session.scalar(select(StaffMember).where(StaffMember.name == "Bo Reed"))
    for module in course.modules:
        if module.required:
            attend(course, module.number, [bo], on=date(2026, 12, 10))
    yeovil = next(locality for locality in programme.localities if locality.name == "Yeovil")
    decisions.go_live(yeovil, board_member, "Board of 3 December", LATER)


EXPECTED = [
    (
        "Taunton",
        "Criterion: up",
        "Gate-critical milestones done",
        "0% (0 of 1), needs 100%, not met",
        "100% (1 of 1), needs 100%, met",
    ),
    ("Taunton", "Milestone completed", "Sign the protocol", "Not started", "14 Dec 2026"),
    ("Taunton", "Milestone slipped", "Brief the courts", "1 Feb 2027", "1 Mar 2027"),
    ("Taunton", "Milestone newly overdue", "Book the venue", None, "Due 10 Dec 2026"),
    (
        "Taunton",
        "Post filled",
        "DA worker (victims/survivors), Team A (T-02)",
        "Not filled",
        "Filled by Cy Dunn",
    ),
    (
        "Taunton",
        "Post no longer filled",
        "DA worker (victims/survivors), Team A (T-01)",
        "Filled by Ann Hale",
        "Not filled",
    ),
    ("Taunton", "Person trained", "Bo Reed, Team A", None, "Completed Motivational Interviewing"),
    ("Yeovil", "Go-live decision made", "Go live", None, "By Dee Board on 14 Dec 2026"),
]


def test_the_second_pack_lists_exactly_what_changed_and_the_first_is_kept_as_issued(
    somerset, pin_clock, client, sign_in
):
    board_member = create_user("board_member", name="Dee Board")
    first = issue.issue_pack(somerset, FIRST_MEETING, board_member, TODAY)
    issued_bytes = bytes(first.workbook)
    first_id = first.id
    assert first.filename == "somerset-board-pack-2026-12-03.xlsx"
    assert first.previous_id is None
    assert _rows(issued_bytes)[1][0] == (
        "This is the first board pack: there is no earlier pack to compare with."
    )

    _change_things(somerset, board_member, pin_clock)
    second = issue.issue_pack(somerset, SECOND_MEETING, board_member, LATER)

    assert second.previous_id == first_id
    names = load_workbook(io.BytesIO(second.workbook), read_only=True).sheetnames
    assert names[:2] == ["Summary", CHANGES]
    header, *rows = _rows(second.workbook)
    assert header == ("Locality", "What changed", "Item", "Before", "After")
    expected = EXPECTED
    assert rows == expected

    # The page lists the same changes.
    sign_in(board_member)
    page = client.get(f"/programmes/somerset/board-packs/{second.id}").get_data(as_text=True)
    for _locality, _what, item, _before, after in expected:
        assert item in page and after in page
    assert page.count('data-kind="') == len(expected) - 1  # criteria are in their own table
    assert 'data-direction="up"' in page

    # The first pack downloads byte for byte as issued.
    response = client.get(f"/programmes/somerset/board-packs/{first_id}/download")
    assert response.status_code == 200
    assert response.data == issued_bytes
    assert hashlib.sha256(response.data).hexdigest() == db.session.get(BoardPack, first_id).sha256
    assert response.mimetype == issue_xlsx_mimetype()
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="somerset-board-pack-2026-12-03.xlsx"'
    )
    assert response.headers["Cache-Control"] == "no-store"

    [event] = audit_events_for("board_pack", first_id)
    assert event.summary == "Issued the board pack for 3 Dec 2026"
    assert event.action == "issue_board_pack"
    assert event.actor_id == board_member.id

    # Nothing changed since: the live page says so.
    live = client.get("/programmes/somerset/board-packs/changes").get_data(as_text=True)
    assert "Nothing changed since the last pack, issued on 14 Dec 2026." in live


def issue_xlsx_mimetype() -> str:
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_meeting_date_with_a_pack_is_refused(somerset, client, sign_in):
    board_member = create_user("board_member")
    issue.issue_pack(somerset, FIRST_MEETING, board_member, TODAY)
    with pytest.raises(Conflict, match="already a board pack for the meeting on 3 Dec 2026"):
        issue.issue_pack(somerset, FIRST_MEETING, board_member, TODAY)

    sign_in(board_member)
    response = client.post(
        "/programmes/somerset/board-packs/new", data={"meeting_date": "2026-12-03"}
    )
    assert response.status_code == 400
    assert "already a board pack for the meeting on 3 Dec 2026" in response.get_data(as_text=True)
    assert len(listing.packs_of(somerset)) == 1


def test_a_meeting_before_the_last_pack_or_over_a_year_ago_is_refused(somerset):
    board_member = create_user("board_member")
    issue.issue_pack(somerset, FIRST_MEETING, board_member, TODAY)
    with pytest.raises(ServiceError, match="last pack was for the meeting on 3 Dec 2026"):
        issue.issue_pack(somerset, date(2026, 11, 26), board_member, TODAY)
    with pytest.raises(ServiceError, match="more than a year ago"):
        issue.issue_pack(create_programme("Other", "other"), date(2025, 11, 1), board_member, TODAY)


def test_a_programme_with_no_localities_still_issues_a_pack_that_says_so(app, client, sign_in):
    programme = create_programme("Empty", "empty")
    manager = create_user("programme_manager")
    first = issue.issue_pack(programme, FIRST_MEETING, manager, TODAY)
    second = issue.issue_pack(programme, SECOND_MEETING, manager, TODAY)

    assert "no localities" in _rows(first.workbook)[1][0]
    assert _rows(second.workbook)[1][0] == (
        "This programme has no localities, now or at the last pack, issued on 30 Nov 2026."
    )
    sign_in(manager)
    page = client.get(f"/programmes/empty/board-packs/{second.id}").get_data(as_text=True)
    assert "This programme has no localities" in page
    assert client.get(f"/programmes/empty/board-packs/{first.id}/download").data == first.workbook


def test_the_live_changes_page_and_the_form_say_what_will_be_stored(
    somerset, pin_clock, client, sign_in
):
    board_member = create_user("board_member", name="Dee Board")
    sign_in(board_member)
    page = client.get("/programmes/somerset/board-packs/changes").get_data(as_text=True)
    assert "No board pack has been issued yet" in page

    form = client.get("/programmes/somerset/board-packs/new").get_data(as_text=True)
    assert "cannot be changed or replaced" in form
    response = client.post(
        "/programmes/somerset/board-packs/new", data={"meeting_date": "2026-12-03"}
    )
    assert response.status_code == 302
    pack = listing.latest_pack(somerset)
    assert response.location.endswith(f"/programmes/somerset/board-packs/{pack.id}")

    _change_things(somerset, board_member, pin_clock)
    sign_in(board_member)  # days later: the first session has outlived SESSION_MAX_HOURS
    live = client.get("/programmes/somerset/board-packs/changes").get_data(as_text=True)
    assert "Bo Reed, Team A" in live and "Milestone slipped" in live

    board = client.get("/programmes/somerset/readiness").get_data(as_text=True)
    assert "3 Dec 2026" in board and "Issue a board pack" in board
    assert "Changes since the last pack" in board


def test_the_state_is_loaded_in_a_fixed_number_of_queries(app, count_queries):
    small = create_programme("Small", "small")
    create_team(create_locality(small, name="Alone"))
    large = create_programme("Large", "large")
    for n in range(4):
        team = create_team(create_locality(large, name=f"Busy {n}"))
        for m in range(3):
            create_post(team, status="in_post")
            create_staff(team)
            create_milestone(team.locality, title=f"M {m}")

    def queries(programme) -> int:
        db.session.expire_all()
        with count_queries() as counter:
            state.capture(programme, TODAY)
        return counter.count

    assert queries(small) == queries(large)
