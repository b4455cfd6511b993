from datetime import date

import pytest

from programme.domain.partner_pledges import (
    BEHIND,
    DELIVERED,
    ON_TRACK,
    overall_status,
    pledge_status,
)

TODAY = date(2026, 11, 30)  # in 2026/27


@pytest.mark.parametrize(
    ("year", "pledged", "received", "posts", "filled", "status"),
    [
        (2025, 85_000_00, 85_000_00, None, 0, DELIVERED),
        (2025, 85_000_00, 90_000_00, 2, 2, DELIVERED),
        (2025, None, 0, 2, 3, DELIVERED),
        (2025, 85_000_00, 40_000_00, None, 0, BEHIND),  # 2025/26 has ended short
        (2026, 85_000_00, 40_000_00, None, 0, ON_TRACK),  # 2026/27 is still running
        (2026, None, 0, 2, 1, BEHIND),  # the year has begun without its posts filled
        (2027, None, 0, 2, 0, ON_TRACK),  # the year is still to come
        (2027, 10_000_00, 0, None, 0, ON_TRACK),
        (2025, 0, 0, 0, 0, DELIVERED),
    ],
)
def test_pledge_status(year, pledged, received, posts, filled, status):
    assert pledge_status(year, pledged, received, posts, filled, TODAY) == status


def test_the_last_day_of_a_year_is_still_within_it():
    assert pledge_status(2025, 100, 0, None, 0, date(2026, 3, 31)) == ON_TRACK
    assert pledge_status(2025, 100, 0, None, 0, date(2026, 4, 1)) == BEHIND


def test_overall_status():
    assert overall_status([]) is None
    assert overall_status([DELIVERED, DELIVERED]) == DELIVERED
    assert overall_status([DELIVERED, ON_TRACK]) == ON_TRACK
    assert overall_status([ON_TRACK, BEHIND, DELIVERED]) == BEHIND
