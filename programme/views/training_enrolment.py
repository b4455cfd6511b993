"""Enrolling people: the picker, over-capacity confirmation, un-enrol and move."""

from programme.views.training import bp  # noqa: F401
