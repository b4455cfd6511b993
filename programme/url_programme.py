"""Which programme the request's URL belongs to, found once per request.

A URL names a programme by `programme_slug`, or by `slug` on the programme's own pages
(`programmes.overview`); a milestone's pages (`/milestones/<id>/...`) belong to the milestone's
programme. `programme.auth.requires` judges access by it and the header
(`programme/views/navigation.py`) names it: both read it from here, so it costs one query.
"""

from __future__ import annotations

from flask import g, has_request_context, request
from sqlalchemy import select

from programme.extensions import db
from programme.models import Milestone, Programme, Workstream


def url_key() -> tuple:
    """What identifies the URL's programme: kept answers are for this key only (an app context,
    and so `g`, may outlive one request, as in tests that hold one)."""
    return request.blueprint, tuple(sorted((request.view_args or {}).items()))


def slug_in_url() -> str | None:
    """The programme slug the URL names, if it names one."""
    args = request.view_args or {}
    if "programme_slug" in args:
        return args["programme_slug"]
    if request.blueprint == "programmes":
        return args.get("slug")
    return None


def names_a_programme() -> bool:
    """Whether the URL belongs to a programme (even one that does not exist)."""
    if not has_request_context():
        return False
    args = request.view_args or {}
    return slug_in_url() is not None or (
        request.blueprint == "milestones" and "milestone_id" in args
    )


def programme_in_url() -> Programme | None:
    """The programme the URL belongs to, or None when it names none or one that does not exist."""
    if not has_request_context():
        return None
    key = url_key()
    kept = g.get("url_programme")
    if kept is None or kept[0] != key:
        kept = g.url_programme = (key, _look_up())
    return kept[1]


def _look_up() -> Programme | None:
    slug = slug_in_url()
    if slug is not None:
        return db.session.scalar(select(Programme).where(Programme.slug == slug))
    args = request.view_args or {}
    if request.blueprint == "milestones" and "milestone_id" in args:
        return db.session.scalar(
            select(Programme)
            .join(Workstream, Workstream.programme_id == Programme.id)
            .join(Milestone, Milestone.workstream_id == Workstream.id)
            .where(Milestone.id == args["milestone_id"])
        )
    return None
