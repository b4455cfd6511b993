"""The programme workbook: one .xlsx of the programme as of a day, its sheets built from the
services the pages use (the readiness board, the milestones, the posts in the recruitment
import's columns, training completion, sessions, go-live decisions, the business case's money,
the partners' pledges and the outcome indicators). Board packs freeze it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from programme import clock
from programme.collector import collector_paused
from programme.domain.export_tables import Sheet, WorkbookInfo
from programme.domain.formatting import long_date
from programme.models import Programme
from programme.services import facts, programmes
from programme.services.exports.decision_sheet import decision_sheet
from programme.services.exports.finance_sheet import finance_sheet
from programme.services.exports.milestone_sheet import milestone_sheet, programme_milestones
from programme.services.exports.outcomes_sheet import outcomes_sheet
from programme.services.exports.pledge_sheet import pledge_sheet
from programme.services.exports.recruitment_sheet import recruitment_sheet
from programme.services.exports.session_sheet import session_sheet
from programme.services.exports.summary_sheet import summary_sheet
from programme.services.exports.training_sheet import training_sheet
from programme.services.readiness.board import board

CREATOR = "Family Safeguarding programme tracker"
SHEET_NAMES = (
    "Summary",
    "Milestones",
    "Recruitment",
    "Training",
    "Sessions",
    "Decisions",
    "Finance",
    "Partner pledges",
    "Outcomes",
)


@collector_paused()
def programme_sheets(programme: Programme, as_of: date) -> list[Sheet]:
    """The sheets in order, as of a day, in a fixed number of queries however many localities,
    posts, people, sessions, budget lines, spend, scenarios or pledges. The programme's
    attendance is read once, for the Summary's readiness and the Training sheet alike."""
    places = facts.places_of(programme)
    view = board(programme, as_of, places)
    localities = [row.locality for row in view.rows]
    milestones = programme_milestones(programme)
    tables = (
        summary_sheet(view, programmes.milestone_counts(programme, as_of)),
        milestone_sheet(localities, milestones, as_of),
        recruitment_sheet(programme, localities),
        training_sheet(programme, localities, as_of, places.attended),
        session_sheet(programme),
        decision_sheet(localities),
        finance_sheet(programme, as_of),
        pledge_sheet(programme, as_of),
        outcomes_sheet(programme, localities, as_of),
    )
    return [Sheet(name, table) for name, table in zip(SHEET_NAMES, tables, strict=True)]


def workbook_info(programme: Programme, title: str, as_of: date) -> WorkbookInfo:
    return WorkbookInfo(
        title=title,
        creator=CREATOR,
        created=clock.utc_now(),
        footer_date=long_date(as_of),
        zone=clock.zone(),
    )


def workbook_title(programme: Programme) -> str:
    return f"{programme.name}: programme workbook"


@collector_paused()  # once for both: resumed between them, it would go over every row built
def programme_workbook(programme: Programme, as_of: date) -> bytes:
    return sheets_workbook(programme, programme_sheets(programme, as_of), as_of)


@collector_paused()
def sheets_workbook(programme: Programme, sheets: Sequence[Sheet], as_of: date) -> bytes:
    """The programme workbook of sheets already built (the command line counts their rows)."""
    from programme.domain.xlsx_export import workbook_bytes  # openpyxl: not at start-up

    return workbook_bytes(workbook_info(programme, workbook_title(programme), as_of), sheets)


def row_counts(sheets: Sequence[Sheet]) -> dict[str, int]:
    """Each sheet's rows under its header (a total or % row counts as one)."""
    return {sheet.title: len(list(sheet.table.rows)) for sheet in sheets}


def workbook_filename(programme: Programme, as_of: date) -> str:
    """ "somerset-programme-2026-12-02.xlsx" """
    return f"{programme.slug}-programme-{as_of.isoformat()}.xlsx"
