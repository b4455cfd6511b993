"""Post/redirect/get: every form that changes something answers a successful submit with a
redirect, so refreshing the page that follows never submits it again.

SUCCESS holds, for each POST route, who submits it and a form that succeeds, walked over the
same world as the permission walk (each case rolls back to it). EXCLUDED holds the POST routes
that answer otherwise on purpose, each with its reason. A POST route in neither fails the suite,
so a new form is classified when it is added.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from flask import url_for
from sqlalchemy import select

from programme.clock import utc_now
from programme.domain.account_links import INVITATION, PASSWORD_RESET
from programme.extensions import db
from programme.models import (
    GateCriterion,
    Locality,
    Membership,
    Milestone,
    Post,
    Team,
    User,
    Workstream,
)
from programme.models.api_tokens import ApiToken
from programme.models.finance import CostScenario
from programme.models.organisations import Organisation
from programme.models.recruitment import Role
from programme.models.supervision import SupervisionSession
from programme.models.training import StaffMember, TrainingSession
from programme.services import users
from programme.services.account_links import issue_link
from programme.services.readiness import decisions, gate_criteria, gate_exceptions
from programme.services.readiness.evaluation import evaluate_locality
from programme.services.training import staff_members
from programme.views.auth import PENDING
from tests.builders import DEFAULT_PASSWORD, create_locality, create_team, create_user
from tests.conftest import TODAY, sign_in_as
from tests.services.test_rule_as_written import old_programme
from tests.two_factor import code_for, turn_on_two_factor
from tests.views.finance_walk import line_args, line_form, spend_args, spend_form, walked_line
from tests.views.test_permissions import (  # noqa: F401  (fixtures)
    World,
    _criterion,
    _import,
    _item,
    _locality,
    _locality_criterion,
    _merge,
    _message,
    _none,
    _organisation,
    _place,
    _post,
    _programme,
    _role,
    _scenario,
    _session,
    _staff_member,
    _team,
    _template,
    _user,
    walk,
    walked,
)

# POST routes that do not answer a successful submit with a redirect, and why.
EXCLUDED = {
    # JSON API: answers the decision as JSON (201), for scripts, not browsers.
    "api.go_live": "JSON API route",
    # The new token's secret is shown once, in the answer to the form that made it: never in a
    # redirect, the session or a URL (see programme/views/account.py). The page is no-store, and
    # a refresh that resubmits the form is refused: one active token per name (test_account.py).
    "account.new_token": "shows a secret once; it must not pass through a redirect",
    # RFC 8058 one-click unsubscribe: mail providers POST it themselves and the sender must not
    # answer with a redirect. Unsubscribing twice changes nothing, so a refresh is harmless.
    "mail.unsubscribe": "RFC 8058 one-click POST: no redirect allowed, and idempotent",
    # A calendar feed address carries its token: shown once, in the answer to the form that made
    # (or replaced) it, never in a redirect (programme/views/calendar_feeds.py). The page is
    # no-store; resubmitting "create" is refused (one feed each), and a resubmitted "replace"
    # only makes another new address (tests/views/test_calendar_feeds.py).
    "calendar_feeds.create": "shows a secret address once; it must not pass through a redirect",
    "calendar_feeds.replace": "shows a secret address once; it must not pass through a redirect",
    # issue 16: sign-in
    # Recovery codes are shown once, in the answer to the form that made them (no-store), never
    # in a redirect; resubmitting only makes another set (tests/views/test_two_factor.py).
    "two_factor.set_up": "shows recovery codes once; they must not pass through a redirect",
    "two_factor.recovery_codes": "shows recovery codes once; they must not pass through a redirect",
    # issue 16: data protection
    # Answers with the file itself (audited): personal data must not wait behind a redirect in
    # the session or a URL; resubmitting only downloads (and records) it again.
    "data_protection.subject_access_export": "answers with the subject access download itself",
}


@dataclass(frozen=True)
class Submit:
    endpoint: str
    role: str  # who submits it (a role), or "signer": the walked manual check's signer
    args: Callable[[World], dict] = _none
    data: Callable[[World], dict] = field(default=lambda _w: {})
    # Run once signed in, before the submit (e.g. applying an import before undoing it): the
    # form data it answers is added to `data`'s.
    prepare: Callable | None = None


def _feed_made(client) -> dict:
    """The signed-in user makes a calendar feed address, for the submit to revoke."""
    with client.application.test_request_context():
        assert client.post(url_for("calendar_feeds.create")).status_code == 200
    return {}


def _milestone_edit(w: World) -> dict:
    milestone = db.session.get(Milestone, w.milestone_id)
    return {"version": milestone.version, "status": "in_progress", "owner": "", "notes": ""}


def _post_edit(w: World) -> dict:
    post = db.session.get(Post, w.post_id)
    return {
        "version": post.version,
        "role": str(post.role_id),
        "organisation": str(post.organisation_id),
        "fte": "0.5",
        "status": "advertised",
    }


def _staff(w: World) -> dict:
    """Someone new in post, not yet enrolled."""
    staff = staff_members.create_staff(
        db.session.get(Team, w.team_id),
        None,
        name="New Starter",
        email="new.starter@example.org",
        role_id=w.role_id,
    )
    return {"staff": [str(staff.id)]}


def _later_session(w: World) -> dict:
    """Another session of the world's module, still to come: where its place may move."""
    from programme.services import programmes
    from programme.services.training import catalogue, schedule

    course = catalogue.get_course(programmes.get_programme(w.programme), "mi")
    later = schedule.create_session(course, 1, TODAY + timedelta(days=7), None)
    return {"target": str(later.id)}


def _staff_record_form(w: World) -> dict:
    staff = db.session.get(StaffMember, w.staff_id)
    return {
        "version": staff.version,
        "name": "Sam Carter",
        "email": staff.email,
        "team": staff.team_id,
        "role": staff.role_id,
        "leaving_date": "2027-03-31",
    }


def _new_team(w: World) -> int:
    return create_team(db.session.scalar(select(Locality).where(Locality.slug == w.locality))).id


def _threshold(w: World) -> dict:
    criterion = db.session.scalar(
        select(GateCriterion).where(GateCriterion.kind == "gate_milestones")
    )
    return {"threshold": "90", "version": criterion.version}


def _gate_milestones(w: World) -> dict:
    criterion = db.session.scalar(
        select(GateCriterion).where(GateCriterion.kind == "gate_milestones")
    )
    return {**_programme(w), "criterion_id": criterion.id}


def _session_register(w: World) -> dict:
    staff = db.session.scalar(select(StaffMember).order_by(StaffMember.id))
    return {f"mark-{staff.id}": "present"}


def _session_edit(w: World) -> dict:
    session = db.session.get(TrainingSession, w.session_id)
    return {
        "on": session.on.isoformat(),
        "starts_at": "10:15",
        "venue": "Ullswater Room, Penrith",
        "trainer": "",
        "capacity": str(session.capacity),
        "cost": "0",
        "version": session.version,
    }


def _signer(w: World) -> dict:
    # A member of the programme: the signer choices offer its members (not administrators).
    member = select(User.email).join(Membership, Membership.user_id == User.id)
    return {"signer_email": db.session.scalar(member.where(User.active).order_by(User.id.desc()))}


def _role_form(w: World) -> dict:
    role = db.session.get(Role, w.role_id)
    return {"name": role.name, "agency": role.agency}


def _login() -> dict:
    user = create_user("viewer", email="prg@example.org")
    return {"email": user.email, "password": DEFAULT_PASSWORD}


def _submit_first(app, client, endpoint: str, args: dict) -> None:
    with app.test_request_context():
        url = url_for(endpoint, **args)
    assert 300 <= client.post(url).status_code < 400


def _columns(app, client, w: World) -> dict:
    """The column form as the page shows it, every choice as it is."""
    with app.test_request_context():
        url = url_for("imports.columns", **_import(w))
    page = client.get(url).get_data(as_text=True)
    chosen = {}
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        selected = re.search(
            r'<option[^>]*selected[^>]*value="([^"]*)"|<option value="([^"]*)" selected', options
        )
        if selected:
            chosen[name] = selected.group(1) or selected.group(2)
    return chosen


def _invited() -> int:
    return users.create_user("invited.prg@example.org", "Invited", "viewer", None, None).id


def _link(purpose: str) -> str:
    user = create_user("viewer")
    issued = issue_link(user, purpose)
    db.session.commit()
    return issued.token


def _ready_locality(w: World) -> str:
    """A third locality with every criterion waived, so the gate is met."""
    programme = db.session.get(
        Locality, db.session.scalar(select(Locality.id).where(Locality.slug == w.locality))
    ).programme
    ready = create_locality(programme, name="Ready locality", slug="ready-locality")
    for criterion in gate_criteria.criteria(programme):
        gate_exceptions.set_exception(ready, criterion, "Agreed by the board", None, waived=True)
    return ready.slug


def _ready_fingerprint() -> str:
    """The fingerprint of the evidence the confirmation page shows for the ready locality."""
    ready = db.session.scalar(select(Locality).where(Locality.slug == "ready-locality"))
    return decisions.fingerprint(evaluate_locality(ready, TODAY))


def _version(w: World) -> str:
    return str(db.session.get(Milestone, w.milestone_id).version)


def _upload_csv(w: World) -> bytes:
    locality = db.session.scalar(select(Locality).where(Locality.slug == w.locality))
    team = db.session.get(Team, w.team_id)
    return f"Locality,Team,Role,Status\n{locality.name},{team.name},IDVA,Vacant\n".encode()


def _workstream(w: World) -> str:
    return db.session.get(Workstream, w.workstream_id).name


def _scenario_version(w: World) -> dict:
    return {"version": str(db.session.get(CostScenario, w.scenario_id).version)}


def _organisation_form(w: World) -> dict:
    organisation = db.session.get(Organisation, w.organisation_id)
    return {"name": organisation.name, "type": organisation.type}


SUCCESS: list[Submit] = [
    Submit("auth.login", "anonymous", data=lambda _w: _login()),
    Submit("auth.logout", "viewer"),
    Submit("passwords.forgotten", "anonymous", data=lambda _w: {"email": "a@example.org"}),
    Submit("programmes.new", "admin", data=lambda _w: {"name": "PRG programme", "slug": "prg"}),
    Submit(
        "localities.new",
        "admin",
        _programme,
        lambda _w: {"name": "Prg town", "slug": "prg-town", "go_live": "2027-06-01"},
    ),
    Submit(
        "localities.edit",
        "admin",
        _locality,
        lambda _w: {"name": "Moved town", "go_live": (TODAY + timedelta(days=400)).isoformat()},
    ),
    Submit("localities.apply_timeline", "admin", _locality, lambda _w: {"template": "lancashire"}),
    Submit(
        "localities.new_team",
        "admin",
        _locality,
        lambda _w: {"name": "PRG team", "kind": "family_safeguarding", "establishment": ""},
    ),
    Submit("localities.team_serves", "admin", _team, lambda _w: {"serves_all": "y"}),
    Submit("milestones.edit", "admin", lambda w: {"milestone_id": w.milestone_id}, _milestone_edit),
    Submit(
        "milestones.new",
        "admin",
        _locality,
        lambda w: {
            "title": "PRG milestone",
            "workstream": _workstream(w),
            "owner": "",
        },
    ),
    Submit(
        "milestones.new_programme_wide",
        "admin",
        _programme,
        lambda w: {
            "title": "PRG programme-wide milestone",
            "workstream": _workstream(w),
            "owner": "",
        },
    ),
    Submit(
        "milestones.set_status",
        "admin",
        lambda w: {"milestone_id": w.milestone_id},
        lambda w: {"version": _version(w), "status": "in_progress"},
    ),
    Submit(
        "milestones.bulk",
        "admin",
        _programme,
        lambda w: {
            "action": "status",
            "status": "in_progress",
            "milestone": str(w.milestone_id),
            f"version-{w.milestone_id}": _version(w),
        },
    ),
    Submit(
        "workstreams.edit",
        "admin",
        lambda w: {**_programme(w), "workstream_id": w.workstream_id},
        lambda _w: {"lead": ""},
    ),
    Submit(
        "templates.new_item",
        "admin",
        _template,
        lambda _w: {
            "title": "PRG item",
            "workstream": "Governance",
            "offset_amount": "4",
            "offset_unit": "weeks",
        },
    ),
    Submit(
        "templates.edit_item",
        "admin",
        _item,
        lambda _w: {
            "title": "PRG item",
            "workstream": "Governance",
            "offset_amount": "4",
            "offset_unit": "weeks",
        },
    ),
    Submit("templates.remove_item", "admin", _item),
    Submit(
        "recruitment.apply_establishment",
        "admin",
        lambda w: {**_locality(w), "team_id": _new_team(w)},
        lambda _w: {"template": "lancashire"},
    ),
    Submit(
        "recruitment.new_post",
        "admin",
        _team,
        lambda w: {**_post_edit(w), "status": "vacant"},
    ),
    Submit("recruitment.edit_post", "admin", _post, _post_edit),
    Submit(
        "recruitment.freeze",
        "admin",
        _post,
        lambda w: {"version": db.session.get(Post, w.post_id).version},
    ),
    Submit(
        "recruitment.remove",
        "admin",
        _post,
        lambda w: {"version": db.session.get(Post, w.post_id).version},
    ),
    Submit(
        "roles.new_role",
        "admin",
        _programme,
        lambda w: {**_role_form(w), "name": "PRG role"},
    ),
    Submit("roles.edit_role", "admin", _role, _role_form),
    Submit("roles.settings", "admin", _programme, lambda _w: {"statuses": ["in_post"]}),
    Submit(
        "organisations.new",
        "admin",
        _programme,
        lambda w: {**_organisation_form(w), "name": "PRG Trust"},
    ),
    Submit(
        "organisations.edit",
        "admin",
        _organisation,
        lambda w: {**_organisation_form(w), "name": "PRG Council"},
    ),
    Submit(
        "organisations.merge", "admin", _organisation, lambda w: {"into": w.other_organisation_id}
    ),
    Submit("organisations.confirm_merge", "admin", _merge),
    Submit(
        "partners.new",
        "programme_manager",
        _programme,
        lambda w: {
            "organisation_id": w.organisation_id,
            "financial_year": "2026/27",
            "pledged": "£10,000",
            "received": "",
        },
    ),
    Submit(
        "partners.edit",
        "programme_manager",
        lambda w: {**_programme(w), "pledge_id": w.pledge_id},
        lambda w: {
            "organisation_id": w.other_organisation_id,
            "financial_year": "2025/26",
            "pledged": "85,000",
            "posts_pledged": "1",
            "received": "40,000",
            "version": "1",
        },
    ),
    Submit(
        "partners.delete",
        "programme_manager",
        lambda w: {**_programme(w), "pledge_id": w.pledge_id},
        lambda _w: {"version": "1"},
    ),
    Submit(
        "supervision.record",
        "programme_manager",
        lambda w: {**_programme(w), "team_id": w.team_id},
        lambda _w: {"held_on": "2026-11-27", "families_discussed": "4", "actions": "Family A"},
    ),
    Submit(
        "supervision.edit",
        "programme_manager",
        lambda w: {**_programme(w), "team_id": w.team_id, "session_id": w.supervision_id},
        lambda w: {
            "version": db.session.get(SupervisionSession, w.supervision_id).version,
            "held_on": "2026-11-27",
            "families_discussed": "5",
        },
    ),
    Submit(
        "supervision.delete",
        "programme_manager",
        lambda w: {**_programme(w), "team_id": w.team_id, "session_id": w.supervision_id},
        lambda w: {"version": db.session.get(SupervisionSession, w.supervision_id).version},
    ),
    Submit(
        "training.new_session",
        "admin",
        _programme,
        lambda _w: {"module": "mi:1", "on": "2027-01-04", "capacity": "20", "trainer": ""},
    ),
    Submit("training.save_register", "admin", _session, _session_register),
    Submit("training.enrol", "admin", _session, _staff),
    Submit("training.edit_session", "admin", _session, _session_edit),
    Submit(
        "training.cancel_session",
        "admin",
        _session,
        lambda w: {
            "reason": "The venue is closed for repairs.",
            "version": db.session.get(TrainingSession, w.session_id).version,
        },
    ),
    Submit("training.unenrol", "admin", _place),
    Submit("training.move_place", "admin", _place, _later_session),
    Submit(
        "training.new_staff",
        "admin",
        _team,
        lambda w: {"name": "PRG Person", "email": "prg.person@example.org", "role": w.role_id},
    ),
    Submit(
        "training.edit_staff_member",
        "hr_lead",
        _staff_member,
        _staff_record_form,
    ),
    Submit("imports.forget_name", "admin", lambda w: {**_programme(w), "alias_id": w.alias_id}),
    Submit("imports.apply", "admin", _import),
    Submit("imports.blank_cells", "admin", _import, lambda _w: {"blank_cells": "keep"}),
    Submit("imports.values", "admin", _import),
    Submit(
        "admin.new_user",
        "admin",
        data=lambda _w: {"name": "P", "email": "p@example.org", "role": "viewer"},
    ),
    Submit("admin.edit_user", "admin", _user, lambda _w: {"role": "trainer"}),
    Submit("admin.set_active", "admin", lambda w: {**_user(w), "action": "deactivate"}),
    Submit("outbox.resend", "admin", _message),
    Submit(
        "board_packs.new",
        "admin",
        _programme,
        lambda _w: {"meeting_date": (TODAY + timedelta(days=7)).isoformat()},
    ),
    Submit(
        "readiness.rescind",
        "admin",
        lambda w: {**_programme(w), "slug": w.live_locality},
        lambda _w: {"reason": "The board reversed it"},
    ),
    Submit("readiness.sign_off", "signer", _locality_criterion),
    Submit(
        "readiness.exception",
        "admin",
        _locality_criterion,
        lambda _w: {"waived": "y", "reason": "Signed at county level"},
    ),
    Submit("readiness.clear_exception", "admin", _locality_criterion),
    Submit("readiness.threshold", "admin", _gate_milestones, _threshold),
    Submit("readiness.signer", "admin", _criterion, _signer),
    Submit(
        "readiness.new_criterion",
        "admin",
        _programme,
        lambda w: {"kind": "manual_check", "label": "PRG check", **_signer(w)},
    ),
    Submit("readiness.remove_criterion", "admin", _criterion),
    Submit("account.revoke", "token_owner", lambda w: {"token_id": w.token_id}),
    Submit("calendar_feeds.revoke", "trainer", prepare=lambda app, client, w: _feed_made(client)),
    Submit("admin.resend_invitation", "admin", lambda _w: {"user_id": _invited()}),
    Submit(
        "passwords.reset",
        "anonymous",
        lambda _w: {"token": _link(PASSWORD_RESET)},
        lambda _w: {"password": "a new passphrase for PRG", "confirm": "a new passphrase for PRG"},
    ),
    Submit(
        "passwords.invitation",
        "anonymous",
        lambda _w: {"token": _link(INVITATION)},
        lambda _w: {"password": "a new passphrase for PRG", "confirm": "a new passphrase for PRG"},
    ),
    Submit(
        "readiness.go_live",
        "admin",
        lambda w: {**_programme(w), "slug": _ready_locality(w)},
        lambda _w: {
            "note": "Operational board of 30 November 2026",
            "confirmed": "y",
            "fingerprint": _ready_fingerprint(),
        },
    ),
    Submit(
        "readiness.use_rule_as_written",
        "admin",
        lambda _w: {"programme_slug": old_programme("prg-old").slug},
    ),
    Submit(
        "readiness.withdraw_sign_off",
        "signer",
        _locality_criterion,
        prepare=lambda app, client, w: _submit_first(
            app, client, "readiness.sign_off", _locality_criterion(w)
        ),
    ),
    Submit(
        "imports.upload",
        "admin",
        lambda w: {**_programme(w), "kind": "recruitment"},
        lambda w: {"file": (io.BytesIO(_upload_csv(w)), "again.csv")},
    ),
    Submit(
        "imports.columns", "admin", _import, prepare=lambda app, client, w: _columns(app, client, w)
    ),
    Submit(
        "imports.undo",
        "admin",
        _import,
        prepare=lambda app, client, w: _submit_first(app, client, "imports.apply", _import(w)),
    ),
    Submit("mail.preferences", "viewer", data=lambda _w: {"enabled": "y"}),
    Submit(
        "account.change_password",
        "viewer",
        data=lambda _w: {
            "current_password": DEFAULT_PASSWORD,
            "password": "a new passphrase for PRG",
            "confirm": "a new passphrase for PRG",
        },
    ),
    # issue 16: memberships
    Submit(
        "members.add",
        "programme_manager",
        _programme,
        lambda _w: {"email": _outsider(), "role": "hr_lead"},
    ),
    Submit(
        "members.invite",
        "programme_manager",
        _programme,
        lambda _w: {"name": "New Member", "email": "new.member@example.org", "role": "viewer"},
    ),
    Submit(
        "members.change",
        "programme_manager",
        lambda w: {**_programme(w), **_user(w)},
        lambda _w: {"role": "trainer"},
    ),
    Submit("members.remove", "programme_manager", lambda w: {**_programme(w), **_user(w)}),
    Submit(
        "admin.add_membership",
        "admin",
        lambda _w: {"user_id": _outsider_id()},
        lambda w: {"programme": w.programme, "member_role": "viewer"},
    ),
    # issue 16: sign-in
    Submit("auth.code", "anonymous", prepare=lambda app, client, w: _code_step(client)),
    Submit("two_factor.turn_off", "viewer", prepare=lambda app, client, w: _two_factor_on(client)),
    # issue 16: data protection
    Submit(
        "data_protection.erase",
        "admin",
        data=lambda w: {
            "email": db.session.get(StaffMember, w.staff_id).email,
            "reason": "Erasure request ref 42",
        },
    ),
    # issue 20: the business case's scenarios
    Submit("business_case.new", "programme_manager", _programme, lambda _w: {"name": "High"}),
    Submit(
        "business_case.edit_years",
        "programme_manager",
        _scenario,
        lambda w: {**_scenario_version(w), "year_2027": "£250,000"},
    ),
    Submit(
        "business_case.rename",
        "programme_manager",
        _scenario,
        lambda w: {**_scenario_version(w), "name": "Lower"},
    ),
    Submit("business_case.delete", "programme_manager", _scenario, _scenario_version),
    # issue 20: budget and spend
    Submit(
        "finance.new_line",
        "programme_manager",
        _programme,
        lambda w: {**line_form(w), "financial_year": "2030/31", "funding_source": "PRG fund"},
    ),
    Submit("finance.edit_line", "programme_manager", line_args, line_form),
    Submit(
        "finance.delete_line",
        "programme_manager",
        line_args,
        lambda w: {"version": str(walked_line(w.programme).version)},
    ),
    Submit(
        "finance.new_spend",
        "programme_manager",
        _programme,
        lambda w: {**spend_form(w), "budget_line": str(walked_line(w.programme).id)},
    ),
    Submit("finance.edit_spend", "programme_manager", spend_args, spend_form),
    Submit(
        "finance.delete_spend",
        "programme_manager",
        spend_args,
        lambda w: {"version": spend_form(w)["version"]},
    ),
]


def _outsider_id() -> int:
    """A user who belongs to no programme, for a submit to add to one."""
    return create_user("viewer", member_of=[], email="outsider.prg@example.org").id


def _outsider() -> str:
    return db.session.get(User, _outsider_id()).email


def _code_step(client) -> dict:
    """Signed in with the password of a user with two-factor sign-in on: the code is next."""
    user = create_user("viewer")
    secret = turn_on_two_factor(user)
    with client.session_transaction() as session:
        session[PENDING] = {"user": user.id, "at": utc_now().timestamp(), "next": "/"}
    return {"code": code_for(secret)}


def _two_factor_on(client) -> dict:
    """The signed-in user has two-factor sign-in on: turning it off needs password and code."""
    with client.session_transaction() as session:
        user_id = int(session["_user_id"].partition(":")[0])
    secret = turn_on_two_factor(db.session.get(User, user_id))
    return {"password": DEFAULT_PASSWORD, "code": code_for(secret)}


def _post_endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())}


def test_every_post_route_is_walked_or_excluded_with_a_reason(walk):  # noqa: F811
    app, _world, _savepoint = walk
    walked_endpoints = {submit.endpoint for submit in SUCCESS}

    unclassified = _post_endpoints(app) - walked_endpoints - set(EXCLUDED)

    assert unclassified == set(), "add each POST route to SUCCESS or EXCLUDED"
    assert walked_endpoints & set(EXCLUDED) == set()
    assert walked_endpoints <= _post_endpoints(app)


def _sign_in(client, role: str, world: World) -> None:
    if role == "anonymous":
        return
    if role == "token_owner":
        owner = db.session.scalar(
            select(User)
            .join(ApiToken, ApiToken.user_id == User.id)
            .where(ApiToken.id == world.token_id)
        )
        sign_in_as(client, owner)
        return
    if role == "signer":
        signer = db.session.scalar(
            select(User).join(GateCriterion, GateCriterion.signer_id == User.id)
        )
        sign_in_as(client, signer)
        return
    sign_in_as(client, create_user(role))


def _errors(page: str) -> list[str]:
    return re.findall(r'class="app-error-message"[^>]*>(.*?)</p>', page, re.S) or [page[:500]]


@pytest.mark.parametrize("submit", SUCCESS, ids=lambda submit: submit.endpoint)
def test_a_successful_submit_answers_a_redirect(walked, submit):  # noqa: F811
    app, world, client = walked
    _sign_in(client, submit.role, world)
    with app.test_request_context():
        url = url_for(submit.endpoint, **submit.args(world))
    data = submit.data(world)
    if submit.prepare is not None:
        data |= submit.prepare(app, client, world) or {}

    response = client.post(url, data=data)

    assert 300 <= response.status_code < 400, (
        f"POST {submit.endpoint} answered {response.status_code}, not a redirect:\n"
        f"{_errors(response.get_data(as_text=True))}"
    )
    # A refusal may redirect too, with its reason flashed: this one succeeded.
    with client.session_transaction() as session:
        refusals = [
            text
            for kind, text in session.get("_flashes", [])
            if kind in ("error", "warning") or text.startswith("Nothing changed")
        ]
    assert refusals == [], f"POST {submit.endpoint} was refused: {refusals}"
