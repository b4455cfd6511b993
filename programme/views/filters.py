"""Template filters and globals: formatting only, no computation of figures."""

from datetime import date, datetime

from flask import Flask

from programme.clock import today, zone
from programme.domain import formatting, go_live
from programme.domain.hr_trackers import FIELDS as RECRUITMENT_FIELDS
from programme.domain.imports import IMPORT_STATE_LABELS
from programme.domain.permissions import role_label
from programme.domain.recruitment import PostStatus
from programme.domain.training import REGISTER_WORDS, register_state
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
    "organisation_id": "Employing organisation",
}
RAG_LABELS = {"red": "Overdue or blocked", "amber": "Due soon", "green": "On track"}
# The formatting functions that need no time zone, registered under their own names.
ZONELESS_FORMATS = (
    "percent",
    "share_text",
    "count_of",
    "count",
    "number",
    "money",
    "fte",
    "file_size",
    "relative_days",
    "clock_time",
    "person",
    "provenance",
)


def register(app: Flask) -> None:
    """Every formatting function of `programme.domain.formatting` as a filter of the same name
    (`local_time` is `date_time`), with dates and moments in the programme's time zone."""
    for name in ZONELESS_FORMATS:
        app.add_template_filter(getattr(formatting, name), name)
    app.add_template_filter(role_label, "role_label")

    @app.template_filter("long_date")
    def long_date(value: date | datetime | None, missing: str = formatting.NOT_SET) -> str:
        return formatting.long_date(value, zone(), missing)

    @app.template_filter("short_date")
    def short_date(value: date | datetime | None, missing: str = formatting.DASH) -> str:
        return formatting.short_date(value, zone(), missing)

    @app.template_filter("local_time")
    def local_time(value: datetime | None) -> str:
        return formatting.date_time(value, zone())

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

    @app.template_filter("import_state_label")
    def import_state_label(state: str) -> str:
        return IMPORT_STATE_LABELS[state]

    @app.template_filter("import_field_label")
    def import_field_label(name: str) -> str:
        return IMPORT_FIELD_LABELS.get(name, name)

    @app.template_filter("register_state")
    def session_register_state(session, today: date) -> str:
        return register_state(session.on, bool(session.register_saved_at), today)

    @app.template_filter("register_word")
    def register_word(state: str) -> str:
        return REGISTER_WORDS[state]

    @app.template_filter("rag_label")
    def rag_label(value: str) -> str:
        return RAG_LABELS[value]

    @app.template_filter("locality_phase")
    def locality_phase(locality) -> str:
        """ "Planning", "Approved — goes live on 11 Jan 2027" or "Live"."""
        return go_live.phase_label(locality.state, locality.go_live, today())

    @app.template_filter("locality_phase_tag")
    def locality_phase_tag(locality) -> str:
        return go_live.PHASE_TAG_CLASSES[go_live.phase(locality.state, locality.go_live, today())]
