"""Template filters and globals: formatting only, no computation of figures."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import Flask

from programme.models import MilestoneStatus

STATUS_TAG_CLASSES = {
    "not_started": "app-tag--grey",
    "in_progress": "app-tag--blue",
    "done": "app-tag--green",
    "blocked": "app-tag--red",
}
RAG_LABELS = {"red": "Overdue or blocked", "amber": "Due soon", "green": "On track"}


def register(app: Flask) -> None:
    zone = ZoneInfo(app.config["TIMEZONE"])

    @app.template_filter("long_date")
    def long_date(value: date | None) -> str:
        return f"{value.day} {value:%B %Y}" if value else "Not set"

    @app.template_filter("short_date")
    def short_date(value: date | None) -> str:
        return f"{value.day} {value:%b %Y}" if value else "—"

    @app.template_filter("local_time")
    def local_time(value: datetime | None) -> str:
        if value is None:
            return ""
        if value.tzinfo is None:  # SQLite hands back naive UTC
            value = value.replace(tzinfo=UTC)
        local = value.astimezone(zone)
        return f"{local.day} {local:%b %Y, %H:%M}"

    @app.template_filter("status_label")
    def status_label(value: str) -> str:
        return MilestoneStatus(value).label

    @app.template_filter("status_tag")
    def status_tag(value: str) -> str:
        return STATUS_TAG_CLASSES.get(value, "app-tag--grey")

    @app.template_filter("rag_label")
    def rag_label(value: str) -> str:
        return RAG_LABELS[value]
