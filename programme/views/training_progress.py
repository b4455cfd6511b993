"""Module-level progress: what each person still needs, and each locality's still-to-book list."""

from programme.views.training import bp  # noqa: F401
