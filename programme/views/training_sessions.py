"""Changing a session: edit, reschedule, cancel (owned by the session-lifecycle work)."""

from programme.views.training import bp  # noqa: F401
