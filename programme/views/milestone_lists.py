"""The two pages that list milestones with filters and bulk changes, and finding the way back.

The locality page and the programme-wide milestones page share one partial
(templates/milestones/_list.html) and one builder (services.milestone_lists). A row or bulk
change posts the page it came from (path and query string) in `next`: success redirects there,
and a refusal re-renders that same page (409/400) with the message on the row or at the top.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from flask import current_app, get_template_attribute, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from programme.auth import can, can_edit_milestone
from programme.clock import today
from programme.domain.milestone_filters import FILTER_NAMES, RAGS, SORTS, status_choices
from programme.services import localities, programmes
from programme.services.exports.milestone_tables import milestone_list_table
from programme.services.milestone_lists import listed_row, milestone_listing
from programme.services.readiness import evaluation
from programme.services.supervision import flagged_teams
from programme.views.common import or_404, owner_choices
from programme.views.downloads import requested_format, send_table

LIST_PAGES = ("milestones.programme_list", "localities.show")
# Every filter off; the sort order stays.
_NO_FILTERS = {
    "status": None,
    "owner": None,
    "rag": None,
    "workstream": None,
    "gate_critical": False,
    "overdue": False,
    "due_before": None,
    "locality": None,
}


@dataclass(frozen=True)
class Problem:
    """One line of the error summary, linking to what to correct (`href`, e.g. "#bulk-days")."""

    message: str
    href: str | None = None


@dataclass
class Problems:
    """What to show after a refused change: on a row (by milestone id) and at the top."""

    rows: dict[int, str] = field(default_factory=dict)
    summary: list[Problem] = field(default_factory=list)
    selected: set[int] = field(default_factory=set)

    @classmethod
    def on_row(cls, milestone_id: int, message: str) -> Problems:
        """A refused change to one row: said on the row and, linking to it, at the top (a page
        shown again with 409/400 opens at the top, not at the row)."""
        return cls(
            rows={milestone_id: message}, summary=[Problem(message, f"#milestone-{milestone_id}")]
        )


@dataclass(frozen=True)
class Back:
    """The list page a change came from."""

    endpoint: str
    view_args: dict
    args: dict

    @property
    def url(self) -> str:
        return url_for(self.endpoint, **self.view_args, **self.args)


def _named_page(next_url: str | None) -> Back | None:
    """The list page `next` names (only one of ours, only its filter arguments), or None."""
    target = urlsplit(next_url or "")
    if not target.path.startswith("/") or target.netloc or target.scheme:
        return None
    try:
        endpoint, view_args = current_app.url_map.bind("localhost").match(target.path, method="GET")
    except (HTTPException, RequestRedirect):
        return None
    if endpoint not in LIST_PAGES:
        return None
    # Only the filters and sort carry over: anything else in the query string (a tampered
    # `programme_slug` or `_anchor`) would clash with the page's own arguments in url_for.
    args = {name: value for name, value in parse_qsl(target.query) if name in FILTER_NAMES}
    return Back(endpoint, view_args, args)


def _holds(back: Back, milestone) -> bool:
    """Whether the list page `back` shows `milestone` (filters aside)."""
    if back.view_args.get("programme_slug") != milestone.workstream.programme.slug:
        return False
    if back.endpoint == "localities.show":
        return milestone.locality is None or milestone.locality.slug == back.view_args["slug"]
    return True


def back_to(next_url: str | None, programme_slug: str) -> Back:
    """Where a bulk change of programme `programme_slug` returns: the list page `next` names if
    it is one of this programme's lists, else the programme's milestones page."""
    back = _named_page(next_url)
    if back is not None and back.view_args.get("programme_slug") == programme_slug:
        return back
    return Back("milestones.programme_list", {"programme_slug": programme_slug}, {})


def back_to_row(next_url: str | None, milestone) -> Back:
    """Where a change to one row returns: the list page `next` names if that page holds the
    row, else the programme's milestones page (which holds every row of the programme)."""
    back = _named_page(next_url)
    if back is not None and _holds(back, milestone):
        return back
    return back_to(None, milestone.workstream.programme.slug)


def _list_context(programme, locality, args, problems: Problems | None) -> dict:
    listing = milestone_listing(
        programme, args, today=today(), user=current_user, locality=locality
    )
    if locality is not None:
        endpoint = "localities.show"
        view_args = {"programme_slug": programme.slug, "slug": locality.slug}
    else:
        endpoint, view_args = "milestones.programme_list", {"programme_slug": programme.slug}
    filters = listing.filters
    return {
        "here": url_for(endpoint, **view_args, **filters.query_args()),
        "list_path": url_for(endpoint, **view_args),
        "clear_url": url_for(endpoint, **view_args, **filters.query_args(**_NO_FILTERS)),
        "listing": listing,
        "problems": problems or Problems(),
        "status_choices": status_choices(),
        "rag_choices": list(RAGS.items()),
        "sort_choices": list(SORTS.items()),
        "people": owner_choices(),
        "show_locality": locality is None,
    }


def _download(programme, locality, args, fmt: str):
    """The list as the page shows it under the same filters, as .xlsx or .csv."""
    listing = milestone_listing(
        programme, args, today=today(), user=current_user, locality=locality
    )
    where = locality or programme
    return send_table(
        milestone_list_table(listing, programme_name=programme.name),
        f"{where.slug}-milestones",
        fmt,
        programme_name=programme.name,
        name=f"{where.name} milestones",
    )


def render_programme_list(programme, args, problems: Problems | None = None, status: int = 200):
    if fmt := requested_format():
        return _download(programme, None, args, fmt)
    return render_template(
        "milestones/programme_list.html",
        programme=programme,
        **_list_context(programme, None, args, problems),
    ), status


def render_locality_page(locality, args, problems: Problems | None = None, status: int = 200):
    if fmt := requested_format():
        return _download(locality.programme, locality, args, fmt)
    context = _list_context(locality.programme, locality, args, problems)
    return render_template(
        "localities/show.html",
        locality=locality,
        programme=locality.programme,
        milestone_count=context["listing"].total,
        gate=None if locality.state == "live" else evaluation.evaluate_locality(locality, today()),
        supervision_flags=flagged_teams(locality, today()),
        today=today(),
        **context,
    ), status


def render_back(back: Back, problems: Problems, status: int):
    """Show the list page a refused change came from again, with what went wrong."""
    if back.endpoint == "localities.show":
        slugs = back.view_args
        locality = or_404(lambda: localities.get_locality(slugs["programme_slug"], slugs["slug"]))
        return render_locality_page(locality, back.args, problems, status)
    programme = or_404(lambda: programmes.get_programme(back.view_args["programme_slug"]))
    return render_programme_list(programme, back.args, problems, status)


def row_html(milestone_id: int, back: Back, message: str | None = None) -> str:
    """One row as the list shows it, for the page's script to put in place of the old one."""
    row = listed_row(milestone_id, today())
    macro = get_template_attribute("milestones/_row.html", "milestone_row")
    return str(
        macro(
            row,
            here=back.url,
            show_locality=back.endpoint == "milestones.programme_list",
            flat=back.args.get("sort") in ("due", "due-desc"),
            message=message,
            status_choices=status_choices(),
            selected=False,
            editable=can_edit_milestone(current_user, row.milestone),
            bulkable=can(current_user, "edit_milestones"),
        )
    )


def wants_json() -> bool:
    accept = request.accept_mimetypes
    return (
        request.headers.get("X-Requested-With") == "XMLHttpRequest"
        or accept.best_match(["text/html", "application/json"]) == "application/json"
    )
