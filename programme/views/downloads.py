"""A table page's two downloads, .xlsx and .csv, of exactly what the page shows.

A page offers them on its own URL with `?download=xlsx` or `?download=csv` added to its query
string, so the filters the page was opened with apply to the file, and the page's own
permission guards the download. The view builds the same view model it renders, turns it into a
`Table` (programme/services/exports/), and hands it to `send_table` instead of rendering.
"""

from __future__ import annotations

from flask import Response, request

from programme import clock
from programme.domain.csv_export import table_csv
from programme.domain.export_tables import Sheet, Table, WorkbookInfo
from programme.domain.formatting import long_date
from programme.services.exports.workbook import CREATOR

FORMATS = ("xlsx", "csv")
MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def requested_format(table: str | None = None) -> str | None:
    """The format asked for with `?download=`, or None when the page itself is wanted. A page
    offering more than one table names each with `?table=`; `table` is the one to look for."""
    wanted = request.args.get("download")
    if wanted not in FORMATS:
        return None
    if table is not None and request.args.get("table") != table:
        return None
    return wanted


def download_name(stem: str, fmt: str) -> str:
    """`somerset-north-milestones-2026-12-02.xlsx`: the table and the day it was taken."""
    return f"{stem}-{clock.today().isoformat()}.{fmt}"


def table_bytes(table: Table, name: str, fmt: str, programme_name: str | None = None) -> bytes:
    from programme.domain.xlsx_export import workbook_bytes  # openpyxl: not at start-up

    if fmt == "csv":
        return table_csv(table, clock.zone())
    info = WorkbookInfo(
        title=f"{programme_name}: {name}" if programme_name else name,
        creator=CREATOR,
        created=clock.utc_now(),
        footer_date=long_date(clock.today()),
        zone=clock.zone(),
    )
    # The sheet's tab is the table's own name ("Bridgwater milestones"); the programme's is in
    # the document's title and footer.
    return workbook_bytes(info, [Sheet(name, table)])


def send_table(
    table: Table,
    stem: str,
    fmt: str,
    *,
    name: str | None = None,
    programme_name: str | None = None,
) -> Response:
    """The table as an attachment in `fmt` ("xlsx" or "csv"), never cached (it holds names)."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown download format {fmt!r}.")
    body = table_bytes(table, name or stem.replace("-", " ").capitalize(), fmt, programme_name)
    filename = download_name(stem, fmt)
    audit_download(name or stem.replace("-", " ").capitalize(), filename)
    response = Response(body, content_type=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def audit_download(what: str, filename: str) -> None:
    """Record a download of personal data in the audit trail, under the programme of the page
    it came from (services/personal_downloads.py)."""
    from flask import request
    from flask_login import current_user

    from programme.services import personal_downloads

    actor = current_user if current_user.is_authenticated else None
    slug = (request.view_args or {}).get("programme_slug")
    personal_downloads.record(actor, what, filename, programme_slug=slug)
