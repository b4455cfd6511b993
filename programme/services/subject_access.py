"""Subject access (issue 16): everything held about one e-mail address, as one JSON document
and as a workbook (one sheet per kind of record; text written formula-safe by
domain/xlsx_export.py). Secrets are never included (password and token hashes, the two-factor
secret); import files are quoted by the rows that mention the address."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import String, cast, func, or_, select

from programme.clock import utc_now, zone
from programme.domain.export_tables import Column, Sheet, Table, WorkbookInfo
from programme.domain.formatting import long_date
from programme.domain.redaction import Redaction
from programme.extensions import db
from programme.models import (
    ApiToken,
    Attendance,
    AuditEvent,
    ImportRecord,
    LoginAttempt,
    Membership,
    Milestone,
    OutboxMessage,
    User,
)
from programme.models.security import SecurityEvent
from programme.services import audit
from programme.services.erasure import people_with
from programme.services.transaction import transactional

SECRET_COLUMNS = {"password_hash", "totp_secret", "token_hash", "code_hash", "content", "version"}
SECTIONS = (
    "user_account",
    "memberships",
    "staff_records",
    "posts_held",
    "training_places",
    "milestones_owned",
    "audit_events",
    "security_events",
    "sign_in_attempts",
    "outbox_messages",
    "api_tokens",
    "import_rows",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(obj, **extra) -> dict[str, Any]:
    row = {
        column.key: _plain(getattr(obj, column.key))
        for column in obj.__table__.columns
        if column.key not in SECRET_COLUMNS
    }
    row.update({key: _plain(value) for key, value in extra.items()})
    return row


def _file_rows(blob: bytes | None, needle: str) -> list[list[str]]:
    """The rows of a stored .csv or .xlsx file that mention `needle`."""
    from openpyxl import load_workbook  # 0.2 s: only a subject access export reads files

    if not blob:
        return []
    needle = needle.lower()
    try:
        book = load_workbook(io.BytesIO(blob), read_only=True)
        rows = (
            ["" if value is None else str(value) for value in row]
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
        found = [row for row in rows if needle in " ".join(row).lower()]
        book.close()
        return found
    except Exception:  # not a workbook: a .csv
        text = blob.decode("utf-8-sig", "replace")
        return [row for row in csv.reader(io.StringIO(text)) if needle in " ".join(row).lower()]


def collect(email: str) -> dict[str, Any]:
    """Everything held about `email`: {"email", "generated_at", "sections": {name: [rows]}}."""
    address = email.strip().lower()
    users, staff, posts = people_with(address)
    user_ids = [user.id for user in users]
    staff_ids = [person.id for person in staff]
    names = {user.name for user in users} | {person.name for person in staff}
    words = Redaction(0, names=names, emails={address}).needles
    sections: dict[str, list] = {name: [] for name in SECTIONS}
    sections["user_account"] = [_row(user, two_factor_on=user.two_factor_on) for user in users]
    sections["memberships"] = [
        _row(m, programme=m.programme.slug)
        for m in db.session.scalars(select(Membership).where(Membership.user_id.in_(user_ids)))
    ]
    sections["staff_records"] = [
        _row(p, team=p.team.name, locality=p.team.locality.name, role=p.role.name) for p in staff
    ]
    sections["posts_held"] = [_row(post, team=post.team.name) for post in posts]
    sections["training_places"] = [
        _row(
            place,
            course=place.session.course.name,
            module=place.session.module.number,
            session_date=place.session.on,
        )
        for place in db.session.scalars(
            select(Attendance).where(Attendance.staff_id.in_(staff_ids)).order_by(Attendance.id)
        )
    ]
    sections["milestones_owned"] = [
        _row(m)
        for m in db.session.scalars(select(Milestone).where(Milestone.owner_id.in_(user_ids)))
    ]

    def mentions(*columns):
        return or_(
            *[
                func.lower(cast(column, String)).contains(word, autoescape=True)
                for column in columns
                for word in words
            ]
        )

    sections["audit_events"] = [
        _row(event)
        for event in db.session.scalars(
            select(AuditEvent)
            .where(
                or_(
                    AuditEvent.actor_id.in_(user_ids),
                    (AuditEvent.entity_type == "user") & AuditEvent.entity_id.in_(user_ids),
                    (AuditEvent.entity_type == "staff") & AuditEvent.entity_id.in_(staff_ids),
                    mentions(AuditEvent.summary, AuditEvent.before, AuditEvent.after),
                )
            )
            .order_by(AuditEvent.id)
        )
    ]
    sections["security_events"] = [
        _row(event)
        for event in db.session.scalars(
            select(SecurityEvent)
            .where(
                or_(SecurityEvent.user_id.in_(user_ids), func.lower(SecurityEvent.email) == address)
            )
            .order_by(SecurityEvent.id)
        )
    ]
    sections["sign_in_attempts"] = [
        _row(attempt)
        for attempt in db.session.scalars(
            select(LoginAttempt)
            .where(func.lower(LoginAttempt.email) == address)
            .order_by(LoginAttempt.id)
        )
    ]
    sections["outbox_messages"] = [
        _row(message)
        for message in db.session.scalars(
            select(OutboxMessage)
            .where(
                or_(
                    OutboxMessage.user_id.in_(user_ids),
                    func.lower(OutboxMessage.recipient) == address,
                )
            )
            .order_by(OutboxMessage.id)
        )
    ]
    sections["api_tokens"] = [
        _row(token)
        for token in db.session.scalars(select(ApiToken).where(ApiToken.user_id.in_(user_ids)))
    ]
    for record in db.session.scalars(select(ImportRecord).order_by(ImportRecord.id)):
        rows = _file_rows(record.content, address)
        errors = [
            e for e in record.errors or [] if any(word in json.dumps(e).lower() for word in words)
        ]
        if rows or errors:
            sections["import_rows"].append(
                {
                    "import": record.id,
                    "kind": record.kind,
                    "file": record.original_name,
                    "state": record.state,
                    "uploaded_at": _plain(record.uploaded_at),
                    "rows": rows,
                    "errors": errors,
                }
            )
    return {"email": address, "generated_at": utc_now().isoformat(), "sections": sections}


def as_json(found: dict[str, Any]) -> bytes:
    return json.dumps(found, indent=2, ensure_ascii=False, default=str).encode("utf-8")


def as_xlsx(found: dict[str, Any]) -> bytes:
    from programme.domain.xlsx_export import workbook_bytes  # openpyxl: not at start-up

    sheets = []
    for name, rows in found["sections"].items():
        keys = list(dict.fromkeys(key for row in rows for key in row))
        table = Table(
            columns=[Column(key) for key in keys] or [Column("Nothing held")],
            rows=[
                [
                    value
                    if isinstance(value, str | int | float) or value is None
                    else json.dumps(value, default=str)
                    for value in (row.get(key) for key in keys)
                ]
                for row in rows
            ],
            empty_message="Nothing held.",
        )
        sheets.append(Sheet(name.replace("_", " ").capitalize(), table))
    now = utc_now()
    info = WorkbookInfo(
        title=f"Subject access: {found['email']}",
        creator="Family Safeguarding programme tracker",
        created=now,
        footer_date=long_date(now, zone()),
        zone=zone(),
    )
    return workbook_bytes(info, sheets)


@transactional
def record_export(email: str, kind: str, actor: User | None, found: dict[str, Any]) -> None:
    """Audit a subject access export (the address is the subject's own, asked for by them)."""
    counts = {name: len(rows) for name, rows in found["sections"].items() if rows}
    audit.record(
        actor,
        "subject_access_export",
        "subject_access",
        None,
        f"Subject access export (.{kind}) of everything held about one e-mail address",
        after={"format": kind, "email": email.strip().lower(), "records": counts},
    )
