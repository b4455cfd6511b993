"""Template filters and globals: formatting only, no computation of figures."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import Flask

from programme.domain.recruitment import PostStatus
from programme.domain.recruitment_import import FIELDS as RECRUITMENT_FIELDS
from programme.models import MilestoneStatus

STATUS_TAG_CLASSES = {
    "not_started": "app-tag--grey",
    "in_progress": "app-tag--blue",
    "done": "app-tag--green",
    "blocked": "app-tag--red",
}
POST_STATUS_TAG_CLASSES = {
    PostStatus.VACANT: "app-tag--red",
    PostStatus.ADVERTISED: "app-tag--yellow",
    PostStatus.SHORTLISTED: "app-tag--yellow",
    PostStatus.INTERVIEWED: "app-tag--yellow",
    PostStatus.OFFERED: "app-tag--blue",
    PostStatus.PRE_EMPLOYMENT_CHECKS: "app-tag--blue",
    PostStatus.APPOINTED: "app-tag--green",
    PostStatus.IN_POST: "app-tag--green",
    PostStatus.WITHDRAWN: "app-tag--grey",
    PostStatus.ON_HOLD: "app-tag--grey",
}
IMPORT_FIELD_LABELS = {
    **{name: spec.label for name, spec in RECRUITMENT_FIELDS.items()},
    "team_id": "Team",
    "role_id": "Role",
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

    @app.template_filter("post_status_label")
    def post_status_label(value: str) -> str:
        return PostStatus(value).label

    @app.template_filter("post_status_tag")
    def post_status_tag(value: str) -> str:
        return POST_STATUS_TAG_CLASSES.get(PostStatus(value), "app-tag--grey")

    @app.template_filter("money")
    def money(pence: int | None) -> str:
        """£6,000 for whole pounds, £428.57 otherwise; a dash for nothing to show."""
        if pence is None:
            return "—"
        pounds, rest = divmod(pence, 100)
        return f"£{pounds:,}.{rest:02d}" if rest else f"£{pounds:,}"

    @app.template_filter("fte")
    def fte(value: float) -> str:
        return f"{value:g}"

    @app.template_filter("import_field_label")
    def import_field_label(name: str) -> str:
        return IMPORT_FIELD_LABELS.get(name, name)

    @app.template_filter("rag_label")
    def rag_label(value: str) -> str:
        return RAG_LABELS[value]
