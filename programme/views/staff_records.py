"""A page per person: their team, role, post, dates and training history, and its edits."""

from programme.views.training import bp  # noqa: F401
