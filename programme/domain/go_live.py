"""Where a locality stands on its way to go-live, in words.

A locality's stored state is "planning" until the board records its go-live decision and "live"
while that decision is in force. The decision approves go-live *on the go-live date*: until that
day the locality reads "Approved — goes live on 11 Jan 2027", from it "Live".
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

from programme.domain.formatting import short_date

# Milestone.stands_for / TimelineTemplateItem.stands_for: the milestone the decision completes.
GO_LIVE_DECISION = "go_live_decision"
STANDS_FOR = (GO_LIVE_DECISION,)

PLANNING, APPROVED, LIVE = "planning", "approved", "live"
PHASE_TAG_CLASSES = {PLANNING: "app-tag--grey", APPROVED: "app-tag--blue", LIVE: "app-tag--green"}


def phase(state: str, go_live: date, today: date) -> str:
    """ "planning", "approved" (decided, go-live date still to come) or "live"."""
    if state != LIVE:
        return PLANNING
    return LIVE if today >= go_live else APPROVED


def phase_label(state: str, go_live: date, today: date) -> str:
    """ "Planning", "Approved — goes live on 11 Jan 2027" or "Live"."""
    current = phase(state, go_live, today)
    if current == APPROVED:
        return f"Approved — goes live on {short_date(go_live)}"
    return current.capitalize()


def evidence_fingerprint(document: dict) -> str:
    """A short digest of the evidence a decision would keep, so a confirmation can tell whether
    the evidence it showed is still the evidence now."""
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


# The minutes note a decision made on a page needs: the meeting and its date, in a few words.
NOTE_MIN_WORDS = 3


def note_problem(note: str | None) -> str | None:
    """Why a minutes note typed on the confirmation page will not do, or None."""
    words = (note or "").split()
    if not words:
        return "Enter the minutes note: the meeting that decided and its date."
    if len(words) < NOTE_MIN_WORDS:
        return (
            f"Write the minutes note in at least {NOTE_MIN_WORDS} words: the meeting that "
            "decided and its date."
        )
    return None
