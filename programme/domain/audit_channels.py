"""Who made a change, in the words the audit trail shows: a person's own click on a page reads
as their name, the same change made through the command line reads "command line, acting as"
them, through the JSON API "API, " them, and the scheduler's work "scheduled job"."""

from __future__ import annotations

# The channel filter's choices, in the order it offers them.
CHANNEL_LABELS: dict[str, str] = {
    "web": "Web pages",
    "cli": "Command line",
    "json": "API",
    "scheduler": "Scheduled job",
}

SYSTEM_NAME = "System"


def channel_label(channel: str) -> str:
    return CHANNEL_LABELS.get(channel, channel)


def who_did_it(channel: str | None, actor_name: str | None) -> str:
    """ "Ada Lovelace"; "command line, acting as Ada Lovelace"; "command line"; "API, Ada
    Lovelace"; "scheduled job"; "System" for a change nobody made by hand on a page."""
    if channel == "cli":
        return f"command line, acting as {actor_name}" if actor_name else "command line"
    if channel == "json":
        return f"API, {actor_name}" if actor_name else "API"
    if channel == "scheduler":
        return "scheduled job"
    return actor_name or SYSTEM_NAME
