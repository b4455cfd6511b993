"""Cron expressions as administrators write them, for APScheduler.

Standard cron counts the day of the week from Sunday (0 or 7 = Sunday, 1 = Monday); APScheduler 3
counts from Monday (0 = Monday), so `0 8 * * 1` would fire on Tuesdays. Numeric days are turned
into day names, which both read the same way.
"""

from __future__ import annotations

import re

DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
_NUMERIC_PART = re.compile(r"^(\*|\d+)(?:-(\d+))?(?:/(\d+))?$")


class CronError(ValueError):
    """An expression that is not five cron fields."""


def _days(part: str) -> str:
    """One comma-separated part of the day-of-week field, numbers as names ('1-5' -> 'mon,…')."""
    match = _NUMERIC_PART.match(part)
    if match is None or (part == "*"):
        return part  # names, or every day: the same in both
    first, last, step = match.groups()
    if first == "*":
        start, end = 0, 6
    else:
        start = int(first)
        end = int(last) if last is not None else (6 if step else start)
    if not (0 <= start <= 7 and 0 <= end <= 7) or start > end:
        raise CronError(f"day of the week {part!r} is not in 0-7 (0 and 7 are Sunday)")
    days = range(start, end + 1, int(step) if step else 1)
    names = dict.fromkeys(DAY_NAMES[day] for day in days)  # 0 and 7 both Sunday, once
    return ",".join(names)


def standard_crontab(expression: str) -> str:
    """`expression` with its day-of-week field in names, as APScheduler reads standard cron."""
    fields = expression.split()
    if len(fields) != 5:
        raise CronError(f"{expression!r} must have five fields (minute hour day month weekday)")
    fields[4] = ",".join(_days(part) for part in fields[4].split(","))
    return " ".join(fields)
