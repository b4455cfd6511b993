"""The one clock: every date and time the app takes comes from here.

`today()` and `now()` are in the programme's time zone (TIMEZONE), so midnight falls where users
live. Tests pin them through the `TODAY` setting (a date; the time of day still runs, so records
made one after another keep their order) or `NOW` (an exact aware datetime). A test guard fails if
`datetime.now`, `date.today` or `utcnow` is called anywhere else.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Europe/London"


def _setting(name: str):
    return current_app.config.get(name) if has_app_context() else None


def zone() -> ZoneInfo:
    name = _setting("TIMEZONE") or os.environ.get("TIMEZONE") or DEFAULT_TIMEZONE
    return ZoneInfo(name)


def now() -> datetime:
    """The current moment, aware, in the programme's time zone."""
    pinned_moment = _setting("NOW")
    if pinned_moment is not None:
        return pinned_moment.astimezone(zone())
    moment = datetime.now(zone())
    pinned_day = _setting("TODAY")
    if pinned_day is not None:
        return moment.replace(year=pinned_day.year, month=pinned_day.month, day=pinned_day.day)
    return moment


def today() -> date:
    """Today's date in the programme's time zone."""
    pinned_day = _setting("TODAY")
    if pinned_day is not None and _setting("NOW") is None:
        return pinned_day
    return now().date()


def utc_now() -> datetime:
    """The current moment in UTC: the column default for recorded timestamps."""
    return now().astimezone(UTC)


def sleep(seconds: float) -> None:
    """Wait `seconds` (a sign-in slowed down). Tests replace the waiting through the `SLEEP`
    setting (a function given the seconds), so they can record the delay without waiting."""
    sleeper = _setting("SLEEP")
    if sleeper is not None:
        sleeper(seconds)
    else:
        time.sleep(seconds)
