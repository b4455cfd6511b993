"""The board's go-live decision on a page: a locality not ready says why instead of offering the
decision; the confirmation shows the evidence that will be recorded and needs a minutes note and
an explicit confirmation; a confirmation whose evidence changed meanwhile is refused with the new
evidence; the decision approves go-live on the go-live date; and the launch milestone that
stands for the decision follows it."""

import re

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import GoLiveDecision, Milestone
from programme.services import milestones
from programme.services.errors import ServiceError
from programme.services.exports.summary_sheet import summary_sheet
from programme.services.readiness import board, decisions
from tests.builders import (
    apply_lancashire,
    create_locality,
    create_milestone,
    create_post,
    create_user,
)
from tests.conftest import TODAY
from tests.pages import page_of, visible_text
from tests.queries import audit_events_for, count_rows, reread
from tests.views.test_readiness import (
    GO_LIVE,
    _error_summary,
    _flashes,
    _make_ready,
    _setting,
    _url,
)

NOTE = "Operational board, 30 November 2026, item 4"
DECISION_TITLE = "Go-live decision by the operational board"


def _confirm_url(locality) -> str:
    return _url(locality, "go-live/confirm")


def _fingerprint(page: str) -> str:
    return re.search(r'name="fingerprint" type="hidden" value="(\w+)"', page)[1]


def _evidence(page: str) -> dict[str, str]:
    table = re.search(
        r'<table class="app-table app-table--stack" id="evidence">.*?</table>', page, re.S
    )
    assert table, "the page shows no evidence"
    return {
        key: visible_text(row)
        for key, row in re.findall(r'<tr data-criterion="(\w+)">(.*?)</tr>', table[0], re.S)
    }


def _state(page: str) -> str:
    return visible_text(re.search(r'id="locality-state">(.*?)</dd>', page, re.S)[1])


def _ready_setting():
    programme, locality, team = _setting()
    _make_ready(programme, locality, team)
    launch = create_milestone(
        locality, title=DECISION_TITLE, stands_for="go_live_decision", due=GO_LIVE
    )
    return programme, locality, team, launch


def _confirm(client, locality, **overrides):
    page = page_of(client.get(_confirm_url(locality)))
    form = {"note": NOTE, "confirmed": "y", "fingerprint": _fingerprint(page), **overrides}
    return client.post(_url(locality, "go-live"), data=form)


# ------------------------------------------------------------------ a locality not ready


def test_a_locality_not_ready_says_why_instead_of_offering_the_decision(app, sign_in):
    programme, locality, team = _setting()
    create_post(team, "da_victims", status="in_post")
    create_post(team, "adult_mental_health", status="vacant")
    client = sign_in(create_user("board_member"))

    page = page_of(client.get(_url(locality)))

    assert "Record the go-live decision" not in page
    assert "go-live/confirm" not in page
    why = visible_text(re.search(r'<div id="decision-state">(.*?)</div>', page, re.S)[1])
    assert why == (
        "Bridgwater cannot go live yet. The go-live decision can be recorded once every "
        "criterion is met; these are not: "
        "Adult specialist workers recruited: 50% (1 of 2), needs 70% "
        "Relevant staff trained in MI and the FS practice and change workshops: No staff in "
        "this locality need Motivational Interviewing or FS practice and change workshops. "
        "Gate-critical milestones done: No gate-critical milestones: apply a timeline template."
    )
    assert 'href="#criterion-adult_specialists_recruited"' in page

    # The locality page's gate row says the same, linking to the criteria.
    page = page_of(client.get(_url(locality, "")[:-1]))
    row = re.search(r'id="gate-summary">(.*?)</dd>', page, re.S)[1]
    assert "Not ready" in visible_text(row)
    assert "Adult specialist workers recruited: 50% (1 of 2), needs 70%" in visible_text(row)
    assert f'href="{_url(locality)}#criterion-adult_specialists_recruited"' in row


def test_the_confirmation_refuses_a_locality_not_ready_even_opened_directly(app, sign_in):
    programme, locality, team = _setting()
    create_post(team, "da_victims", status="in_post")
    create_post(team, "adult_mental_health", status="vacant")
    client = sign_in(create_user("board_member"))

    response = client.get(_confirm_url(locality))

    assert response.status_code == 409
    page = page_of(response)
    assert "<title>Error: " in page
    refusal = _error_summary(page)
    assert refusal.startswith("Bridgwater cannot go live yet Nothing was recorded.")
    assert "Adult specialist workers recruited: 50% (1 of 2), needs 70%" in refusal
    assert 'name="note"' not in page
    assert "1 of 2" in _evidence(page)["adult_specialists_recruited"]

    # Posting anyway is refused the same way, and nothing is written.
    response = client.post(
        _url(locality, "go-live"), data={"note": NOTE, "confirmed": "y", "fingerprint": "x"}
    )
    assert response.status_code == 409
    assert "cannot go live yet" in _error_summary(page_of(response))
    assert reread(locality).state == "planning"
    assert count_rows(GoLiveDecision) == 0
    assert audit_events_for("locality", locality.id) == []


# ------------------------------------------------------------------ the confirmation


def test_a_ready_locality_offers_the_decision_as_a_link_to_its_confirmation(app, sign_in):
    programme, locality, team, _launch = _ready_setting()
    client = sign_in(create_user("board_member"))

    page = page_of(client.get(_url(locality)))

    assert re.search(
        rf'<a class="app-button" href="{re.escape(_confirm_url(locality))}">'
        r"Record the go-live decision</a>",
        page,
    )
    assert "<form" not in re.search(r'id="decision".*?(?=<table|\Z)', page, re.S)[0]
    # A viewer is told who decides, and offered nothing.
    viewer = sign_in(create_user("viewer"))
    page = page_of(viewer.get(_url(locality)))
    assert "Every criterion is met. Board members record the go-live decision." in page
    assert "go-live/confirm" not in page


def test_the_confirmation_shows_the_evidence_that_will_be_recorded(app, sign_in):
    programme, locality, team, _launch = _ready_setting()
    client = sign_in(create_user("board_member"))

    response = client.get(_confirm_url(locality))

    assert response.status_code == 200
    page = page_of(response)
    assert re.search(r"<h1[^>]*>\s*Record the go-live decision\s*</h1>", page)
    assert "Every criterion of the go-live gate as of 30 Nov 2026." in visible_text(page)
    assert _evidence(page) == {
        "adult_specialists_recruited": "Adult specialist workers recruited 100% 70% 1 of 1 Yes —",
        "trained_mi_and_fs": (
            "Relevant staff trained in MI and the FS practice and change workshops "
            "100% 70% 1 of 1 Yes —"
        ),
        "gate_milestones_done": "Gate-critical milestones done 100% 100% 1 of 1 Yes —",
    }
    assert "at least 3 words" in visible_text(page)
    assert '<label class="app-label" for="note">Minutes note</label>' in page
    assert 'type="checkbox"' in page and 'name="confirmed"' in page
    assert re.fullmatch(r"\w{32}", _fingerprint(page))
    assert count_rows(GoLiveDecision) == 0


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("", "Enter the minutes note: the meeting that decided and its date."),
        ("   ", "Enter the minutes note: the meeting that decided and its date."),
        (
            "Board today",
            "Write the minutes note in at least 3 words: the meeting that decided and its date.",
        ),
    ],
)
def test_the_minutes_note_is_required_in_a_few_words(app, sign_in, note, message):
    programme, locality, team, _launch = _ready_setting()
    client = sign_in(create_user("board_member"))

    response = _confirm(client, locality, note=note)

    assert response.status_code == 400
    page = page_of(response)
    assert "<title>Error: " in page
    assert message in _error_summary(page)
    assert '<a href="#note">' in page
    assert _evidence(page)  # the evidence is still shown
    assert reread(locality).state == "planning"
    assert count_rows(GoLiveDecision) == 0


def test_the_confirmation_must_be_ticked(app, sign_in):
    programme, locality, team, _launch = _ready_setting()
    client = sign_in(create_user("board_member"))

    response = _confirm(client, locality, confirmed="")

    assert response.status_code == 400
    page = page_of(response)
    assert "Confirm that the board made this decision on this evidence." in _error_summary(page)
    assert '<a href="#confirmed">' in page
    assert f"{NOTE}</textarea>" in page  # the note typed is kept
    assert count_rows(GoLiveDecision) == 0


def test_confirming_records_the_decision_and_shows_it_approved_until_the_go_live_date(app, sign_in):
    programme, locality, team, _launch = _ready_setting()
    client = sign_in(create_user("board_member", name="Bea Board"))

    response = _confirm(client, locality)

    assert response.status_code == 302
    assert response.location == _url(locality)
    assert reread(locality).state == "live"
    [decision] = db.session.scalars(select(GoLiveDecision)).all()
    assert (decision.decided_by_name, decision.note) == ("Bea Board", NOTE)
    assert [c["key"] for c in decision.evidence["criteria"]] == [
        "adult_specialists_recruited",
        "trained_mi_and_fs",
        "gate_milestones_done",
    ]
    assert "go_live" in [e.action for e in audit_events_for("locality", locality.id)]

    page = page_of(client.get(response.location))
    assert (
        "Recorded the board's go-live decision for Bridgwater: Approved — goes live on "
        "6 Apr 2027." in _flashes(page)
    )
    assert (
        _state(page) == "Approved — goes live on 6 Apr 2027 by decision of Bea Board on 30 Nov 2026"
    )
    assert "The board approved Bridgwater to go live on 6 Apr 2027." in visible_text(page)
    assert "Rescind the go-live decision" in page
    assert "Record the go-live decision" not in page

    # The confirmation now says a decision is in force, and a second one is refused.
    response = client.get(_confirm_url(locality))
    assert response.status_code == 409
    assert (
        "Bridgwater already has a go-live decision in force: Approved — goes live on 6 Apr 2027. "
        "Nothing was recorded."
    ) in _error_summary(page_of(response))
    response = client.post(
        _url(locality, "go-live"), data={"note": NOTE, "confirmed": "y", "fingerprint": "x"}
    )
    assert response.status_code == 409
    assert count_rows(GoLiveDecision) == 1


def test_a_confirmation_whose_evidence_changed_is_refused_and_shows_the_new_evidence(app, sign_in):
    programme, locality, team, _launch = _ready_setting()
    client = sign_in(create_user("board_member"))
    page = page_of(client.get(_confirm_url(locality)))
    seen = _fingerprint(page)
    assert "1 of 1" in _evidence(page)["adult_specialists_recruited"]

    # Another import lands: a second adult specialist in post. Still ready, other evidence.
    create_post(team, "adult_mental_health", status="in_post")
    form = {"note": NOTE, "confirmed": "y", "fingerprint": seen}
    response = client.post(_url(locality, "go-live"), data=form)

    assert response.status_code == 409
    page = page_of(response)
    assert "<title>Error: " in page
    assert (
        "The evidence for Bridgwater changed after the confirmation was shown. Nothing was "
        "recorded: check the evidence as it is now and confirm again."
    ) in _error_summary(page)
    assert _evidence(page)["adult_specialists_recruited"] == (
        "Adult specialist workers recruited 100% 70% 2 of 2 Yes —"
    )
    fresh = _fingerprint(page)
    assert fresh != seen
    assert f"{NOTE}</textarea>" in page
    assert not re.search(r'name="confirmed"[^>]*checked', page)  # to be ticked again
    assert reread(locality).state == "planning"
    assert count_rows(GoLiveDecision) == 0

    # Confirming the new evidence records it.
    response = client.post(_url(locality, "go-live"), data={**form, "fingerprint": fresh})
    assert response.status_code == 302
    [decision] = db.session.scalars(select(GoLiveDecision)).all()
    assert decision.evidence["criteria"][0]["numerator"] == 2


def test_the_service_refuses_a_decision_on_evidence_that_changed(app):
    programme, locality, team, _launch = _ready_setting()
    seen = decisions.fingerprint(decisions.proposal(locality, TODAY))
    create_post(team, "adult_mental_health", status="in_post")

    with pytest.raises(decisions.EvidenceChanged) as refused:
        decisions.go_live(locality, create_user("board_member"), NOTE, TODAY, evidence_seen=seen)

    assert refused.value.readiness.results[0].share.numerator == 2
    assert count_rows(GoLiveDecision) == 0
    assert reread(locality).state == "planning"


# ------------------------------------------------------------------ approved, then live


def test_a_decided_locality_reads_approved_until_its_go_live_date_then_live(
    app, sign_in, pin_clock
):
    programme, locality, team, _launch = _ready_setting()
    decisions.go_live(locality, create_user("board_member", name="Bea Board"), NOTE, TODAY)
    client = sign_in(create_user("viewer"))
    show_url = _url(locality, "")[:-1]

    gate_row = visible_text(
        re.search(r'id="gate-summary">(.*?)</dd>', page_of(client.get(show_url)), re.S)[1]
    )
    assert gate_row.startswith("Approved — goes live on 6 Apr 2027 by the board's decision")
    sheet = summary_sheet(board.board(programme, TODAY), {})
    assert sheet.rows[0][4] == "Approved — goes live on 6 Apr 2027"

    pin_clock(GO_LIVE)
    client = sign_in(create_user("viewer"))  # months later: a new session
    page = page_of(client.get(_url(locality)))
    assert _state(page) == "Live by decision of Bea Board on 30 Nov 2026"
    assert "Bridgwater is live." in visible_text(page)
    gate_row = visible_text(
        re.search(r'id="gate-summary">(.*?)</dd>', page_of(client.get(show_url)), re.S)[1]
    )
    assert gate_row.startswith("Live by the board's decision")
    sheet = summary_sheet(board.board(programme, GO_LIVE), {})
    assert sheet.rows[0][4] == "Live"


# ------------------------------------------------------------------ the launch milestone


def test_the_launch_milestone_is_done_on_the_decision_and_reopened_on_rescinding(app, sign_in):
    programme, locality, team, launch = _ready_setting()
    client = sign_in(create_user("board_member", name="Bea Board"))

    assert _confirm(client, locality).status_code == 302

    launch = reread(launch)
    assert (launch.status, launch.completed_on) == ("done", TODAY)
    [event] = audit_events_for("milestone", launch.id)
    assert event.summary == (
        f"Changed “{DECISION_TITLE}”: status and date done (the go-live decision recorded)"
    )
    assert event.after == {"status": "done", "completed_on": TODAY.isoformat()}

    response = client.post(_url(locality, "rescind"), data={"reason": "The trust withdrew."})

    assert response.status_code == 302
    launch = reread(launch)
    assert (launch.status, launch.completed_on) == ("in_progress", None)
    events = audit_events_for("milestone", launch.id)
    assert len(events) == 2
    assert {"status": "in_progress", "completed_on": None} in [e.after for e in events]


def test_the_launch_milestone_cannot_be_changed_by_hand_through_the_service(app):
    programme, locality, team, launch = _ready_setting()
    manager = create_user("programme_manager")

    with pytest.raises(ServiceError) as refused:
        milestones.update_milestone(
            launch.id, manager, today=TODAY, expected_version=None, status="done"
        )

    assert refused.value.message == (
        f"“{DECISION_TITLE}” follows the board's go-live decision; record or rescind the "
        "decision on the readiness page."
    )
    assert refused.value.field == "status"
    assert reread(launch).status == "not_started"
    # Its other fields stay editable.
    milestones.update_milestone(
        launch.id, manager, today=TODAY, expected_version=None, notes="Board on 30 Nov"
    )
    assert reread(launch).notes == "Board on 30 Nov"


def test_the_launch_milestones_edit_page_explains_instead_of_offering_a_status(app, sign_in):
    programme, locality, team, launch = _ready_setting()
    client = sign_in(create_user("programme_manager"))
    url = f"/milestones/{launch.id}/edit"

    page = page_of(client.get(url))

    assert 'name="status"' not in page
    assert "This milestone follows the board's go-live decision" in visible_text(page)
    assert f'href="{_url(locality)}#decision"' in page

    # A status sent anyway is refused, naming why; nothing is saved.
    version = str(reread(launch).version)
    response = client.post(url, data={"version": version, "status": "done", "notes": "Done"})
    assert response.status_code == 400
    page = page_of(response)
    assert "follows the board's go-live decision" in _error_summary(page)
    assert '<a href="#status">' in page
    launch = reread(launch)
    assert (launch.status, launch.notes) == ("not_started", "")

    # Without a status, the other fields save.
    response = client.post(url, data={"version": version, "notes": "Papers sent"})
    assert response.status_code == 302
    assert reread(launch).notes == "Papers sent"


def test_programmes_and_applied_templates_carry_the_decision_milestone(app):
    programme, locality, _team = _setting()
    other = create_locality(programme, name="Yeovil", slug="yeovil")

    apply_lancashire(other)

    linked = db.session.scalars(
        select(Milestone).where(
            Milestone.locality_id == other.id, Milestone.stands_for == "go_live_decision"
        )
    ).all()
    assert [m.title for m in linked] == [DECISION_TITLE]
    assert [item.title for item in programme.timeline_templates[0].items if item.stands_for] == [
        DECISION_TITLE
    ]
