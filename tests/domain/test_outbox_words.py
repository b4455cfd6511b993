"""The outbox in words: every status and kind has a label and every status a tag; a digest's
week as people type it."""

import pytest

from programme.domain.outbox import KIND_LABELS, STATUS_LABELS, STATUS_TAGS
from programme.domain.weeks import parse_iso_week
from programme.models.mail import MESSAGE_KINDS, OUTBOX_STATUSES


def test_every_status_and_kind_has_words():
    assert set(STATUS_LABELS) == set(STATUS_TAGS) == set(OUTBOX_STATUSES)
    assert set(KIND_LABELS) == set(MESSAGE_KINDS)


@pytest.mark.parametrize(
    ("typed", "week"),
    [
        ("2026-W49", "2026-W49"),
        (" 2026-w49 ", "2026-W49"),
        ("2026W49", "2026-W49"),
        ("2026-W1", "2026-W01"),
        ("2026-W53", "2026-W53"),  # 2026 has 53 weeks
        ("2025-W53", None),  # 2025 has 52
        ("2026-W00", None),
        ("2026-W54", None),
        ("2026-49", None),
        ("W49", None),
        ("", None),
    ],
)
def test_iso_week(typed, week):
    assert parse_iso_week(typed) == week
