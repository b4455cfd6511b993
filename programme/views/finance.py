"""The business case's money: budget against actual against forecast per year and category, the
budget lines and the spend recorded against each. Changing them is in `finance_changes.py`."""

from flask import Blueprint, render_template, url_for

from programme.auth import requires
from programme.clock import today
from programme.domain.finance_terms import category_label
from programme.domain.financial_years import financial_year_of, quarter_label, year_label
from programme.services import programmes
from programme.services.finance import budget_lines, spend
from programme.services.finance.overview import finance_summary, spent_by_line
from programme.views.common import or_404

bp = Blueprint("finance", __name__, url_prefix="/programmes/<programme_slug>/finance")


def _programme(programme_slug: str):
    return or_404(lambda: programmes.get_programme(programme_slug))


def _line(programme, line_id: int):
    return or_404(lambda: budget_lines.get_line(programme, line_id))


def overview_url(programme) -> str:
    return url_for("finance.overview", programme_slug=programme.slug)


def line_url(programme, line) -> str:
    return url_for("finance.line", programme_slug=programme.slug, line_id=line.id)


@bp.route("")
@requires("view")
def overview(programme_slug: str):
    programme = _programme(programme_slug)
    return render_template(
        "finance/overview.html",
        programme=programme,
        summary=finance_summary(programme, today()),
        current_year=year_label(financial_year_of(today())),
    )


@bp.route("/budget-lines")
@requires("view")
def lines(programme_slug: str):
    programme = _programme(programme_slug)
    return render_template(
        "finance/lines.html",
        programme=programme,
        lines=budget_lines.lines_of(programme),
        spent=spent_by_line(programme),
        category_label=category_label,
        year_label=year_label,
    )


@bp.route("/budget-lines/<int:line_id>")
@requires("view")
def line(programme_slug: str, line_id: int):
    programme = _programme(programme_slug)
    found = _line(programme, line_id)
    entries = spend.spend_of(found)
    return render_template(
        "finance/line.html",
        programme=programme,
        line=found,
        name=budget_lines.line_name(found),
        entries=entries,
        spent=sum(entry.amount_pence for entry in entries),
        quarter_label=quarter_label,
        category_label=category_label,
        year_label=year_label,
    )


# The pages that change budget lines and spend attach their routes to this blueprint.
from programme.views import finance_changes  # noqa: E402, F401
