"""Every route, for every role, as a member of the route's programme and as a non-member: who is
let in, who is turned away, who is sent to sign in, and who is told there is nothing there (404:
another programme's pages, files and JSON are as if they did not exist).

ROUTES names each route's declared permission (what `@requires`/`@public` put on the view). The
answer expected for each role is worked out from `programme.auth.PERMISSIONS`, so this table and
the permission table cannot drift apart. The companion test fails the suite when a route is added
without a row here or without a declared permission.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from flask import url_for
from sqlalchemy import select

from programme.domain.permissions import ALL_ROLES, PERMISSIONS, ROLES
from programme.domain.spreadsheet import ReadLimits
from programme.extensions import db
from programme.models import Programme, ValueAlias
from programme.services import api_tokens, localities, organisations, recruitment_import
from programme.services import supervision as group_supervision
from programme.services.board_packs import issue
from programme.services.business_case import add_scenario
from programme.services.mail import outbox, unsubscribe
from programme.services.mail.compose import Composed
from programme.services.outcomes import catalogue as outcome_catalogue
from programme.services.outcomes import values as outcome_values
from programme.services.partner_pledges import create_pledge
from programme.services.readiness import decisions, gate_criteria, gate_exceptions
from programme.services.training import catalogue, enrolment, schedule, staff_members
from tests.builders import (
    create_locality,
    create_milestone,
    create_post,
    create_programme,
    create_team,
    create_user,
)
from tests.conftest import (
    TODAY,
    IsolatedClient,
    empty_tables,
    make_app,
    one_shared_transaction,
    sign_in_as,
)
from tests.pages import is_sign_in_challenge
from tests.views.finance_walk import line_args, spend_args

ANONYMOUS = "anonymous"

ALLOWED, FORBIDDEN, SIGN_IN = "allowed", "forbidden", "sent to sign in"


@dataclass(frozen=True)
class World:
    """The records the routes' URLs point at."""

    programme: str
    locality: str
    template: str
    item_id: int
    milestone_id: int
    workstream_id: int
    user_id: int
    team_id: int = 0
    post_id: int = 0
    role_id: int = 0
    import_id: int = 0
    session_id: int = 0
    criterion_id: int = 0
    live_locality: str = ""
    decision_id: int = 0
    token_id: int = 0
    alias_id: int = 0
    organisation_id: int = 0
    other_organisation_id: int = 0
    unsubscribe_token: str = ""
    message_id: int = 0
    pack_id: int = 0
    moved_event_id: int = 0
    staff_id: int = 0  # enrolled on the session, attendance not recorded
    other_programme: str = ""  # where the non-members of the walk belong
    scenario_id: int = 0  # a cost-avoidance scenario of the business case
    pledge_id: int = 0  # a partner organisation's pledge
    supervision_id: int = 0  # a group supervision session of the team


# A one-row HR spreadsheet, so the import pages have a previewed import to show.
_IMPORT_CSV = "Locality,Team,Role,Status\n{locality},{team},IDVA,Advertised\n"


def build_world() -> World:
    locality = create_locality()
    programme = locality.programme
    # So "/" lists, not redirects; the non-members of the walk belong here.
    other_programme = create_programme("Another programme", with_templates=False)
    template = programme.timeline_templates[0]
    milestone = create_milestone(locality)  # owned by nobody
    team = create_team(locality)
    post = create_post(team)
    record, _preview = recruitment_import.RECRUITMENT.upload(
        programme,
        _IMPORT_CSV.format(locality=locality.name, team=team.name).encode(),
        "tracker.csv",
        None,
        ReadLimits(),
        today=TODAY,
    )
    # A session held today, with one person enrolled, so the register is open and has a row.
    session = schedule.create_session(catalogue.get_course(programme, "mi"), 1, TODAY, None)
    staff = staff_members.create_staff(
        team, None, name="Sam Carter", email="sam.carter@example.org", role_id=post.role_id
    )
    enrolment.enrol(session, [staff.id], None)
    # issue 20: a value of a seeded outcome indicator, so the value pages have one to show.
    outcome_values.record_value(locality, _cla(programme), "2026-05", 50.0, None)
    # A manual check added to the gate, with an exception set for the locality (so clearing it
    # has something to clear), and a second locality taken live by the board, so there is a
    # go-live decision to show.
    board_member = create_user("board_member")
    criterion = gate_criteria.add_criterion(
        programme,
        gate_criteria.NewCriterion(
            "manual_check", "Information-sharing agreement signed", signer_email=board_member.email
        ),
        None,
    )
    gate_exceptions.set_exception(locality, criterion, "Signed at county level", None, waived=True)
    live = create_locality(programme, name="Live locality", slug="live-locality")
    for each in gate_criteria.criteria(programme):
        gate_exceptions.set_exception(live, each, "Agreed by the board", None, waived=True)
    decision = decisions.go_live(live, board_member, "Board of 30 November", TODAY)
    # An API token of someone other than whoever walks the routes.
    token = api_tokens.create_token(create_user("viewer"), "Nightly report").record
    alias = ValueAlias(
        programme_id=programme.id, field="status", name="Advert live", target="advertised"
    )
    db.session.add(alias)
    db.session.flush()
    # The post's employer, and a second organisation to merge it into.
    other = organisations.create_organisation(
        programme, "Westshire Women's Aid", "da_charity", None
    )
    viewer = create_user("viewer")
    # A message in the outbox, stored (not sent), so an admin may resend it.
    message = outbox.queue(
        to="ann@example.org",
        kind="digest",
        key="2026-W49",
        composed=Composed("Your week", "Hi", None),
    )
    message.status = "stored"
    db.session.commit()
    # A board pack issued for today's meeting, to show and download.
    pack = issue.issue_pack(programme, TODAY, board_member, TODAY)
    # A cost-avoidance scenario of the business case, to change, rename and delete.
    scenario = add_scenario(programme, "Low", None)
    # The locality's go-live date moved two weeks, so there is a move to summarise.
    move = localities.update_locality(
        locality,
        None,
        today=TODAY,
        name=locality.name,
        wave=locality.wave,
        go_live=locality.go_live + timedelta(days=14),
    )
    # A partner's pledged contribution, to change and remove.
    pledge = create_pledge(
        programme,
        None,
        organisation_id=other.id,
        financial_year=2025,
        pledged_pence=85_000_00,
        posts_pledged=1,
        received_pence=0,
        note="",
    )
    # A group supervision session the team held today, to change and remove.
    supervision_session = group_supervision.record_session(
        team, None, today=TODAY, held_on=TODAY, families_discussed=3, psychologist_present=False
    )
    return World(
        pledge_id=pledge.id,
        supervision_id=supervision_session.id,
        other_programme=other_programme.slug,
        moved_event_id=move.event.id,
        pack_id=pack.id,
        message_id=message.id,
        programme=programme.slug,
        locality=locality.slug,
        template=template.key,
        item_id=template.items[0].id,
        milestone_id=milestone.id,
        workstream_id=milestone.workstream_id,
        user_id=viewer.id,
        team_id=team.id,
        post_id=post.id,
        role_id=post.role_id,
        import_id=record.id,
        session_id=session.id,
        staff_id=staff.id,
        criterion_id=criterion.id,
        live_locality=live.slug,
        decision_id=decision.id,
        token_id=token.id,
        alias_id=alias.id,
        organisation_id=post.organisation_id,
        other_organisation_id=other.id,
        unsubscribe_token=unsubscribe.unsubscribe_token(viewer),
        scenario_id=scenario.id,
    )


def _programme(w: World) -> dict:
    return {"programme_slug": w.programme}


def _locality(w: World) -> dict:
    return {"programme_slug": w.programme, "slug": w.locality}


def _template(w: World) -> dict:
    return {"programme_slug": w.programme, "key": w.template}


def _item(w: World) -> dict:
    return {**_template(w), "item_id": w.item_id}


def _user(w: World) -> dict:
    return {"user_id": w.user_id}


def _team(w: World) -> dict:
    return {**_locality(w), "team_id": w.team_id}


def _post(w: World) -> dict:
    return {**_programme(w), "post_id": w.post_id}


def _role(w: World) -> dict:
    return {**_programme(w), "role_id": w.role_id}


def _import(w: World) -> dict:
    return {**_programme(w), "import_id": w.import_id}


def _session(w: World) -> dict:
    return {**_programme(w), "session_id": w.session_id}


def _place(w: World) -> dict:
    return {**_session(w), "staff_id": w.staff_id}


def _criterion(w: World) -> dict:
    return {**_programme(w), "criterion_id": w.criterion_id}


def _locality_criterion(w: World) -> dict:
    return {**_locality(w), "criterion_id": w.criterion_id}


def _staff_member(w: World) -> dict:
    return {**_programme(w), "staff_id": w.staff_id}


def _book_module(w: World) -> dict:
    return {**_programme(w), "course_key": "mi", "number": 2}


def _decision(w: World) -> dict:
    return {**_programme(w), "slug": w.live_locality, "decision_id": w.decision_id}


def _organisation(w: World) -> dict:
    return {**_programme(w), "organisation_id": w.organisation_id}


def _merge(w: World) -> dict:
    return {**_organisation(w), "into_id": w.other_organisation_id}


def _token(w: World) -> dict:
    return {"token_id": w.token_id}


def _unsubscribe(w: World) -> dict:
    return {"token": w.unsubscribe_token}


def _bad_token(_w: World) -> dict:
    return {"token": "not-a-link-we-sent"}


def _message(w: World) -> dict:
    return {"message_id": w.message_id}


def _pack(w: World) -> dict:
    return {**_programme(w), "pack_id": w.pack_id}


def _moved(w: World) -> dict:
    return {**_locality(w), "event_id": w.moved_event_id}


def _scenario(w: World) -> dict:
    return {**_programme(w), "scenario_id": w.scenario_id}


def _supervision_team(w: World) -> dict:
    return {**_programme(w), "team_id": w.team_id}


def _supervision_session(w: World) -> dict:
    return {**_supervision_team(w), "session_id": w.supervision_id}


def _none(_w: World) -> dict:
    return {}


# issue 20: outcomes
def _cla(programme):
    return outcome_catalogue.get_indicator(programme, "children-looked-after")


def _indicator(w: World) -> dict:
    return {**_programme(w), "indicator_key": "children-looked-after"}


def _locality_indicator(w: World) -> dict:
    return {**_indicator(w), "slug": w.locality}


def _indicator_value(w: World) -> dict:
    return {**_locality_indicator(w), "period": "2026-05"}


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    permission: str  # as declared on the view: a key of PERMISSIONS, or "public"
    args: Callable[[World], dict] = _none
    # When the view narrows access beyond its declared permission (checked inside the view).
    effective: str | None = None
    # Statuses that count as "let in". GET pages answer 200; a POST with an empty form may
    # redirect (done) or re-show the form (200/400).
    ok: frozenset[int] = field(default=frozenset())
    # A JSON route answers 401/403 (and everything else) in JSON, never with a redirect.
    json: bool = False

    @property
    def accepted(self) -> frozenset[int]:
        return self.ok or (frozenset({200}) if self.method == "GET" else frozenset({200, 302, 400}))

    def expected_for(self, role: str) -> str:
        permission = self.effective or self.permission
        if permission == "public":
            return ALLOWED
        if role == ANONYMOUS:
            return SIGN_IN
        return ALLOWED if role in PERMISSIONS[permission] else FORBIDDEN

    def belongs_to_a_programme(self, world: World) -> bool:
        """Whether the URL is one of a programme's (so a non-member is answered 404)."""
        args = self.args(world)
        return (
            "programme_slug" in args
            or "milestone_id" in args
            or self.endpoint == "programmes.overview"
        )

    def url(self, app, world: World) -> str:
        with app.test_request_context():
            return url_for(self.endpoint, **self.args(world))


def _both(endpoint: str, permission: str, args: Callable[[World], dict] = _none) -> list[Route]:
    return [Route(endpoint, "GET", permission, args), Route(endpoint, "POST", permission, args)]


ROUTES: list[Route] = [
    # A signed-in user asking for the sign-in page is sent on to the home page.
    Route("auth.login", "GET", "public", ok=frozenset({200, 302})),
    Route("auth.login", "POST", "public"),
    # Asking for a reset link (an empty form: 400), and the pages an e-mailed link opens: the
    # walk's token was never issued, so everyone gets the "not valid" page (400).
    *_both("passwords.forgotten", "public"),
    # Nothing asked for in this browser yet: back to the form.
    Route("passwords.reset_sent", "GET", "public", ok=frozenset({302})),
    *[
        Route(endpoint, method, "public", _bad_token, ok=frozenset({400}))
        for endpoint in ("passwords.reset", "passwords.invitation")
        for method in ("GET", "POST")
    ],
    *_both("programmes.new", "manage_programme"),
    Route("programmes.index", "GET", "view"),
    Route("programmes.overview", "GET", "view", lambda w: {"slug": w.programme}),
    *_both("localities.new", "manage_programme", _programme),
    Route("localities.show", "GET", "view", _locality),
    Route("localities.timeline_view", "GET", "view", _locality),
    *_both("localities.edit", "manage_programme", _locality),
    Route("localities.apply_timeline", "POST", "manage_programme", _locality),
    *_both("localities.new_team", "manage_programme", _locality),
    *_both("localities.team_serves", "manage_programme", _team),
    Route("localities.audit_trail", "GET", "view_audit", _locality),
    Route("localities.moved", "GET", "manage_programme", _moved),
    # Declared "view", but only milestone editors (or its owner: tested below) get the form.
    *[
        Route(
            "milestones.edit",
            method,
            "view",
            lambda w: {"milestone_id": w.milestone_id},
            effective="edit_milestones",
        )
        for method in ("GET", "POST")
    ],
    *_both("milestones.new", "edit_milestones", _locality),
    Route("milestones.mine", "GET", "view"),
    Route("milestones.programme_list", "GET", "view", _programme),
    *_both("milestones.new_programme_wide", "edit_milestones", _programme),
    # Declared "view": a milestone's owner may change its status too (tested in
    # test_milestone_lists.py); the walked milestone is owned by nobody. An empty form: 400.
    Route(
        "milestones.set_status",
        "POST",
        "view",
        lambda w: {"milestone_id": w.milestone_id},
        effective="edit_milestones",
    ),
    # Nothing selected: the list is shown again with the problem (400).
    Route("milestones.bulk", "POST", "edit_milestones", _programme),
    Route("templates.index", "GET", "view", _programme),
    Route("templates.show", "GET", "view", _template),
    *_both("templates.new_item", "manage_programme", _template),
    *_both("templates.edit_item", "manage_programme", _item),
    Route("templates.remove_item", "POST", "manage_programme", _item),
    Route("workstreams.index", "GET", "view", _programme),
    *_both(
        "workstreams.edit",
        "manage_programme",
        lambda w: {**_programme(w), "workstream_id": w.workstream_id},
    ),
    Route("recruitment.overview", "GET", "view", _programme),
    Route("recruitment.locality", "GET", "view", _locality),
    Route("recruitment.locality_csv", "GET", "view", _locality),
    Route("recruitment.apply_establishment", "POST", "manage_recruitment", _team),
    *_both("recruitment.new_post", "manage_recruitment", _team),
    Route("recruitment.post", "GET", "view", _post),
    *_both("recruitment.edit_post", "manage_recruitment", _post),
    Route("recruitment.freeze", "POST", "manage_recruitment", _post),
    *_both("recruitment.remove", "manage_recruitment", _post),
    Route("roles.index", "GET", "view", _programme),
    *_both("roles.new_role", "manage_programme", _programme),
    *_both("roles.edit_role", "manage_programme", _role),
    *_both("roles.settings", "manage_programme", _programme),
    Route("organisations.index", "GET", "view", _programme),
    *_both("organisations.new", "manage_organisations", _programme),
    *_both("organisations.edit", "manage_organisations", _organisation),
    *_both("organisations.merge", "manage_organisations", _organisation),
    *_both("organisations.confirm_merge", "manage_organisations", _merge),
    Route("supervision.index", "GET", "view", _programme),
    Route("supervision.team", "GET", "view", _supervision_team),
    # An empty form: the date is missing (400).
    Route("supervision.record", "POST", "record_supervision", _supervision_team),
    *_both("supervision.edit", "record_supervision", _supervision_session),
    Route("supervision.delete", "GET", "record_supervision", _supervision_session),
    # An empty confirmation has no version: taken as stale, refused showing the session (409).
    Route(
        "supervision.delete",
        "POST",
        "record_supervision",
        _supervision_session,
        ok=frozenset({409}),
    ),
    Route("training.overview", "GET", "view", _programme),
    Route("training.sessions", "GET", "view", _programme),
    *_both("training.new_session", "manage_training", _programme),
    Route("training.session", "GET", "view", _session),
    Route("training.save_register", "POST", "record_attendance", _session),
    Route("training.sign_in_sheet", "GET", "record_attendance", _session),
    Route("training.enrol", "POST", "manage_training", _session),
    *_both("training.edit_session", "manage_training", _session),
    *_both("training.cancel_session", "manage_training", _session),
    Route("training.unenrol", "POST", "manage_training", _place),
    *_both("training.move_place", "manage_training", _place),
    Route("training.locality", "GET", "view", _locality),
    *_both("training.new_staff", "manage_training", _team),
    Route("training.book_module", "GET", "view", _book_module),
    Route("training.still_to_book", "GET", "view", _locality),
    Route("training.staff_member", "GET", "view", _staff_member),
    *_both("training.edit_staff_member", "edit_staff", _staff_member),
    Route("imports.index", "GET", "view", _programme),
    Route("imports.names", "GET", "manage_recruitment", _programme),
    Route(
        "imports.forget_name",
        "POST",
        "manage_recruitment",
        lambda w: {**_programme(w), "alias_id": w.alias_id},
    ),
    # Declared for anyone who imports something; a recruitment import needs manage_recruitment.
    *[
        Route(
            "imports.upload",
            method,
            "import_spreadsheets",
            lambda w: {**_programme(w), "kind": "recruitment"},
            effective="manage_recruitment",
        )
        for method in ("GET", "POST")
    ],
    # A finance spreadsheet import needs manage_finance as well.
    *[
        Route(
            "imports.upload",
            method,
            "import_spreadsheets",
            lambda w: {**_programme(w), "kind": "spend"},
            effective="manage_finance",
        )
        for method in ("GET", "POST")
    ],
    *[
        Route(endpoint, method, "import_spreadsheets", _import, effective="manage_recruitment")
        for endpoint, method in (
            ("imports.columns", "GET"),
            ("imports.columns", "POST"),
            ("imports.show", "GET"),
            ("imports.apply", "POST"),
            ("imports.values", "POST"),
            ("imports.blank_cells", "POST"),
            ("imports.undo", "GET"),
            ("imports.undo", "POST"),
            ("imports.download", "GET"),
        )
    ],
    Route("partners.index", "GET", "view", _programme),
    *_both("partners.new", "manage_finance", _programme),
    *_both(
        "partners.edit", "manage_finance", lambda w: {**_programme(w), "pledge_id": w.pledge_id}
    ),
    *_both(
        "partners.delete", "manage_finance", lambda w: {**_programme(w), "pledge_id": w.pledge_id}
    ),
    # The indicator import: import_spreadsheets to reach the pages, record_outcomes for its kind.
    *[
        Route(
            "imports.upload",
            method,
            "import_spreadsheets",
            lambda w: {**_programme(w), "kind": "indicators"},
            effective="record_outcomes",
        )
        for method in ("GET", "POST")
    ],
    Route("admin.user_list", "GET", "manage_users"),
    *_both("admin.new_user", "manage_users"),
    *_both("admin.edit_user", "manage_users", _user),
    *[
        Route(
            "admin.set_active",
            "POST",
            "manage_users",
            lambda w, a=action: {**_user(w), "action": a},
        )
        for action in ("deactivate", "reactivate")
    ],
    # The walked user has joined already: refused with a message, back to the list (302).
    Route("admin.resend_invitation", "POST", "manage_users", _user, ok=frozenset({302})),
    Route("outbox.index", "GET", "manage_mail"),
    Route("outbox.show", "GET", "manage_mail", _message),
    # The walked message is stored, not sent: resending it stores it again (MAIL_TRANSPORT=outbox).
    Route("outbox.resend", "GET", "manage_mail", _message),
    Route("outbox.resend", "POST", "manage_mail", _message, ok=frozenset({302})),
    Route("readiness.board", "GET", "view", _programme),
    Route("exports.workbook", "GET", "export_workbook", _programme),
    Route("board_packs.index", "GET", "export_workbook", _programme),
    Route("board_packs.changes", "GET", "export_workbook", _programme),
    # An empty form re-shows with its error (400).
    *_both("board_packs.new", "issue_board_pack", _programme),
    Route("board_packs.show", "GET", "export_workbook", _pack),
    Route("board_packs.download", "GET", "export_workbook", _pack),
    Route("readiness.locality", "GET", "view", _locality),
    # The locality's criteria are unmet, so the decision is refused (409) and nothing recorded;
    # with nothing in force, an empty reason re-shows the form (400).
    # The confirmation page refuses (409) while the criteria are unmet, and so does its POST.
    Route("readiness.confirm_go_live", "GET", "decide_go_live", _locality, ok=frozenset({409})),
    Route("readiness.go_live", "POST", "decide_go_live", _locality, ok=frozenset({409})),
    Route("readiness.rescind", "POST", "decide_go_live", _locality, ok=frozenset({400})),
    Route("readiness.decision", "GET", "view", _decision),
    # Declared "view": anyone may ask, the service lets only the check's named signer (tested
    # in test_readiness.py); everyone else is sent back with the reason.
    Route("readiness.sign_off", "POST", "view", _locality_criterion, ok=frozenset({302})),
    Route("readiness.withdraw_sign_off", "POST", "view", _locality_criterion, ok=frozenset({302})),
    *_both("readiness.exception", "manage_gate", _locality_criterion),
    Route("readiness.clear_exception", "POST", "manage_gate", _locality_criterion),
    Route("readiness.gate", "GET", "view", _programme),
    Route("readiness.threshold", "POST", "manage_gate", _criterion, ok=frozenset({400})),
    *_both("readiness.new_criterion", "manage_gate", _programme),
    Route("readiness.remove_criterion", "POST", "manage_gate", _criterion, ok=frozenset({302})),
    Route("readiness.signer", "POST", "manage_gate", _criterion, ok=frozenset({302})),
    Route("readiness.use_rule_as_written", "POST", "manage_gate", _programme, ok=frozenset({302})),
    # Everyone signed in has an account page and makes their own tokens (an empty name: 400).
    Route("account.index", "GET", "view"),
    Route("account.new_token", "POST", "view"),
    *_both("account.change_password", "view"),
    # The walked token is someone else's: as unknown to each walker as one that never existed
    # (revoking one's own is tested in test_account.py).
    *[
        Route("account.revoke", method, "view", _token, ok=frozenset({404}))
        for method in ("GET", "POST")
    ],
    # Everyone signed in may make their own calendar feed address (shown once: 200); the walker
    # has none, so replacing or revoking it goes back to the account page.
    Route("calendar_feeds.create", "POST", "view", ok=frozenset({200})),
    *[
        Route(endpoint, method, "view", ok=frozenset({302}))
        for endpoint in ("calendar_feeds.replace", "calendar_feeds.revoke")
        for method in ("GET", "POST")
    ],
    # The token in the address is the authority: no sign-in. The walk's token was never issued,
    # so everyone gets the 404 a revoked one gets (valid ones: tests/views/test_calendar_feeds.py).
    Route(
        "calendar_feeds.feed",
        "GET",
        "public",
        lambda w: {"token": "never-issued"},
        ok=frozenset({404}),
    ),
    # Everyone signed in chooses their own e-mail reminders (an empty form turns all off).
    *_both("mail.preferences", "view"),
    # The signed token is the authority: no sign-in, and the POST turns the digest off.
    *_both("mail.unsubscribe", "public", _unsubscribe),
    Route("api.locality_readiness", "GET", "view", _locality, json=True),
    Route(
        "api.go_live",
        "POST",
        "decide_go_live",
        _locality,
        ok=frozenset({415}),  # the walk posts a form, not JSON: refused before anything is read
        json=True,
    ),
    # issue 16: accountability
    Route("programme_audit.trail", "GET", "view_audit", _programme),
    Route("security_log.index", "GET", "view_security_log"),
    # issue 16: sign-in
    # The code step of two-factor sign-in, with no password step behind it, goes back to the
    # sign-in page (a signed-in user: to the home page).
    *[Route("auth.code", method, "public", ok=frozenset({302})) for method in ("GET", "POST")],
    # Everyone signed in manages their own two-factor sign-in. The walker has it off: setting
    # it up is open (an empty code: 400), turning it off or new recovery codes go back (302).
    Route("two_factor.index", "GET", "view"),
    *_both("two_factor.set_up", "view"),
    *[
        Route(endpoint, method, "view", ok=frozenset({302}))
        for endpoint in ("two_factor.turn_off", "two_factor.recovery_codes")
        for method in ("GET", "POST")
    ],
    # Last in the table only for readability: each case rolls back to the same world.
    Route("auth.logout", "POST", "view"),
    # issue 16: memberships
    Route("members.index", "GET", "manage_members", _programme),
    Route("members.add", "POST", "manage_members", _programme),
    *_both("members.invite", "manage_members", _programme),
    *_both("members.change", "manage_members", lambda w: {**_programme(w), **_user(w)}),
    *_both("members.remove", "manage_members", lambda w: {**_programme(w), **_user(w)}),
    Route("admin.add_membership", "POST", "manage_users", _user),
    # issue 16: data protection
    *_both("data_protection.erase", "erase_personal_data"),
    *_both("data_protection.subject_access_export", "subject_access_export"),
    # issue 17: health
    Route("health.live", "GET", "public"),
    Route("health.ready", "GET", "public"),
    # issue 20: the business case's scenarios
    Route("business_case.show", "GET", "view", _programme),
    *_both("business_case.new", "manage_finance", _programme),
    *_both("business_case.edit_years", "manage_finance", _scenario),
    *_both("business_case.rename", "manage_finance", _scenario),
    *_both("business_case.delete", "manage_finance", _scenario),
    # issue 20: budget and spend. An empty delete form has no version: refused as stale (409).
    Route("finance.overview", "GET", "view", _programme),
    Route("finance.lines", "GET", "view", _programme),
    Route("finance.line", "GET", "view", line_args),
    *_both("finance.new_line", "manage_finance", _programme),
    *_both("finance.edit_line", "manage_finance", line_args),
    Route("finance.delete_line", "GET", "manage_finance", line_args),
    Route("finance.delete_line", "POST", "manage_finance", line_args, ok=frozenset({409})),
    *_both("finance.new_spend", "manage_finance", _programme),
    *_both("finance.edit_spend", "manage_finance", spend_args),
    Route("finance.delete_spend", "GET", "manage_finance", spend_args),
    Route("finance.delete_spend", "POST", "manage_finance", spend_args, ok=frozenset({409})),
    # issue 20: outcomes
    Route("outcomes.overview", "GET", "view", _programme),
    *_both("outcomes.new_indicator", "record_outcomes", _programme),
    Route("outcomes.indicator", "GET", "view", _indicator),
    *_both("outcomes.target", "record_outcomes", _locality_indicator),
    *_both("outcomes.new_value", "record_outcomes", _locality_indicator),
    *_both("outcomes.edit_value", "record_outcomes", _indicator_value),
    *_both("outcomes.delete_value", "record_outcomes", _indicator_value),
]


def _route_id(route: Route) -> str:
    kwargs = route.args(World("p", "l", "t", 1, 1, 1, 1, 1, 1, 1, 1))
    suffix = f"-{kwargs['action']}" if "action" in kwargs else ""
    return f"{route.method}-{route.endpoint}{suffix}"


def outcome(response) -> str:
    if response.status_code == 403:
        return FORBIDDEN
    if response.status_code == 401 and response.is_json:  # a JSON route's "sign in first"
        return SIGN_IN
    if is_sign_in_challenge(response):
        return SIGN_IN
    return ALLOWED


@pytest.fixture(scope="module")
def walk(_migrated):
    """The world is built once for the whole walk; each case rolls back to it (a savepoint)."""
    app = make_app(_migrated)
    app.test_client_class = IsolatedClient
    with app.app_context():
        empty_tables()
        with one_shared_transaction(app) as savepoint:
            world = build_world()
            yield app, world, savepoint


@pytest.fixture
def walked(walk):
    app, world, savepoint = walk
    case = savepoint()
    try:
        yield app, world, app.test_client()
    finally:
        db.session.remove()
        case.rollback()


@pytest.mark.parametrize("role", [*ROLES, ANONYMOUS])
@pytest.mark.parametrize("route", ROUTES, ids=_route_id)
def test_each_route_answers_each_role_as_the_permission_table_says(walked, route, role):
    app, world, client = walked
    if role != ANONYMOUS:
        sign_in_as(client, create_user(role))

    response = client.open(route.url(app, world), method=route.method)

    expected = route.expected_for(role)
    assert outcome(response) == expected, (
        f"{route.method} {route.endpoint} as {role}: expected {expected}, "
        f"got {response.status_code} {response.headers.get('Location', '')}"
    )
    if route.json:
        assert response.is_json, f"{route.method} {route.endpoint} as {role} answered non-JSON"
    if expected == ALLOWED:
        assert response.status_code in route.accepted, (
            f"{route.method} {route.endpoint} as {role} answered {response.status_code}"
        )


# Administrators are instance-wide: they are members of every programme.
NON_MEMBER_ROLES = [role for role in ROLES if role != "admin"]


@pytest.mark.parametrize("role", NON_MEMBER_ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=_route_id)
def test_each_route_answers_a_non_member_as_if_the_programme_did_not_exist(walked, route, role):
    """A user of another programme gets 404 from every page, file and JSON answer of this one;
    routes of no programme answer them by their account's role, as they answer members."""
    app, world, client = walked
    elsewhere = db.session.scalar(select(Programme).where(Programme.slug == world.other_programme))
    sign_in_as(client, create_user(role, member_of=[elsewhere]))

    response = client.open(route.url(app, world), method=route.method)

    where = f"{route.method} {route.endpoint} as a non-member {role}"
    if route.json:
        assert response.is_json, f"{where} answered non-JSON"
    if route.belongs_to_a_programme(world):
        assert response.status_code == 404, f"{where}: expected 404, got {response.status_code}"
        return
    if route.endpoint == "programmes.index":  # their only programme: straight to it
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/programmes/{world.other_programme}")
        return
    expected = route.expected_for(role)
    assert outcome(response) == expected, f"{where}: expected {expected}"
    if expected == ALLOWED:
        assert response.status_code in route.accepted, f"{where} answered {response.status_code}"


def test_every_route_is_in_the_table_and_declares_its_permission(walk):
    app = walk[0]
    in_app = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    in_table = {(route.endpoint, route.method) for route in ROUTES}
    assert in_app - in_table == set(), "routes missing from ROUTES in test_permissions.py"
    assert in_table - in_app == set(), "rows in ROUTES for routes that no longer exist"

    undeclared = sorted(
        endpoint
        for endpoint, _method in in_app
        if not hasattr(app.view_functions[endpoint], "required_permission")
    )
    assert undeclared == [], "views without @requires(...) or @public"
    for route in ROUTES:
        declared = app.view_functions[route.endpoint].required_permission
        assert declared == route.permission, f"{route.endpoint} declares {declared!r}"
        assert declared == "public" or declared in PERMISSIONS


def test_the_roles_walked_are_exactly_the_roles_the_app_knows():
    assert set(ROLES) == ALL_ROLES
