"""Refusing to save a register over someone else's save since the page was opened.

The register form carries the marks it was opened with (`seen`: each enrolled person's staff
id and recorded status, in one short hidden field). Saving compares them, under a lock on the
session's row, with the marks recorded now: if they differ, someone else saved (or enrolled
someone) since, and the save is refused naming whose marks changed; nothing is written. A
separate token rather than the session's `version`, so editing the session's details and saving
its register do not refuse each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select

from programme.domain.training import ATTENDANCE_LABELS, AttendanceStatus
from programme.extensions import db
from programme.models import Attendance, StaffMember, TrainingSession
from programme.services.errors import StaleEdit

Seen = Mapping[int, str | None]  # staff id -> recorded status (None: not marked)


def seen_token(places: Iterable) -> str:
    """The marks of `places` (Attendance rows) as the form carries them: "12=present;13=;…"."""
    return ";".join(
        f"{place.staff_id}={place.status or ''}"
        for place in sorted(places, key=lambda place: place.staff_id)
    )


def read_token(text: str | None) -> dict[int, str | None] | None:
    """The marks a form was opened with; None when the form sent none (nothing to check).

    Anything unreadable counts as a register with nobody on it, so it is refused as stale
    (showing everyone's current marks) rather than saved unchecked."""
    if text is None:
        return None
    seen: dict[int, str | None] = {}
    for part in filter(None, text.strip().split(";")):
        staff_id, _sep, status = part.partition("=")
        if not staff_id.isdigit() or len(staff_id) > 12:
            return {}
        seen[int(staff_id)] = status or None
    return seen


@dataclass(frozen=True)
class MarkChange:
    """One person whose mark differs from what the form was opened with."""

    name: str
    before: str | None  # as the form was opened (None: not marked, or not on the register)
    after: str | None  # as recorded now (None: not marked, or no longer on the register)
    staff_id: int

    def describe(self) -> str:
        return f"{self.name}: {_word(self.before)} when you opened it, {_word(self.after)} now"


def _word(status: str | None) -> str:
    if status is None:
        return "not marked"
    return ATTENDANCE_LABELS[AttendanceStatus(status)].lower()


class StaleRegister(StaleEdit):
    """Someone else saved this register (or changed who is on it) after the form was opened."""

    def __init__(self, changes: list[MarkChange]):
        super().__init__(
            "Someone else saved this register after you opened it, so nothing was saved. "
            "Check their changes below, then save your marks again.",
            "register",
        )
        self.changes = changes


def refuse_if_register_changed(session: TrainingSession, seen: Seen | None) -> None:
    """Lock the session's row (until the save commits) and refuse if its marks are not
    those `seen` (None: don't check). The lock makes two saves of one register take turns, so
    the second sees the first's marks and is refused."""
    if seen is None:
        return
    db.session.execute(
        select(TrainingSession.id).where(TrainingSession.id == session.id).with_for_update()
    )
    now: dict[int, str | None] = dict(
        db.session.execute(
            select(Attendance.staff_id, Attendance.status).where(
                Attendance.session_id == session.id
            )
        ).all()
    )
    differ = sorted(
        staff_id
        for staff_id in set(now) | set(seen)
        if now.get(staff_id) != seen.get(staff_id) or (staff_id in now) != (staff_id in seen)
    )
    if not differ:
        return
    names: dict[int, str] = dict(
        db.session.execute(
            select(StaffMember.id, StaffMember.name).where(StaffMember.id.in_(differ))
        ).all()
    )
    changes = [
        MarkChange(names.get(staff_id, "Someone"), seen.get(staff_id), now.get(staff_id), staff_id)
        for staff_id in differ
    ]
    raise StaleRegister(sorted(changes, key=lambda change: (change.name, change.staff_id)))
