"""Cron day numbers as standard cron reads them (0 and 7 Sunday), whatever APScheduler counts."""

import pytest

from programme.domain.cron import CronError, standard_crontab


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("0 8 * * mon", "0 8 * * mon"),
        ("0 8 * * *", "0 8 * * *"),
        ("0 8 * * 1", "0 8 * * mon"),
        ("0 8 * * 0", "0 8 * * sun"),
        ("0 8 * * 7", "0 8 * * sun"),
        ("0 8 * * 1-5", "0 8 * * mon,tue,wed,thu,fri"),
        ("0 8 * * 0,6", "0 8 * * sun,sat"),
        ("0 8 * * */2", "0 8 * * sun,tue,thu,sat"),
        ("0 8 * * 1-7/3", "0 8 * * mon,thu,sun"),
        ("*/5 * * * *", "*/5 * * * *"),
        ("30 0 * * mon-fri", "30 0 * * mon-fri"),
    ],
)
def test_day_numbers_become_names(written, read):
    assert standard_crontab(written) == read


@pytest.mark.parametrize("bad", ["0 8 * *", "0 8 * * 8", "0 8 * * 5-1", "0 8 * * mon extra"])
def test_a_malformed_expression_is_refused(bad):
    with pytest.raises(CronError):
        standard_crontab(bad)
