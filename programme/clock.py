"""Today's date in the programme's time zone (TIMEZONE), so midnight falls where users live."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def today() -> date:
    # Tests pin the date with the TODAY setting; nothing else sets it.
    pinned = current_app.config.get("TODAY")
    if pinned is not None:
        return pinned
    return datetime.now(ZoneInfo(current_app.config["TIMEZONE"])).date()
