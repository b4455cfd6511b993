# ruff: noqa: F811  (the `world` fixture is imported and used by name)
"""Review probes for issue 14 (milestones at speed, the go-live decision, plain-English records).

Each probe states what a programme manager, a board member or an accessibility auditor expects
from the issue's text, and fails while the app falls short of it. They change no app code.
"""

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


def test_probe_audit_trail_launch_milestone_entry_names_no_internal_key(app, sign_in):
    """Issue §4: "the audit trail shows labels, not keys". Recording the go-live decision writes
    an entry for the launch milestone; a board member reading the trail expects words such as
    "status and completion date", never the column name `completed_on`."""
    launch_rows = _decided_and_audit_page(sign_in)

    for text in launch_rows:
        assert "completed_on" not in text, text
        assert not SNAKE_KEY.search(text), text


def test_probe_audit_trail_launch_milestone_entry_shows_no_iso_date(app, sign_in):
    """Issue §4: dates read "11 Jan 2027" everywhere a person reads one, and the trail shows
    "Go-live date: 11 Jan 2027 → 25 Jan 2027"-style lines. The launch milestone's completion
    date, written by the decision, must not appear as an ISO date (2026-11-30)."""
    launch_rows = _decided_and_audit_page(sign_in)

    for text in launch_rows:
        assert not ISO_DATE.search(text), text
    assert any("30 Nov 2026" in text for text in launch_rows), launch_rows


# ------------------------------------------------------------------ "never a 500"


@pytest.mark.parametrize("query", ["owner=%C2%B2", "workstream=%C2%B2"])
def test_probe_a_filter_with_an_odd_digit_is_ignored_not_a_500(world: World, sign_in, query):
    """Issue "Bad input": "a filter with an unknown value is ignored with a notice, never a 500".
    `²` (superscript two) passes str.isdigit() but int() refuses it: the filter parser must treat
    it as an unknown value, not crash the programme-wide milestones page."""
    response = sign_in(world.manager).get(f"{_list_url(world)}?{query}")

    assert response.status_code == 200
    assert "There is no" in page_of(response)


def test_probe_audit_trail_odd_page_number_is_not_a_500(world: World, sign_in):
    """Issue §4: the audit trail has paging. A hand-edited `page=²` (isdigit() but not int())
    should fall back to the first page as any other bad page number does, not answer 500."""
    client = sign_in(world.manager)
    url = f"/programmes/{world.programme.slug}/localities/{world.south.slug}/audit?page=%C2%B2"

    assert client.get(url).status_code == 200


def test_probe_a_row_change_whose_next_carries_a_reserved_argument_is_not_a_500(
    world: World, sign_in
):
    """Issue §2/§6: a row change redirects back to the list it came from. A `next` naming a list
    page whose query string holds `programme_slug` (e.g. a bookmarked or tampered URL) must still
    redirect to a list page, not crash with "multiple values for keyword argument"."""
    board = world.m["board"]
    back = f"{_list_url(world)}?programme_slug=dorset"

    response = sign_in(world.manager).post(
        f"/milestones/{board.id}/status", data=_row_form(board, "done", back)
    )

    assert response.status_code == 302


# ------------------------------------------------------------------ where a change lands


def test_probe_bulk_change_returns_to_its_own_programme_not_the_one_next_names(
    world: World, sign_in
):
    """Issue §2: bulk actions belong to "the programme-wide milestones page" of one programme and
    a change mixing programmes is refused. After marking Somerset's milestones done, the manager
    expects to land on Somerset's list (with the "Marked 1 milestone done" message), not on
    another programme's list because the posted `next` named it."""
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


def test_probe_bulk_selection_labels_are_unique_on_the_programme_page(world: World, sign_in):
    """Accessibility (WCAG 2.4.6 / 1.3.1) and issue §2: the programme-wide page lists every
    locality's milestones, and timeline templates give each locality the same titles. Each
    "Select …" checkbox label must name the row it selects (e.g. with its locality), or a screen
    reader user hears six identical "Select Board set up" boxes and cannot tell them apart."""
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


def test_probe_bulk_error_summary_links_to_the_field(world: World, sign_in):
    """House rule and issue §2: "errors shown with the error summary macro"; GOV.UK's error
    summary links each message to the field to correct. Moving due dates with no number of days
    says "Enter how many working days…" — that message must link to the days box (#bulk-days)."""
    jobs = world.m["jobs"]

    response = sign_in(world.manager).post(
        f"{_list_url(world)}/bulk", data=_bulk([jobs], "move", _list_url(world), days="")
    )

    assert response.status_code == 400
    summary = re.search(r'<div class="app-error-summary".*?</div>', page_of(response), re.S)
    assert summary, "no error summary"
    assert 'href="#bulk-days"' in summary.group(0), visible_text(summary.group(0))


def test_probe_a_non_number_of_days_is_refused_naming_the_field(world: World, sign_in):
    """House rule "Bad input: clear message naming the field" and issue §2 ("move due date by N
    working days"). Typing "five" in the days box should say what is wrong with the working
    days, not WTForms' bare "Not a valid integer value."."""
    jobs = world.m["jobs"]

    response = sign_in(world.manager).post(
        f"{_list_url(world)}/bulk", data=_bulk([jobs], "move", _list_url(world), days="five")
    )

    assert response.status_code == 400
    text = visible_text(page_of(response))
    assert "Not a valid integer value" not in text
    assert "working days" in text.lower()


def test_probe_a_refused_bulk_change_on_the_locality_page_titles_the_page_error(
    world: World, sign_in
):
    """Accessibility (GOV.UK error pattern, as the programme-wide page already does): a page shown
    again because a change was refused starts its <title> with "Error:", so a screen reader user
    knows at once. The locality page's milestone section is re-rendered with a 409/400 but its
    title stays "South Somerset"."""
    board = world.m["board"]
    back = f"/programmes/{world.programme.slug}/localities/{world.south.slug}"

    response = sign_in(world.manager).post(
        f"{_list_url(world)}/bulk", data=_bulk([board], "move", back, days="")
    )

    assert response.status_code == 400
    title = re.search(r"<title>(.*?)</title>", page_of(response), re.S).group(1).strip()
    assert title.startswith("Error:"), title


def test_probe_a_refused_row_change_without_javascript_is_announced_at_the_top(
    world: World, sign_in
):
    """Issue §2: without JavaScript a stale row change "says so on the row"; the page answering it
    is shown from the top (a 409 cannot carry the #milestone anchor), so the refusal must also be
    in an error summary at the top linking to the row, and the title must say "Error:" — else the
    manager sees an unchanged page and thinks her change was saved."""
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


# ------------------------------------------------------------------ the launch milestone


def test_probe_the_row_form_does_not_offer_a_status_for_the_launch_milestone(app, sign_in):
    """Issue §3: the launch milestone is "not markable done by hand"; its edit page rightly shows
    no status field. The list's row must not offer a status select and Save button for it either
    (a control that can only ever be refused)."""
    programme, locality, team, launch = _ready_setting()
    client = sign_in(create_user("programme_manager"))

    page = page_of(client.get(f"/programmes/{programme.slug}/milestones"))

    row = re.search(rf'<tr id="milestone-{launch.id}".*?</tr>', page, re.S)
    assert row, "the launch milestone is not listed"
    assert f'id="status-{launch.id}"' not in row.group(0)


def test_probe_a_bulk_refusal_for_the_launch_milestone_reads_once(app, sign_in):
    """Issue §2/§3: a bulk status change including the launch milestone is refused whole, with a
    message naming the milestone. The message should read as a sentence, not repeat the title
    ("“X”: “X” follows the board's go-live decision…")."""
    programme, locality, team, launch = _ready_setting()
    client = sign_in(create_user("programme_manager"))
    url = f"/programmes/{programme.slug}/milestones"

    response = client.post(f"{url}/bulk", data=_bulk([launch], "status", url, status="done"))

    assert response.status_code == 400
    assert reread(launch).status == "not_started"
    text = visible_text(page_of(response))
    assert text.count(f"“{DECISION_TITLE}”") == 1, text


# ------------------------------------------------------------------ programme-wide milestones


def test_probe_a_programme_wide_milestone_refuses_a_due_date_typo(world: World, sign_in):
    """Issue §2: programme-wide milestones "can now be created and edited" on the programme page;
    house rule "Bad input: clear message naming the field". A locality milestone refuses a due
    date years away from its go-live date (a typo like 0207 for 2027); a programme-wide one must
    not silently accept year 0207 either."""
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
