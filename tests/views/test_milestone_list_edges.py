# ruff: noqa: F811  (the `world` fixture is imported and used by name)
"""The milestone lists' edges: odd query values, where a change lands, how a refusal is
announced, the launch milestone's row, programme-wide due dates, and the launch milestone's
plain-English audit entry."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from programme.extensions import db
from programme.models import Milestone
from tests.builders import create_milestone, create_programme, create_user
from tests.conftest import TODAY
from tests.pages import page_of, visible_text
from tests.queries import reread
from tests.views.test_go_live_decision import DECISION_TITLE, _confirm, _ready_setting
from tests.views.test_milestone_lists import (  # noqa: F401  (the fixture is used by name)
    World,
    _bulk,
    _list_url,
    _row_form,
    world,
)
from tests.views.test_readiness import _url

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
SNAKE_KEY = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def _audit_table(page: str) -> str:
    table = re.search(
        r'<table class="app-table app-table--stack" id="audit">.*?</table>', page, re.S
    )
    assert table, "the audit trail shows no entries"
    return table.group(0)


def _decided_and_audit_page(sign_in):
    """A board member records the go-live decision through the pages; the trail as she reads it."""
    programme, locality, team, launch = _ready_setting()
    client = sign_in(create_user("board_member", name="Bea Board"))
    assert _confirm(client, locality).status_code == 302
    page = page_of(client.get(_url(locality, "audit")))
    rows = re.findall(r"<tr>.*?</tr>", _audit_table(page), re.S)
    launch_rows = [visible_text(row) for row in rows if DECISION_TITLE in row]
    assert launch_rows, "the trail has no entry for the launch milestone"
    return launch_rows


# ------------------------------------------------------------------ plain-English audit trail


def test_audit_trail_launch_milestone_entry_names_no_internal_key(app, sign_in):
    """Recording the go-live decision writes an entry for the launch milestone that names its
    fields in words ("status and date done"), never a column name such as `completed_on`."""
    launch_rows = _decided_and_audit_page(sign_in)

    for text in launch_rows:
        assert "completed_on" not in text, text
        assert not SNAKE_KEY.search(text), text


def test_audit_trail_launch_milestone_entry_shows_no_iso_date(app, sign_in):
    """The date done that the decision writes reads "30 Nov 2026" in the trail, not 2026-11-30."""
    launch_rows = _decided_and_audit_page(sign_in)

    for text in launch_rows:
        assert not ISO_DATE.search(text), text
    assert any("30 Nov 2026" in text for text in launch_rows), launch_rows


# ------------------------------------------------------------------ odd values, never a 500


@pytest.mark.parametrize("query", ["owner=%C2%B2", "workstream=%C2%B2"])
def test_a_filter_with_an_odd_digit_is_ignored_not_a_500(world: World, sign_in, query):
    """`²` (superscript two) passes str.isdigit() but int() refuses it: the filter treats it as
    an unknown value, ignored with a notice."""
    response = sign_in(world.manager).get(f"{_list_url(world)}?{query}")

    assert response.status_code == 200
    assert "There is no" in page_of(response)


def test_audit_trail_odd_page_number_is_not_a_500(world: World, sign_in):
    """A hand-edited `page=²` shows the first page, as any other bad page number does."""
    client = sign_in(world.manager)
    url = f"/programmes/{world.programme.slug}/localities/{world.south.slug}/audit?page=%C2%B2"

    assert client.get(url).status_code == 200


def test_a_row_change_whose_next_carries_a_reserved_argument_is_not_a_500(world: World, sign_in):
    """A `next` whose query string holds `programme_slug` (a tampered URL) still redirects to
    the list page: only the filters carry over from `next`."""
    board = world.m["board"]
    back = f"{_list_url(world)}?programme_slug=dorset"

    response = sign_in(world.manager).post(
        f"/milestones/{board.id}/status", data=_row_form(board, "done", back)
    )

    assert response.status_code == 302


# ------------------------------------------------------------------ where a change lands


def test_bulk_change_returns_to_its_own_programme_not_the_one_next_names(world: World, sign_in):
    """A bulk change of Somerset's milestones lands on Somerset's list even when the posted
    `next` names another programme's list."""
    create_programme("Dorset Family Safeguarding", "dorset")
    board = world.m["board"]

    response = sign_in(world.manager).post(
        f"{_list_url(world)}/bulk",
        data=_bulk([board], "status", "/programmes/dorset/milestones", status="done"),
    )

    assert response.status_code == 302
    assert response.headers["Location"].startswith(_list_url(world))


def test_a_row_change_keeps_the_filters_of_the_page_it_came_from_but_nothing_else(
    world: World, sign_in
):
    """Only the list's filters and sort carry over from `next`; other query arguments drop."""
    board = world.m["board"]
    back = f"{_list_url(world)}?overdue=yes&slug=mendip&_anchor=x&endpoint=admin.index"

    response = sign_in(world.manager).post(
        f"/milestones/{board.id}/status", data=_row_form(board, "done", back)
    )

    assert response.headers["Location"] == f"{_list_url(world)}?overdue=yes#milestone-{board.id}"


def test_a_row_change_whose_next_is_a_page_without_the_row_returns_to_the_programme_list(
    world: World, sign_in
):
    """A `next` naming another locality's page (which does not show the row) or another
    programme's list is not followed: the change returns to the programme's own list."""
    create_programme("Dorset Family Safeguarding", "dorset")
    board = world.m["board"]
    client = sign_in(world.manager)
    mendip = f"/programmes/{world.programme.slug}/localities/{world.mendip.slug}"

    for back in (mendip, "/programmes/dorset/milestones"):
        board = reread(board)
        response = client.post(
            f"/milestones/{board.id}/status", data=_row_form(board, "in_progress", back)
        )
        assert response.headers["Location"] == f"{_list_url(world)}#milestone-{board.id}", back


def test_a_programme_wide_row_change_may_return_to_any_locality_page(world: World, sign_in):
    """Every locality page of the programme shows the programme-wide milestones."""
    comms = world.m["comms"]
    mendip = f"/programmes/{world.programme.slug}/localities/{world.mendip.slug}"

    response = sign_in(world.manager).post(
        f"/milestones/{comms.id}/status", data=_row_form(comms, "done", mendip)
    )

    assert response.headers["Location"] == f"{mendip}#milestone-{comms.id}"


# ------------------------------------------------------------------ accessibility


def test_bulk_selection_labels_are_unique_on_the_programme_page(world: World, sign_in):
    """Localities share milestone titles (from one timeline template): each "Select …" label on
    the programme-wide page names the locality too ("Select Board set up, Mendip"), so no two
    are the same (WCAG 2.4.6)."""
    create_milestone(
        world.mendip,
        workstream=world.governance,
        title="Board set up",
        due=TODAY + timedelta(days=2),
    )
    page = page_of(sign_in(world.manager).get(_list_url(world)))

    labels = [
        visible_text(label)
        for label in re.findall(
            r'<label class="app-visually-hidden" for="select-\d+">(.*?)</label>', page, re.S
        )
    ]
    assert len(labels) == 6
    duplicates = {label for label in labels if labels.count(label) > 1}
    assert not duplicates, duplicates
    assert {"Select Board set up, Mendip", "Select Board set up, South Somerset"} <= set(labels)
    assert "Select Comms plan, programme-wide" in labels


def test_bulk_error_summary_links_to_the_field(world: World, sign_in):
    """Moving due dates with no number of days says so in the error summary, linking to the
    days box (#bulk-days)."""
    jobs = world.m["jobs"]

    response = sign_in(world.manager).post(
        f"{_list_url(world)}/bulk", data=_bulk([jobs], "move", _list_url(world), days="")
    )

    assert response.status_code == 400
    summary = re.search(r'<div class="app-error-summary".*?</div>', page_of(response), re.S)
    assert summary, "no error summary"
    assert 'href="#bulk-days"' in summary.group(0), visible_text(summary.group(0))


def test_a_non_number_of_days_is_refused_naming_the_field(world: World, sign_in):
    """ "five" in the days box is refused with a message naming the working days, not WTForms'
    bare "Not a valid integer value."."""
    jobs = world.m["jobs"]

    response = sign_in(world.manager).post(
        f"{_list_url(world)}/bulk", data=_bulk([jobs], "move", _list_url(world), days="five")
    )

    assert response.status_code == 400
    text = visible_text(page_of(response))
    assert "Not a valid integer value" not in text
    assert "working days" in text.lower()


def test_a_refused_bulk_change_on_the_locality_page_titles_the_page_error(world: World, sign_in):
    """The locality page shown again for a refused bulk change starts its <title> with "Error:",
    as the programme-wide page does."""
    board = world.m["board"]
    back = f"/programmes/{world.programme.slug}/localities/{world.south.slug}"

    response = sign_in(world.manager).post(
        f"{_list_url(world)}/bulk", data=_bulk([board], "move", back, days="")
    )

    assert response.status_code == 400
    title = re.search(r"<title>(.*?)</title>", page_of(response), re.S).group(1).strip()
    assert title.startswith("Error:"), title


def test_a_refused_row_change_without_javascript_is_announced_at_the_top(world: World, sign_in):
    """Without JavaScript a stale row change is answered with the page from the top (a 409 cannot
    carry the #milestone anchor): besides the message on the row, an error summary at the top
    links to the row."""
    board = world.m["board"]
    client = sign_in(world.manager)
    seen = board.version
    client.post(f"/milestones/{board.id}/status", data=_row_form(board, "in_progress", ""))

    response = client.post(
        f"/milestones/{board.id}/status",
        data=_row_form(board, "done", _list_url(world), version=seen),
    )

    assert response.status_code == 409
    page = page_of(response)
    summary = re.search(r'<div class="app-error-summary".*?</div>', page, re.S)
    assert summary, "no error summary at the top of the page"
    assert f'href="#milestone-{board.id}"' in summary.group(0) or (
        f'href="#status-{board.id}"' in summary.group(0)
    )
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
    assert title.startswith("Error:"), title


# ------------------------------------------------------------------ the launch milestone


def test_the_row_form_does_not_offer_a_status_for_the_launch_milestone(app, sign_in):
    """The launch milestone follows the go-live decision: its row offers no status select and
    Save button (they could only be refused) but says so, linking to the readiness page."""
    programme, locality, team, launch = _ready_setting()
    client = sign_in(create_user("programme_manager"))

    page = page_of(client.get(f"/programmes/{programme.slug}/milestones"))

    row = re.search(rf'<tr id="milestone-{launch.id}".*?</tr>', page, re.S)
    assert row, "the launch milestone is not listed"
    assert f'id="status-{launch.id}"' not in row.group(0)
    assert "Follows the go-live decision" in visible_text(row.group(0))
    assert f"/programmes/{programme.slug}/localities/{locality.slug}/readiness#decision" in (
        row.group(0)
    )


def test_a_bulk_refusal_for_the_launch_milestone_reads_once(app, sign_in):
    """A bulk status change including the launch milestone is refused whole, with a message
    naming the milestone once (not "“X”: “X” follows the board's go-live decision…")."""
    programme, locality, team, launch = _ready_setting()
    client = sign_in(create_user("programme_manager"))
    url = f"/programmes/{programme.slug}/milestones"

    response = client.post(f"{url}/bulk", data=_bulk([launch], "status", url, status="done"))

    assert response.status_code == 400
    assert reread(launch).status == "not_started"
    text = visible_text(page_of(response))
    assert text.count(f"“{DECISION_TITLE}”") == 1, text


# ------------------------------------------------------------------ programme-wide milestones


def test_a_programme_wide_milestone_refuses_a_due_date_typo(world: World, sign_in):
    """A programme-wide milestone's due date must be within 5 years of the localities' go-live
    dates, as a locality milestone's is of its go-live date: year 0207 (for 2027) is refused."""
    client = sign_in(world.manager)

    response = client.post(
        f"{_list_url(world)}/new",
        data={
            "title": "Comms refresh",
            "workstream": world.governance.name,
            "due": "0207-01-31",
            "owner": "",
            "description": "",
        },
    )

    assert response.status_code == 400
    assert db.session.query(Milestone).filter_by(title="Comms refresh").count() == 0
    assert date(207, 1, 31) not in [m.due for m in db.session.query(Milestone)]


def test_editing_a_programme_wide_milestone_refuses_a_due_date_typo(world: World, sign_in):
    """The same window holds when a programme-wide milestone's due date is changed."""
    comms = world.m["comms"]

    response = sign_in(world.manager).post(
        f"/milestones/{comms.id}/edit",
        data={
            "version": str(comms.version),
            "status": comms.status,
            "owner": "",
            "due": "0207-03-05",
            "notes": "",
        },
    )

    assert response.status_code == 400
    assert "within 5 years of the localities" in visible_text(page_of(response))
    assert reread(comms).due == date(2027, 3, 5)


def test_a_bulk_move_out_of_the_planning_window_is_refused_linking_to_the_row(
    world: World, sign_in
):
    """Moving due dates goes through the same window: a programme-wide milestone already at its
    edge cannot be moved further, and the summary links to its row's checkbox."""
    comms = world.m["comms"]
    comms.due = date(2032, 4, 28)  # five years after the localities' go-live (6 Apr 2027)
    db.session.commit()

    response = sign_in(world.manager).post(
        f"{_list_url(world)}/bulk", data=_bulk([comms], "move", _list_url(world), days="5")
    )

    assert response.status_code == 400
    summary = re.search(r'<div class="app-error-summary".*?</div>', page_of(response), re.S)
    assert f'href="#select-{comms.id}"' in summary.group(0)
    assert "“Comms plan”: The due date must be within 5 years" in visible_text(summary.group(0))
    assert reread(comms).due == date(2032, 4, 28)


# ------------------------------------------------------------------ the bulk form's fields


def test_a_bulk_status_change_ignores_whatever_is_in_the_days_box(world: World, sign_in):
    """The days box matters only to "Move due dates": a leftover word does not refuse a status
    change."""
    jobs = world.m["jobs"]

    response = sign_in(world.manager).post(
        f"{_list_url(world)}/bulk",
        data=_bulk([jobs], "status", _list_url(world), status="done", days="five"),
    )

    assert response.status_code == 302
    assert reread(jobs).status == "done"


def test_a_bulk_move_by_too_many_days_is_refused_naming_the_limit(world: World, sign_in):
    jobs = world.m["jobs"]

    response = sign_in(world.manager).post(
        f"{_list_url(world)}/bulk", data=_bulk([jobs], "move", _list_url(world), days="-300")
    )

    assert response.status_code == 400
    assert "at most 250 working days" in visible_text(page_of(response))
    assert reread(jobs).due == TODAY + timedelta(days=10)


def test_a_crafted_bulk_status_is_refused_in_words(world: World, sign_in):
    """An unknown status (a hand-made form) is refused with the statuses' labels, not keys."""
    jobs = world.m["jobs"]

    response = sign_in(world.manager).post(
        f"{_list_url(world)}/bulk",
        data=_bulk([jobs], "status", _list_url(world), status="finished"),
    )

    assert response.status_code == 400
    summary = re.search(r'<div class="app-error-summary".*?</div>', page_of(response), re.S)
    text = visible_text(summary.group(0))
    assert "There is no status “finished”: choose one of Not started, In progress" in text
    assert "not_started" not in text
    assert reread(jobs).status == "not_started"


def test_a_bulk_move_where_no_selected_milestone_has_a_due_date_is_refused(world: World, sign_in):
    undated = create_milestone(world.south, workstream=world.governance, title="Undated", due=None)

    response = sign_in(world.manager).post(
        f"{_list_url(world)}/bulk", data=_bulk([undated], "move", _list_url(world), days="5")
    )

    assert response.status_code == 400
    text = visible_text(page_of(response))
    assert "The selected milestone has no due date to move. Nothing was changed." in text
    assert "Moved the due date of 0 milestones" not in text


def test_a_stale_row_in_a_bulk_change_is_marked_on_its_row(world: World, sign_in):
    """Besides the summary (which links to the row), the stale row says so itself."""
    board, comms = world.m["board"], world.m["comms"]
    data = _bulk([board, comms], "status", _list_url(world), status="done")
    client = sign_in(world.manager)
    client.post(f"/milestones/{comms.id}/status", data=_row_form(comms, "in_progress", ""))

    response = client.post(f"{_list_url(world)}/bulk", data=data)

    assert response.status_code == 409
    page = page_of(response)
    summary = re.search(r'<div class="app-error-summary".*?</div>', page, re.S)
    assert f'href="#select-{comms.id}"' in summary.group(0)
    row = re.search(rf'<tr id="milestone-{comms.id}".*?</tr>', page, re.S).group(0)
    assert "Someone else changed “Comms plan”" in visible_text(row)
