"""Where a locality stands on its way to go-live, in words.

A locality's stored state is "planning" until the board records its go-live decision and "live"
while that decision is in force. The decision approves go-live *on the go-live date*: until that
day the locality reads "Approved — goes live on 11 Jan 2027", from it "Live".
"""

from __future__ import annotations

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
