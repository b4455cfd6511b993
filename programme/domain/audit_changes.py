"""An audit entry in plain English: "Status: Not started → In progress", not `not_started`.

The trail stores each change as the entity, the action and the before and after values under
internal keys (`go_live`, `adult_specialists_recruited`, ISO dates). This module turns them into
the lines a reader sees, with a label for each field and each value formatted as pages show it.
Plain Python: what it cannot know (criterion labels, people's names, names behind ids) the caller
passes in as a `Lookups`.

An unknown field gets a humanised label (never a raw snake_case key); an unknown value is shown
as it was recorded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from programme.domain import formatting
from programme.domain.finance_terms import SPEND_CATEGORIES
from programme.domain.financial_years import year_label
from programme.domain.gate_criteria import KIND_LABELS
from programme.domain.imports import IMPORT_STATE_LABELS
from programme.domain.outbox import STATUS_LABELS as OUTBOX_STATUS_LABELS
from programme.domain.permissions import ROLES
from programme.domain.recruitment import STATUS_LABELS as POST_STATUS_LABELS
from programme.domain.team_kinds import TEAM_KINDS
from programme.domain.timeline import MilestoneStatus
from programme.domain.training import ATTENDANCE_LABELS

ARROW = "→"
NOTHING = formatting.DASH

# What each kind of action is called in the trail and its "what kind" filter.
ACTION_LABELS: dict[str, str] = {
    "create": "Added",
    "update": "Changed",
    "delete": "Removed",
    "go_live": "Go-live decision recorded",
    "go_live_rescinded": "Go-live decision rescinded",
    "move_due": "Due date moved with the go-live date",
    "apply_template": "Timeline template applied",
    "apply_establishment": "Establishment applied",
    "sign_off": "Check signed off",
    "sign_off_withdrawn": "Sign-off withdrawn",
    "exception": "Exception set",
    "exception_cleared": "Exception cleared",
    "import": "Spreadsheet imported",
    "undo_import": "Import undone",
    "expire_import": "Import preview expired",
    "delete_import_file": "Import file and rows deleted (retention)",
    "purge_sign_in_attempts": "Old sign-in attempts deleted",
    "purge_security_events": "Old security log events deleted",
    "erase_person": "Personal data erased",
    "subject_access_export": "Subject access export",
    "download_personal_data": "Personal data downloaded",
    "freeze": "Post frozen",
    "unfreeze": "Post unfrozen",
    "enrol": "Staff enrolled",
    "reschedule": "Session rescheduled",
    "cancel": "Session cancelled",
    "replace_feed": "Calendar feed address replaced",
    "revoke_feed": "Calendar feed revoked",
    "unenrol": "Staff removed from a session",
    "move_place": "Place moved to another session",
    "register": "Attendance recorded",
    "merge": "Organisations merged",
    "change_role": "Role changed",
    "deactivate": "User deactivated",
    "reactivate": "User reactivated",
    "invite": "Invitation sent",
    "accept_invitation": "Invitation accepted",
    "change_password": "Password changed",
    "reset_password": "Password reset",
    "request_password_reset": "Password reset requested",
    "revoke": "API token revoked",
    "resend": "E-mail queued again",
    "change_digest": "E-mail reminders changed",
    "unsubscribe": "Unsubscribed from the digest",
    "issue_board_pack": "Board pack issued",
    "seed_demo": "Demo programme loaded",
    "add_member": "Member added",
    "change_member_role": "Member's role changed",
    "remove_member": "Member removed",
    "set_avoided_costs": "Scenario's avoided costs changed",
    "add_budget_line": "Budget line added",
    "change_budget_line": "Budget line changed",
    "delete_budget_line": "Budget line deleted",
    "record_spend": "Spend recorded",
    "change_spend": "Spend changed",
    "delete_spend": "Spend deleted",
    "record_supervision": "Group supervision recorded",
    "change_supervision": "Group supervision changed",
    "delete_supervision": "Group supervision removed",
    "set_target": "Baseline and target set",
}

# How a value is shown: a kind per field (below), each with its formatter.
DATE, MOMENT, YES_NO, PERCENT, MONEY, FTE, BYTES, PERSON = (
    "date",
    "moment",
    "yes_no",
    "percent",
    "money",
    "fte",
    "bytes",
    "person",
)

# Each field: (label, how its value is shown). A kind may be a formatter name above, a table of
# labels for the stored values, or a `Lookups` attribute name prefixed with "@".
_FIELDS: dict[str, tuple[str, Any]] = {
    "status": ("Status", None),
    "owner": ("Owner", PERSON),
    "due": ("Due date", DATE),
    "completed_on": ("Date done", DATE),
    "notes": ("Notes", None),
    "title": ("Title", None),
    "name": ("Name", None),
    "slug": ("Name in web addresses", None),
    "wave": ("Wave", None),
    "go_live": ("Go-live date", DATE),
    "state": ("State", {"planning": "Planning", "live": "Go-live approved"}),
    "note": ("Minutes note", None),
    "reason": ("Reason", None),
    "threshold": ("Threshold", PERCENT),
    "waived": ("Waived", YES_NO),
    "signer": ("Signs it off", PERSON),
    "signed_on": ("Signed off on", DATE),
    "by": ("Signed off by", None),
    "key": ("Criterion", "@criteria"),
    "label": ("Label", None),
    "kind": ("Kind", None),
    "criteria": ("Criteria", "@criteria"),
    "courses": ("Courses", "@courses"),
    "removable": ("Can now be removed", "@criteria"),
    "email": ("E-mail address", None),
    "role": ("Role", ROLES),
    "invited": ("Invited by e-mail", YES_NO),
    "active": ("Active", YES_NO),
    "revoked": ("Revoked", YES_NO),
    "prefix": ("Token begins", None),
    "lead": ("Lead", None),
    "workstream": ("Workstream", None),
    "serves_all": ("Serves every locality", YES_NO),
    "serves": ("Also serves", "@localities"),
    "template": ("Template", None),
    "created": ("Milestones created", None),
    "posts": ("Posts", None),
    "people": ("People", None),
    "team": ("Team", None),
    "team_id": ("Team", "@teams"),
    "role_id": ("Role", "@roles"),
    "organisation_id": ("Employer", "@organisations"),
    "reference": ("Reference", None),
    "fte": ("FTE", FTE),
    "holder_name": ("Post holder", None),
    "holder_email": ("Post holder's e-mail address", None),
    "start_date": ("Start date", DATE),
    "frozen": ("Frozen", YES_NO),
    "adult_specialist": ("Adult specialist", YES_NO),
    "agency": ("Agency", None),
    "names": ("Other names", None),
    "recruited": ("Statuses counted as recruited", POST_STATUS_LABELS),
    "description": ("Description", None),
    "offset_amount": ("Offset from go-live", None),
    "offset_unit": ("Offset unit", None),
    "gate_critical": ("Gate-critical", YES_NO),
    "course": ("Course", "@courses"),
    "module": ("Module", None),
    "on": ("Date", DATE),
    "capacity": ("Places", None),
    "enrolled": ("Enrolled", None),
    "type": ("Type", None),
    "agreement_signed_on": ("Agreement signed on", DATE),
    "contact": ("Contact", None),
    "merged": ("Merged in", None),
    "enabled": ("Weekly digest", YES_NO),
    "attempts": ("Attempts", None),
    "sent_at": ("Sent at", MOMENT),
    "last_error": ("Last error", None),
    "meeting_date": ("Meeting date", DATE),
    "filename": ("File name", None),
    "size": ("Size", BYTES),
    "bytes_deleted": ("File deleted", BYTES),
    "sha256": ("Checksum (SHA-256)", None),
    "field": ("Field", None),
    "target": ("Means", None),
    "cost_pence": ("Cost", MONEY),
    "starts_at": ("Start time", None),
    "venue": ("Venue", None),
    "trainer": ("Trainer", None),
    "cancelled": ("Cancelled", YES_NO),
    "financial_year": ("Financial year", "financial_year"),
    "category": ("Category", SPEND_CATEGORIES),
    "funding_source": ("Funding source", None),
    "amount_pence": ("Amount", MONEY),
    "forecast_pence": ("Forecast", MONEY),
    "quarter": ("Quarter", None),
    "is_refund": ("Refund", YES_NO),
    "baseline_value": ("Baseline", None),
    "baseline_on": ("Baseline date", DATE),
    "target_value": ("Target", None),
    "target_change_percent": ("Target change (%)", None),
    "value": ("Value", None),
    "unit": ("Unit", None),
    "lower_is_better": ("Lower is better", YES_NO),
    "frequency": ("Frequency", None),
    "group": ("Group", None),
}

# Where one entity's field reads differently from the table above.
_ENTITY_FIELDS: dict[str, dict[str, tuple[str, Any]]] = {
    "milestone": {"status": ("Status", {s.value: s.label for s in MilestoneStatus})},
    "post": {"status": ("Status", POST_STATUS_LABELS)},
    "outbox_message": {"status": ("Status", OUTBOX_STATUS_LABELS)},
    "import": {"state": ("State", IMPORT_STATE_LABELS)},
    "gate_criterion": {"kind": ("Kind", KIND_LABELS)},
    "team": {"kind": ("Kind", TEAM_KINDS)},
    "value_alias": {"target": ("Means", POST_STATUS_LABELS)},
    # A register's keys are the people marked (their e-mail addresses), its values attendance.
    "training_session": {"*": ("", ATTENDANCE_LABELS)},
    # A scenario's keys are financial years ("2025/26"), its values the costs avoided.
    "cost_scenario": {"*": ("", MONEY)},
    "partner_pledge": {
        "organisation_id": ("Partner", "@organisations"),
        "financial_year": ("Financial year", None),
        "pledged_pence": ("Money pledged", MONEY),
        "posts_pledged": ("Posts pledged", None),
        "received_pence": ("Money received", MONEY),
        "note": ("Note", None),
    },
    "budget_line": {
        "amount_pence": ("Budget", MONEY),
        "organisation_id": ("Paying partner", "@organisations"),
        "note": ("Note", None),
    },
    "supervision_session": {
        "held_on": ("Held on", DATE),
        "families_discussed": ("Families discussed", None),
        "psychologist_present": ("Psychologist present", YES_NO),
        "actions": ("Actions agreed", None),
    },
    "indicator": {"key": ("Key", None)},
}

# References to other records by id: what they point at is in the entry's summary.
_HIDDEN = frozenset({"decision", "import", "merged_id", "previous_id"})

_IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


@dataclass(frozen=True)
class Lookups:
    """What the caller knows that the trail does not store: labels for the keys it does."""

    criteria: Mapping[str, str] = field(default_factory=dict)  # criterion key → label
    people: Mapping[str, str] = field(default_factory=dict)  # e-mail address → name
    courses: Mapping[str, str] = field(default_factory=dict)  # course key → name
    localities: Mapping[str, str] = field(default_factory=dict)  # slug → name
    teams: Mapping[Any, str] = field(default_factory=dict)  # id → name
    roles: Mapping[Any, str] = field(default_factory=dict)
    organisations: Mapping[Any, str] = field(default_factory=dict)
    zone: tzinfo | None = None


@dataclass(frozen=True)
class ChangeLine:
    """One field of an entry: its label and its value before and after, as text (None when
    the entry holds no value on that side, as when something is added or removed)."""

    label: str
    before: str | None
    after: str | None

    @property
    def text(self) -> str:
        if self.before is not None and self.after is not None:
            return f"{self.label}: {self.before} {ARROW} {self.after}"
        return f"{self.label}: {self.after if self.after is not None else self.before}"

    def __str__(self) -> str:
        return self.text


def action_label(action: str) -> str:
    """ "go_live" → "Go-live decision recorded"; an action not known yet, humanised."""
    return ACTION_LABELS.get(action) or humanise(action)


def humanise(key: str) -> str:
    """A snake_case key as words ("holder_name" → "Holder name"); anything else as given."""
    if _IDENTIFIER.match(key):
        return key.replace("_", " ").capitalize()
    return key


def field_label(entity: str, key: str) -> str:
    return _field(entity, key)[0]


def fields_in_words(entity: str, keys) -> str:
    """The fields a change touched, for its summary: "status, owner and due date"."""

    def lowered(label: str) -> str:
        return label if label[1:2].isupper() else label[:1].lower() + label[1:]

    return formatting.listed([lowered(field_label(entity, key)) for key in keys])


def _field(entity: str, key: str) -> tuple[str, Any]:
    overrides = _ENTITY_FIELDS.get(entity, {})
    if key in overrides:
        return overrides[key]
    if key in _FIELDS:
        return _FIELDS[key]
    if "*" in overrides:
        return key, overrides["*"][1]
    return humanise(key), None


def change_lines(
    entity: str,
    action: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    lookups: Lookups | None = None,
) -> list[ChangeLine]:
    """The entry's fields as lines: "Label: old → new" for a change, "Label: value" for a
    value only added or only removed. `action` is part of the entry; the lines read the same
    for every action today."""
    lookups = lookups or Lookups()
    before, after = before or {}, after or {}
    keys = [*after, *(key for key in before if key not in after)]
    lines = []
    for key in keys:
        if key in _HIDDEN:
            continue
        label, kind = _field(entity, key)
        old = format_value(before[key], kind, lookups) if key in before else None
        new = format_value(after[key], kind, lookups) if key in after else None
        lines.append(ChangeLine(label, old, new))
    return lines


def format_value(value: Any, kind: Any = None, lookups: Lookups | None = None) -> str:
    """A stored value as pages show it; an unknown one as given."""
    lookups = lookups or Lookups()
    if isinstance(value, list | tuple):
        if not value:
            return "None"
        return formatting.listed([format_value(item, kind, lookups) for item in value])
    if kind == PERSON:
        return lookups.people.get(value, value) if value not in (None, "") else "No owner"
    if value is None or value == "":
        return NOTHING
    if isinstance(value, bool) or kind == YES_NO:
        return "Yes" if value else "No"
    formatter = _FORMATTERS.get(kind) if isinstance(kind, str) else None
    if formatter is not None:
        return formatter(value, lookups)
    if isinstance(kind, str) and kind.startswith("@"):
        table = getattr(lookups, kind[1:])
        return table.get(value, table.get(str(value), str(value)))
    if isinstance(kind, Mapping):
        return str(kind.get(value, value))
    return str(value)


def _date(value: Any, _lookups: Lookups) -> str:
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return formatting.short_date(day)


def _moment(value: Any, lookups: Lookups) -> str:
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return formatting.date_time(moment, lookups.zone)


def _percent(value: Any, _lookups: Lookups) -> str:
    """Whole number rounded down, as on every page: 83.3 → "83%"."""
    try:
        return formatting.percent(int(float(value) // 1))
    except (TypeError, ValueError):
        return str(value)


def _numeric(formatter: Callable[[Any], str]) -> Callable[[Any, Lookups], str]:
    def shown(value: Any, _lookups: Lookups) -> str:
        try:
            return formatter(value)
        except (TypeError, ValueError):
            return str(value)

    return shown


_FORMATTERS: dict[str, Callable[[Any, Lookups], str]] = {
    DATE: _date,
    MOMENT: _moment,
    PERCENT: _percent,
    MONEY: _numeric(lambda value: formatting.money(int(value))),
    FTE: _numeric(lambda value: formatting.fte(float(value))),
    BYTES: _numeric(lambda value: formatting.file_size(int(value))),
    "financial_year": _numeric(lambda value: year_label(int(value))),
}
