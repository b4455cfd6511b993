"""The audit trail in plain English: every entity and field the app records today (each
`audit.record(` call) reads as labels and formatted values, never as internal keys."""

import re
from zoneinfo import ZoneInfo

import pytest

from programme.domain.audit_changes import (
    ACTION_LABELS,
    ChangeLine,
    Lookups,
    action_label,
    change_lines,
    field_label,
    format_value,
    humanise,
)

LOOKUPS = Lookups(
    criteria={
        "adult_specialists_recruited": "Adult specialists recruited",
        "trained_both": "Relevant staff trained in MI and the FS workshops",
        "trained_mi": "Relevant staff trained in MI",
    },
    people={"ada@example.org": "Ada Lovelace", "grace@example.org": "Grace Hopper"},
    courses={"mi": "Motivational interviewing", "fs_workshops": "FS practice workshops"},
    localities={"blackpool": "Blackpool", "fylde": "Fylde"},
    teams={3: "Blackpool North"},
    roles={5: "Domestic abuse worker"},
    organisations={7: "Lancashire County Council"},
    zone=ZoneInfo("Europe/London"),
)


def _lines(entity, action, before, after):
    return [line.text for line in change_lines(entity, action, before, after, LOOKUPS)]


# (entity, action, before, after, the lines), one row per kind of entry recorded today.
CASES = [
    # services/milestones.py: update and create
    (
        "milestone",
        "update",
        {"status": "not_started", "owner": "ada@example.org", "due": "2027-01-11"},
        {"status": "in_progress", "owner": None, "due": "2027-01-25"},
        [
            "Status: Not started → In progress",
            "Owner: Ada Lovelace → No owner",
            "Due date: 11 Jan 2027 → 25 Jan 2027",
        ],
    ),
    (
        "milestone",
        "update",
        {"owner": None, "notes": None},
        {"owner": "grace@example.org", "notes": "Chased"},
        ["Owner: No owner → Grace Hopper", "Notes: — → Chased"],
    ),
    (
        "milestone",
        "create",
        None,
        {"title": "Board set up", "due": "2027-01-11", "workstream": "Governance"},
        ["Title: Board set up", "Due date: 11 Jan 2027", "Workstream: Governance"],
    ),
    # services/localities.py: create, update (go-live moved), move_due, team create
    (
        "locality",
        "create",
        None,
        {"name": "Blackpool", "slug": "blackpool", "wave": 1, "go_live": "2027-01-11"},
        [
            "Name: Blackpool",
            "Name in web addresses: blackpool",
            "Wave: 1",
            "Go-live date: 11 Jan 2027",
        ],
    ),
    (
        "locality",
        "update",
        {"go_live": "2027-01-11", "wave": None},
        {"go_live": "2027-01-25", "wave": 2},
        ["Go-live date: 11 Jan 2027 → 25 Jan 2027", "Wave: — → 2"],
    ),
    (
        "milestone",
        "move_due",
        {"due": "2026-12-01"},
        {"due": "2026-12-15"},
        ["Due date: 1 Dec 2026 → 15 Dec 2026"],
    ),
    ("team", "create", None, {"name": "North", "kind": "family_safeguarding"}, None),
    # services/readiness/decisions.py: go_live and go_live_rescinded
    (
        "locality",
        "go_live",
        {"state": "planning"},
        {"state": "live", "decision": 4, "note": "Board, 9 Jan"},
        ["State: Planning → Go-live approved", "Minutes note: Board, 9 Jan"],
    ),
    (
        "locality",
        "go_live_rescinded",
        {"state": "live", "decision": 4},
        {"state": "planning", "reason": "Data was wrong"},
        ["State: Go-live approved → Planning", "Reason: Data was wrong"],
    ),
    # services/readiness/gate_criteria.py and friends
    (
        "gate_criterion",
        "update",
        {"threshold": 80},
        {"threshold": 83.7},
        ["Threshold: 80% → 83%"],
    ),
    (
        "gate_criterion",
        "create",
        None,
        {"kind": "trained", "label": "Trained in MI", "threshold": 70, "key": "trained_mi"},
        [
            "Kind: Relevant staff trained",
            "Label: Trained in MI",
            "Threshold: 70%",
            "Criterion: Relevant staff trained in MI",
        ],
    ),
    (
        "gate_criterion",
        "delete",
        {"key": "adult_specialists_recruited", "label": "Recruited", "threshold": 100},
        None,
        ["Criterion: Adult specialists recruited", "Label: Recruited", "Threshold: 100%"],
    ),
    (
        "gate_criterion",
        "update",
        {"signer": None},
        {"signer": "ada@example.org"},
        ["Signs it off: No owner → Ada Lovelace"],
    ),
    (
        "gate_criterion",
        "exception",
        {"threshold": 80, "waived": False, "reason": None},
        {"threshold": 60, "waived": True, "reason": "Small team"},
        ["Threshold: 80% → 60%", "Waived: No → Yes", "Reason: — → Small team"],
    ),
    (
        "gate_criterion",
        "sign_off",
        None,
        {"signed_on": "2026-11-30", "note": "Checked"},
        ["Signed off on: 30 Nov 2026", "Minutes note: Checked"],
    ),
    (
        "gate_criterion",
        "sign_off_withdrawn",
        {"signed_on": "2026-11-30", "by": "Ada Lovelace"},
        None,
        ["Signed off on: 30 Nov 2026", "Signed off by: Ada Lovelace"],
    ),
    (
        "gate_criterion",
        "update",
        {"criteria": ["trained_mi"]},
        {"criteria": ["trained_both"], "courses": ["mi", "fs_workshops"], "removable": []},
        [
            "Criteria: Relevant staff trained in MI → "
            "Relevant staff trained in MI and the FS workshops",
            "Courses: Motivational interviewing and FS practice workshops",
            "Can now be removed: None",
        ],
    ),
    # users, tokens, passwords, mail
    (
        "user",
        "create",
        None,
        {"email": "a@b.org", "name": "A B", "role": "board_member", "invited": True},
        [
            "E-mail address: a@b.org",
            "Name: A B",
            "Role: Operational board member",
            "Invited by e-mail: Yes",
        ],
    ),
    (
        "user",
        "change_role",
        {"role": "viewer"},
        {"role": "admin"},
        ["Role: Viewer → Administrator"],
    ),
    ("user", "deactivate", {"active": True}, {"active": False}, ["Active: Yes → No"]),
    ("user", "change_password", None, None, []),
    ("api_token", "create", None, {"name": "CI", "prefix": "fsab12"}, None),
    ("api_token", "revoke", {"revoked": False}, {"revoked": True}, ["Revoked: No → Yes"]),
    (
        "digest_preference",
        "change_digest",
        {"enabled": True, "overdue": True},
        {"enabled": False, "overdue": False},
        ["Weekly digest: Yes → No", "Overdue: Yes → No"],
    ),
    (
        "outbox_message",
        "resend",
        {"status": "failed", "attempts": 5, "sent_at": None, "last_error": "Refused"},
        {"status": "pending", "attempts": 0, "sent_at": None, "last_error": None},
        [
            "Status: Failed → Waiting to send",
            "Attempts: 5 → 0",
            "Sent at: — → —",
            "Last error: Refused → —",
        ],
    ),
    # programmes, workstreams, templates
    ("programme", "create", None, {"name": "FS", "slug": "fs"}, None),
    (
        "programme",
        "update",
        {"recruited": ["appointed", "in_post"]},
        {"recruited": ["in_post"]},
        ["Statuses counted as recruited: Appointed and In post → In post"],
    ),
    ("workstream", "update", {"lead": None}, {"lead": "Ada Lovelace"}, ["Lead: — → Ada Lovelace"]),
    ("workstream", "create", None, {"name": "Training"}, ["Name: Training"]),
    (
        "timeline_template_item",
        "update",
        {"offset_amount": -8, "offset_unit": "weeks", "gate_critical": False},
        {"offset_amount": -6, "offset_unit": "weeks", "gate_critical": True},
        [
            "Offset from go-live: -8 → -6",
            "Offset unit: weeks → weeks",
            "Gate-critical: No → Yes",
        ],
    ),
    (
        "locality",
        "apply_template",
        None,
        {"template": "lancashire", "created": 20},
        ["Template: lancashire", "Milestones created: 20"],
    ),
    # recruitment
    (
        "post",
        "update",
        {"status": "vacant", "fte": 1.0, "start_date": None, "role_id": 5},
        {"status": "pre_employment_checks", "fte": 0.5, "start_date": "2027-02-01", "role_id": 5},
        [
            "Status: Vacant → Pre-employment checks",
            "FTE: 1 → 0.5",
            "Start date: — → 1 Feb 2027",
            "Role: Domestic abuse worker → Domestic abuse worker",
        ],
    ),
    (
        "post",
        "delete",
        {"team_id": 3, "organisation_id": 7, "holder_email": None, "reference": "P1"},
        None,
        [
            "Team: Blackpool North",
            "Employer: Lancashire County Council",
            "Post holder's e-mail address: —",
            "Reference: P1",
        ],
    ),
    ("post", "freeze", {"frozen": False}, {"frozen": True}, ["Frozen: No → Yes"]),
    (
        "role",
        "update",
        {"adult_specialist": False, "names": ["DA worker"]},
        {"adult_specialist": True, "names": ["DA worker", "IDVA"]},
        ["Adult specialist: No → Yes", "Other names: DA worker → DA worker and IDVA"],
    ),
    (
        "team",
        "update",
        {"serves_all": False, "serves": ["fylde"]},
        {"serves_all": True, "serves": []},
        ["Serves every locality: No → Yes", "Also serves: Fylde → None"],
    ),
    (
        "team",
        "apply_establishment",
        None,
        {"template": "standard", "posts": 9},
        ["Template: standard", "Posts: 9"],
    ),
    (
        "organisation",
        "update",
        {"agreement_signed_on": None, "contact": "x"},
        {"agreement_signed_on": "2026-10-01", "contact": "y"},
        ["Agreement signed on: — → 1 Oct 2026", "Contact: x → y"],
    ),
    (
        "organisation",
        "merge",
        {"name": "LCC"},
        {"merged": "Lancs CC", "merged_id": 9, "posts": 2, "people": 3},
        ["Merged in: Lancs CC", "Posts: 2", "People: 3", "Name: LCC"],
    ),
    # imports
    (
        "import",
        "import",
        None,
        {"import": 12, "created": 3, "updated": 1},
        ["Milestones created: 3", "Updated: 1"],
    ),
    (
        "import",
        "expire_import",
        None,
        {"import": 12, "state": "expired", "bytes_deleted": 2048},
        ["State: Expired", "File deleted: 2 KB"],
    ),
    (
        "value_alias",
        "create",
        None,
        {"field": "status", "name": "In role", "target": "in_post"},
        None,
    ),
    # training
    (
        "training_session",
        "create",
        None,
        {"course": "mi", "module": 1, "on": "2027-01-04", "capacity": 20},
        ["Course: Motivational interviewing", "Module: 1", "Date: 4 Jan 2027", "Places: 20"],
    ),
    (
        "training_session",
        "register",
        {"ada@example.org": None},
        {"ada@example.org": "left_early"},
        ["ada@example.org: — → Left early"],
    ),
    (
        "training_session",
        "enrol",
        None,
        {"enrolled": ["a@b.org", "c@d.org"]},
        ["Enrolled: a@b.org and c@d.org"],
    ),
    ("staff", "create", None, {"name": "Sam", "email": None, "team": "North"}, None),
    (
        "board_pack",
        "issue_board_pack",
        None,
        {"meeting_date": "2027-01-08", "filename": "pack.pdf", "size": 1536, "previous_id": 2},
        ["Meeting date: 8 Jan 2027", "File name: pack.pdf", "Size: 2 KB"],
    ),
    # issue 20: services/outcomes
    (
        "indicator_target",
        "set_target",
        {"target_value": None, "target_change_percent": -30.0},
        {"target_value": 45.0, "target_change_percent": None, "baseline_on": "2025-12-31"},
        [
            "Target: — → 45.0",
            "Target change (%): -30.0 → —",
            "Baseline date: 31 Dec 2025",
        ],
    ),
    ("indicator_value", "update", {"value": 58.5}, {"value": 57.0}, ["Value: 58.5 → 57.0"]),
    (
        "indicator",
        "create",
        None,
        {"key": "school-attendance", "lower_is_better": False, "frequency": "quarterly"},
        ["Key: school-attendance", "Lower is better: No", "Frequency: quarterly"],
    ),
]


@pytest.mark.parametrize(("entity", "action", "before", "after", "expected"), CASES)
def test_every_recorded_entry_reads_in_plain_english(entity, action, before, after, expected):
    lines = _lines(entity, action, before, after)

    if expected is not None:
        assert lines == expected
    for line in lines:
        label = line.split(":")[0]
        assert not re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", label), line
        assert not re.search(r"\d{4}-\d{2}-\d{2}", line), line
        assert "_" not in line.split(":", 1)[1] or "@" in line, line


def test_a_change_reads_label_old_arrow_new():
    assert ChangeLine("Status", "Not started", "In progress").text == (
        "Status: Not started → In progress"
    )
    assert str(ChangeLine("Name", None, "Blackpool")) == "Name: Blackpool"
    assert ChangeLine("Name", "Blackpool", None).text == "Name: Blackpool"


def test_an_unknown_field_gets_a_humanised_label_and_its_value_as_given():
    assert _lines("milestone", "update", {"risk_level": "odd_value"}, {"risk_level": 3}) == [
        "Risk level: odd_value → 3"
    ]
    assert _lines("something_new", "create", None, {"new_thing": "x"}) == ["New thing: x"]


def test_an_unknown_value_of_a_known_field_is_shown_as_given():
    assert _lines("milestone", "update", {"status": "paused"}, {"status": "done"}) == [
        "Status: paused → Done"
    ]
    assert _lines("locality", "update", {"go_live": "not a date"}, {"go_live": None}) == [
        "Go-live date: not a date → —"
    ]
    assert _lines("gate_criterion", "create", None, {"key": "gone_key"}) == ["Criterion: gone_key"]


def test_references_to_other_records_by_id_are_left_to_the_summary():
    assert _lines("locality", "go_live", None, {"decision": 4}) == []
    assert _lines("import", "undo_import", None, {"import": 3, "posts": 2}) == ["Posts: 2"]


def test_without_lookups_keys_are_shown_as_given_and_nothing_fails():
    lines = change_lines("gate_criterion", "delete", {"key": "trained_mi", "threshold": 70}, None)
    assert [line.text for line in lines] == ["Criterion: trained_mi", "Threshold: 70%"]
    assert format_value("2027-01-11T10:30:00+00:00", "moment") == "11 Jan 2027, 10:30"


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        (True, None, "Yes"),
        (False, "yes_no", "No"),
        (None, None, "—"),
        ("", None, "—"),
        ([], None, "None"),
        (66.9, "percent", "66%"),
        (100, "percent", "100%"),
        ("n/a", "percent", "n/a"),
        (600000, "money", "£6,000"),
        (42857, "money", "£428.57"),
        (0.5, "fte", "0.5"),
        ("2027-02-01", "date", "1 Feb 2027"),
        ("2027-06-01T23:30:00+00:00", "moment", "2 Jun 2027, 00:30"),
    ],
)
def test_values_are_formatted_as_pages_show_them(value, kind, shown):
    assert format_value(value, kind, LOOKUPS) == shown


def test_action_kinds_read_in_words():
    assert action_label("go_live") == "Go-live decision recorded"
    assert action_label("go_live_rescinded") == "Go-live decision rescinded"
    assert action_label("move_due") == "Due date moved with the go-live date"
    assert action_label("brand_new_action") == "Brand new action"
    assert all("_" not in label for label in ACTION_LABELS.values())


def test_labels_for_fields_and_humanising():
    assert field_label("locality", "go_live") == "Go-live date"
    assert field_label("post", "holder_name") == "Post holder"
    assert humanise("adult_specialists_recruited") == "Adult specialists recruited"
    assert humanise("ada@example.org") == "ada@example.org"


def test_every_action_the_app_records_has_words():
    """The actions written in the source where entries are recorded: each has a label, so the
    "what kind" filter never offers a raw key."""
    from pathlib import Path

    call = re.compile(
        r"(?:audit\.record|audit_locality|_audit_post|_audit)\(\s*\w+,\s*"
        r"(?:\"(\w+)\" if \w+ else )?\"(\w+)\"",
        re.S,
    )
    keyword = re.compile(r"action=\"(\w+)\"")
    pairs = re.compile(r"\(\"(\w+)\", \"\{email\}")
    found = set()
    for path in Path("programme").rglob("*.py"):
        text = path.read_text()
        for match in call.finditer(text):
            found.update(name for name in match.groups() if name)
        found.update(keyword.findall(text))
        found.update(pairs.findall(text))
    assert {"go_live", "move_due", "sign_off", "register", "accept_invitation"} <= found
    assert found - set(ACTION_LABELS) == set()
