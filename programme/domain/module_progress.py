"""Where each person stands on each module of a course: attended, booked (with the day) or
still needed. Plain Python: the completion matrix, the enrolment picker's "still needs this
module" filter and each locality's "still to book" list all read this one rule."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from programme.domain.training import Attended, StaffFacts, is_relevant


class ModuleState(StrEnum):
    ATTENDED = "attended"
    BOOKED = "booked"
    NEEDED = "needed"

    @property
    def label(self) -> str:
        return {"attended": "Attended", "booked": "Booked", "needed": "Still needed"}[self.value]


@dataclass(frozen=True)
class Booking:
    """A place whose attendance is not recorded yet, at a session that is not cancelled. A
    past session without a register still counts: the person went, or the register will say
    they did not."""

    staff_id: int
    module: int  # the module's number
    session_id: int
    on: date


@dataclass(frozen=True)
class ModuleSpot:
    """One module of a course as one person stands on it."""

    number: int
    title: str
    state: ModuleState
    booking: Booking | None = None  # the soonest place, when booked


@dataclass(frozen=True)
class ModuleInfo:
    number: int
    title: str
    required: bool = True


def attended_modules(attended: Iterable[Attended], counted: Iterable[str]) -> set[int]:
    """The module numbers attended with a status that counts (present or late by default)."""
    counts = set(counted)
    return {record.module for record in attended if record.status in counts}


def module_spots(
    modules: Sequence[ModuleInfo],
    attended: Iterable[Attended],
    bookings: Iterable[Booking],
    counted: Iterable[str],
) -> list[ModuleSpot]:
    """One person's modules of one course (their own attendance and bookings only), in module
    order. Optional modules are listed too: the matrix shows them, "still needs" skips them."""
    done = attended_modules(attended, counted)
    soonest: dict[int, Booking] = {}
    for booking in sorted(bookings, key=lambda b: (b.on, b.session_id)):
        soonest.setdefault(booking.module, booking)
    spots = []
    for module in modules:
        if module.number in done:
            spots.append(ModuleSpot(module.number, module.title, ModuleState.ATTENDED))
        elif module.number in soonest:
            booking = soonest[module.number]
            spots.append(ModuleSpot(module.number, module.title, ModuleState.BOOKED, booking))
        else:
            spots.append(ModuleSpot(module.number, module.title, ModuleState.NEEDED))
    return spots


def still_needs(
    person: StaffFacts,
    course_roles: frozenset[int],
    module: int,
    attended: Iterable[Attended],
    bookings: Iterable[Booking],
    counted: Iterable[str],
    as_of: date,
    *,
    except_session: int | None = None,
) -> bool:
    """Whether a person still needs a module: the course is for their role, they are in post on
    `as_of` (leavers do not, starters do from their start date), they have not attended it with a
    status that counts, and they are not booked on a session of it (other than
    `except_session`, the one being filled)."""
    if not is_relevant(person, course_roles, as_of):
        return False
    if module in attended_modules(attended, counted):
        return False
    return not any(
        booking.module == module and booking.session_id != except_session for booking in bookings
    )


@dataclass(frozen=True)
class SeatsOutlook:
    """Whether the sessions scheduled have room for everyone who still needs a module."""

    module: int
    needed: int  # people still needing it (not booked)
    available: int  # free places on sessions of it still to come, before the deadline

    @property
    def shortfall(self) -> int:
        return max(self.needed - self.available, 0)

    @property
    def enough(self) -> bool:
        return self.shortfall == 0
