"""The header: which programme a page belongs to, its areas, and which of them is current.

A page belongs to a programme when its URL names one (`programme_slug`, or `slug` on the
programme's own pages) or when it renders one as `programme`. The header then names it and links
its areas; the area holding the page is marked for screen readers with `aria-current`: "page" on
the area's own page, "true" on a page inside the area (as GOV.UK's service navigation does).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_login import current_user

from programme.auth import is_member_here
from programme.url_programme import programme_in_url, slug_in_url


@dataclass(frozen=True)
class Area:
    label: str
    endpoint: str  # the area's own page, which takes the programme as `programme_slug`
    blueprints: frozenset[str]  # the blueprints whose pages belong to the area
    slug_arg: str = "programme_slug"  # how the area's page takes the programme's slug


# In the header's order. Pages of a blueprint listed nowhere belong to the programme but mark no
# area.
PROGRAMME_AREAS = (
    Area(
        "Overview",
        "programmes.overview",
        frozenset(
            {"programmes", "localities", "workstreams", "templates", "exports", "programme_audit"}
        ),
        slug_arg="slug",
    ),
    Area("Milestones", "milestones.programme_list", frozenset({"milestones"})),
    Area(
        "Recruitment",
        "recruitment.overview",
        frozenset({"recruitment", "roles", "organisations"}),
    ),
    Area("Training", "training.overview", frozenset({"training"})),
    Area("Readiness", "readiness.board", frozenset({"readiness", "board_packs"})),
    Area("Finance", "finance.overview", frozenset({"finance", "partners", "business_case"})),
    Area("Outcomes", "outcomes.overview", frozenset({"outcomes", "supervision"})),
    Area("Imports", "imports.index", frozenset({"imports"})),
)
# Admin belongs to no programme: its users, its outbox, the security log and data protection.
ADMIN_BLUEPRINTS = frozenset({"admin", "outbox", "security_log", "data_protection"})


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    current: str | None  # the aria-current value: "page", "true" or None


@dataclass(frozen=True)
class ProgrammeHeader:
    name: str
    href: str
    links: tuple[Link, ...]


def _current(endpoint: str, blueprints: frozenset[str]) -> str | None:
    if request.endpoint == endpoint:
        return "page"
    if request.blueprint in blueprints:
        return "true"
    return None


def _programme(shown) -> object | None:
    """The page's programme: the one the template shows when the URL names none or the same
    one (no query), otherwise the one the URL names (loaded once per request, shared with
    `requires`)."""
    slug = slug_in_url()
    if shown is not None and (slug is None or getattr(shown, "slug", None) == slug):
        return shown
    if slug is None:
        return None
    if not is_member_here(current_user):  # its 404 page must not name it
        return None
    return programme_in_url()


def programme_header(shown=None) -> ProgrammeHeader | None:
    """The header's programme bar for this page, or None when the page belongs to no programme."""
    programme = _programme(shown)
    if programme is None:
        return None
    links = tuple(
        Link(
            area.label,
            url_for(area.endpoint, **{area.slug_arg: programme.slug}),
            _current(area.endpoint, area.blueprints),
        )
        for area in PROGRAMME_AREAS
    )
    return ProgrammeHeader(
        programme.name, url_for("programmes.overview", slug=programme.slug), links
    )


def current_link(endpoint: str, blueprints: frozenset[str] = frozenset()) -> str | None:
    """The aria-current value for a header link outside the programme bar."""
    return _current(endpoint, blueprints)


def register(app: Flask) -> None:
    @app.context_processor
    def header_helpers():
        return {
            "programme_header": programme_header,
            "current_link": current_link,
            "admin_blueprints": ADMIN_BLUEPRINTS,
        }
