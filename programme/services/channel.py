"""Through which channel the current work is being done: the web pages ("web"), the command
line ("cli"), the JSON API ("json") or the scheduler ("scheduler"). The audit trail and the
security log record it, so "command line, acting as X" is told apart from X's own click.

A context variable, so it follows the work: each request, command or job sets its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

CHANNELS = ("web", "cli", "json", "scheduler")

_current: ContextVar[str] = ContextVar("channel", default="web")


def current_channel() -> str:
    return _current.get()


@contextmanager
def acting_through(channel: str) -> Iterator[None]:
    """Do the work inside the block as coming through `channel`."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    token = _current.set(channel)
    try:
        yield
    finally:
        _current.reset(token)


def enter(channel: str) -> Token[str]:
    """Start work coming through `channel` where a `with` block cannot hold it (a request's
    hooks); `leave` with the token this returns."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    return _current.set(channel)


def leave(token: Token[str]) -> None:
    try:
        _current.reset(token)
    except ValueError:  # set in another context: that context ends with it
        _current.set("web")
