"""A session's printable sign-in sheet, as a page and as .xlsx the attendance import reads."""

from programme.views.training import bp  # noqa: F401
