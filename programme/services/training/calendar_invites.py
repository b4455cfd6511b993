"""Telling people of their training sessions by e-mail, each message carrying an .ics
(RFC 5545) their calendar files: an invitation when enrolled, an update when the session moves,
a cancellation when it is cancelled or they are taken off it.

Every function queues its messages in the outbox within the caller's transaction, so a change
that is rolled back tells nobody. Sessions already past are not announced.
"""

from __future__ import annotations

from collections.abc import Sequence

from programme.models import StaffMember, TrainingSession


def invite(session: TrainingSession, people: Sequence[StaffMember]) -> None:
    """People were enrolled: each gets a REQUEST at the session's current SEQUENCE."""


def update(session: TrainingSession, people: Sequence[StaffMember]) -> None:
    """The session moved or changed (its SEQUENCE already raised): a REQUEST to everyone on it."""


def withdraw(session: TrainingSession, people: Sequence[StaffMember]) -> None:
    """People were taken off the session (un-enrolled or moved): each gets a CANCEL."""


def cancel(session: TrainingSession, people: Sequence[StaffMember]) -> None:
    """The session was cancelled: everyone who had a place gets a CANCEL with the reason."""
