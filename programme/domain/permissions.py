"""Who may do what: the roles and the one permission table, as plain rules.

Views (`@requires`), the CLI, the API and services all ask `permits(role, action)`; nothing else
keeps a list of roles. A user's role is held per programme (`programme/services/memberships.py`
decides which role a user holds in a programme); this table decides what that role may do.
"""

from __future__ import annotations

# Each role with the name people see. The order is the order forms and listings offer them in.
ROLES: dict[str, str] = {
    "admin": "Administrator",
    "programme_manager": "Programme manager",
    "board_member": "Operational board member",
    "hr_lead": "HR lead",
    "trainer": "Trainer",
    "viewer": "Viewer",
}

ALL_ROLES = frozenset(ROLES)

# Administrators are instance-wide: they hold this role in every programme and are never members.
INSTANCE_WIDE_ROLE = "admin"
# The roles a programme membership may hold.
MEMBER_ROLES: tuple[str, ...] = tuple(role for role in ROLES if role != INSTANCE_WIDE_ROLE)


# The roles that hold in every programme at once, with no membership.
INSTANCE_WIDE_ROLES = frozenset({INSTANCE_WIDE_ROLE})


def is_instance_wide(role: str | None) -> bool:
    return role in INSTANCE_WIDE_ROLES


# Every route, command and service check names one of these actions.
PERMISSIONS: dict[str, frozenset[str]] = {
    "view": ALL_ROLES,
    "view_audit": frozenset({"admin", "programme_manager", "board_member"}),
    "manage_programme": frozenset({"admin", "programme_manager"}),
    "edit_milestones": frozenset({"admin", "programme_manager"}),
    # Anyone but a viewer may update a milestone they own (see `may_edit_milestone`).
    "edit_own_milestones": ALL_ROLES - {"viewer"},
    # Posts, establishment templates and HR spreadsheet imports.
    "manage_recruitment": frozenset({"admin", "programme_manager", "hr_lead"}),
    # Partner organisations: adding, renaming, alternative names, merging duplicates. HR leads
    # too: their trackers name the employers, and they fix what an import got wrong.
    "manage_organisations": frozenset({"admin", "programme_manager", "hr_lead"}),
    # Any spreadsheet import; each kind then needs its own permission.
    "import_spreadsheets": frozenset({"admin", "programme_manager", "hr_lead", "trainer"}),
    # Trainers schedule sessions, add staff and take registers.
    "manage_training": frozenset({"admin", "programme_manager", "trainer"}),
    "record_attendance": frozenset({"admin", "programme_manager", "trainer"}),
    # Runs training sessions: a new session names them as its trainer unless they say otherwise.
    "run_sessions": frozenset({"trainer"}),
    # Who a session's Trainer field offers: trainers, and programme managers who stand in.
    "lead_sessions": frozenset({"trainer", "programme_manager"}),
    # A person's staff record: team, role, leaving date, a corrected name or e-mail. HR leads
    # keep the establishment, trainers and programme managers find what a register got wrong.
    "edit_staff": frozenset({"admin", "programme_manager", "hr_lead", "trainer"}),
    # The parts of the weekly digest a role brings, beyond a person's own milestones and sessions:
    # recruitment to HR leads, what each locality still needs trained to trainers, every
    # locality's readiness to board members.
    "digest_recruitment": frozenset({"hr_lead"}),
    "digest_training": frozenset({"trainer"}),
    "digest_readiness": frozenset({"board_member"}),
    # The go-live gate's criteria, thresholds and locality exceptions.
    "manage_gate": frozenset({"admin", "programme_manager"}),
    # The operational board records (and rescinds) go-live decisions.
    "decide_go_live": frozenset({"admin", "board_member"}),
    # The programme workbook (every locality's gate, milestones, posts with their holders, the
    # training matrix, decisions) and board packs: the board's papers, read by those who run
    # the programme and the board that decides go-live. Issuing a pack is the same people.
    "export_workbook": frozenset({"admin", "programme_manager", "board_member"}),
    "issue_board_pack": frozenset({"admin", "programme_manager", "board_member"}),
    # The business case (issue 20): budget lines, spend, partner pledges and cost-avoidance
    # scenarios. Everyone who may view a programme reads them; its managers keep them.
    "manage_finance": frozenset({"admin", "programme_manager"}),
    # Outcome indicators: adding indicators, baselines and targets, recording and importing
    # values; and group supervision sessions held by live teams.
    "record_outcomes": frozenset({"admin", "programme_manager"}),
    "record_supervision": frozenset({"admin", "programme_manager"}),
    "manage_users": frozenset({"admin"}),
    # A programme's members: adding people (or inviting new ones), their role there, removing
    # them. Administrators for every programme, programme managers for their own.
    "manage_members": frozenset({"admin", "programme_manager"}),
    # Data protection (issue 16): erasing a person, and the subject access export.
    "erase_personal_data": frozenset({"admin"}),
    "subject_access_export": frozenset({"admin"}),
    # The e-mail outbox: reading every message the app sent or will send, and resending one.
    "manage_mail": frozenset({"admin"}),
    # The security log: sign-ins, failures, two-factor changes and refused requests.
    "view_security_log": frozenset({"admin"}),
}


def role_label(role: str) -> str:
    return ROLES.get(role, role.replace("_", " "))


def permits(role: str | None, action: str) -> bool:
    """Whether `role` may do `action`. An unknown action is a programming error, not a refusal."""
    if action not in PERMISSIONS:
        raise KeyError(f"unknown permission {action!r}")
    return role in PERMISSIONS[action]


def may_edit_milestone(role: str, user_id: int, owner_id: int | None) -> bool:
    """Programme managers edit any milestone; anyone but a viewer may update one they own."""
    if permits(role, "edit_milestones"):
        return True
    return permits(role, "edit_own_milestones") and owner_id == user_id
