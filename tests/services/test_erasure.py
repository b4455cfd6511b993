"""Erasure (issue 16): after erasing a person, no text, JSON or binary column of any table holds
their name or e-mail address, every readiness figure is unchanged, the decision they signed
shows "Erased person N" and their account cannot be used."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import JSON, LargeBinary, String, select

from programme.extensions import db
from programme.models import (
    ApiToken,
    AuditEvent,
    BoardPack,
    CalendarFeed,
    GoLiveDecision,
    ImportRecord,
    LoginAttempt,
    Membership,
    OutboxMessage,
    Post,
    StaffMember,
    User,
)
from programme.models.security import RecoveryCode, SecurityEvent
from programme.services import audit, erasure
from programme.services.board_packs import issue
from programme.services.errors import Conflict, ServiceError
from programme.services.readiness import decisions
from programme.services.readiness.evaluation import evaluate_locality
from programme.services.training import catalogue
from tests.builders import attend, create_user
from tests.services.test_board_packs import FIRST_MEETING, LATER, somerset  # noqa: F401

NAME, EMAIL = "Dana Whitfield", "dana.whitfield@example.org"


def _blobs(value) -> str:
    """The text a stored value holds, reading inside zipped files (.xlsx)."""
    if isinstance(value, bytes):
        if zipfile.is_zipfile(io.BytesIO(value)):
            with zipfile.ZipFile(io.BytesIO(value)) as archive:
                return " ".join(
                    archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                )
        return value.decode("utf-8", "replace")
    return str(value)


def holding(words: list[str]) -> list[str]:
    """Every table.column whose stored value holds one of `words` (any case)."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | JSON | LargeBinary)]
        for column in columns:
            for value in db.session.execute(select(column)).scalars():
                if value is None:
                    continue
                text = _blobs(value).lower()
                if any(word.lower() in text for word in words):
                    found.append(f"{table.name}.{column.name}")
                    break
    return found


def _figures(programme) -> dict:
    """Every readiness figure of every locality (the shortfall lists name people, so they are
    compared by how many)."""
    return {
        (loc.id, result.key): (
            result.share,
            result.threshold,
            result.met,
            len(result.shortfall),
            result.parts,
            result.exception,
        )
        for loc in programme.localities
        for result in evaluate_locality(loc, LATER).results
    }


@pytest.fixture
def dana(somerset, pin_clock):  # noqa: F811
    """A board member who is also a trained adult specialist in Taunton and holds a post; she
    took Yeovil live; a board pack names her; her name is in the audit trail, the outbox, the
    security log, the sign-in attempts and an import's rows."""
    pin_clock(LATER)
    user = create_user("board_member", name=NAME, email=EMAIL)
    taunton = next(loc for loc in somerset.localities if loc.name == "Taunton")
    yeovil = next(loc for loc in somerset.localities if loc.name == "Yeovil")
    team = taunton.teams[0]
    post = db.session.scalar(select(Post).where(Post.reference == "T-01"))
    post.holder_name, post.holder_email = NAME, EMAIL
    staff = StaffMember(
        programme_id=somerset.id, team=team, role=post.role, name=NAME, email=EMAIL, post=post
    )
    db.session.add(staff)
    db.session.commit()
    course = catalogue.get_course(somerset, "mi")
    attend(course, course.modules[0].number, [staff])
    decisions.go_live(yeovil, user, f"Agreed; {NAME} signs", LATER)
    admin = create_user("admin")
    issue.issue_pack(somerset, FIRST_MEETING, admin, LATER)
    audit.record(admin, "update", "staff", staff.id, f"Renamed {NAME}", after={"name": NAME})
    db.session.add_all(
        [
            OutboxMessage(
                recipient=EMAIL,
                user_id=user.id,
                kind="digest",
                dedupe_key="k1",
                subject=f"Your week, {NAME}",
                text_body=f"Dear {NAME}",
                html_body=f"<p>Dear {NAME}</p>",
            ),
            SecurityEvent(kind="sign_in_failed", user_id=user.id, email=EMAIL, address="10.1.1.1"),
            LoginAttempt(email=EMAIL, address="10.1.1.1"),
            RecoveryCode(user_id=user.id, code_hash="x"),
            CalendarFeed(user_id=user.id, token_hash="feed-hash"),
            ApiToken(user_id=user.id, name="Dana's script", token_hash="tok", prefix="abcd"),
            ImportRecord(
                programme_id=somerset.id,
                kind="staff",
                state="applied",
                original_name="staff.csv",
                stored_name="s1.csv",
                size_bytes=40,
                sha256="0" * 64,
                content=f"name,email\n{NAME},{EMAIL}\n".encode(),
                headers=["name", "email"],
                errors=[{"row": 2, "message": f"{NAME} twice"}],
            ),
        ]
    )
    db.session.commit()
    return user


def test_erasing_a_person_leaves_no_trace_of_them_and_every_figure_unchanged(
    app,
    somerset,  # noqa: F811
    dana,
):
    assert set(holding([NAME, EMAIL])) >= {
        "user.name",
        "audit_event.summary",
        "board_pack.workbook",
    }
    before = _figures(somerset)
    decision = db.session.scalar(select(GoLiveDecision))
    admin = db.session.scalar(select(User).where(User.role == "admin"))

    erased = erasure.erase(EMAIL, f"Asked by {NAME} under Article 17", admin)

    assert erased.label == "Erased person 1"
    assert holding([NAME, EMAIL, "Whitfield"]) == []
    assert _figures(somerset) == before
    kept = db.session.get(GoLiveDecision, decision.id)
    assert kept.decided_by_name == "Erased person 1" and kept.evidence == decision.evidence
    user = db.session.get(User, dana.id)
    assert (user.name, user.email) == ("Erased person 1", "erased-person-1@erased.invalid")
    assert user.password_hash is None and not user.active and user.erased_at is not None
    assert db.session.scalars(select(Membership).where(Membership.user_id == user.id)).all() == []
    assert db.session.scalars(select(RecoveryCode)).all() == []
    assert db.session.scalars(select(CalendarFeed)).all() == []
    assert db.session.scalar(select(ApiToken)).revoked_at is not None
    staff = db.session.scalar(select(StaffMember).where(StaffMember.name == "Erased person 1"))
    assert staff.erased_at is not None and staff.post_id is not None
    record = db.session.scalar(select(ImportRecord))
    assert record.content is None and record.file_deleted_at is not None
    pack = db.session.scalar(select(BoardPack))
    assert pack.sha256 == hashlib.sha256(pack.workbook).hexdigest()
    load_workbook(io.BytesIO(pack.workbook))  # still a workbook
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "erase_person"))
    assert event.summary == (
        "Erased person 1's personal data erased. Reason: Asked by Erased person 1 under Article 17"
    )
    assert event.actor_id == admin.id


def test_erasure_needs_a_reason_a_known_address_and_happens_once(app, somerset, dana):  # noqa: F811
    admin = db.session.scalar(select(User).where(User.role == "admin"))
    with pytest.raises(ServiceError, match="reason"):
        erasure.erase(EMAIL, "  ", admin)
    with pytest.raises(ServiceError, match="Nobody"):
        erasure.erase("nobody@example.org", "Asked", admin)
    with pytest.raises(Conflict, match="yourself"):
        erasure.erase(admin.email, "Asked", admin)
    erasure.erase(EMAIL, "Asked", admin)
    assert erasure.next_number() == 2
    with pytest.raises(ServiceError, match="Nobody"):
        erasure.erase(EMAIL, "Asked", admin)
