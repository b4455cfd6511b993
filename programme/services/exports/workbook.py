# TEMPORARY STUB (helper W owns this file)
"""A stand-in for the programme workbook (helper W's `workbook.py`), only so that board packs
run and are tested on this branch: one Summary sheet of locality names and go-live dates. The
real module replaces this file at merge; the signatures are the same."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from programme.clock import utc_now, zone
from programme.domain.export_tables import Column, Table
from programme.domain.formatting import long_date
from programme.domain.xlsx_export import Sheet, WorkbookInfo
from programme.extensions import db
from programme.models import Locality, Programme


def programme_sheets(programme: Programme, as_of: date) -> list[Sheet]:
    localities = db.session.scalars(
        select(Locality).where(Locality.programme_id == programme.id).order_by(Locality.name)
    )
    table = Table(
        [Column("Locality"), Column("Go-live", "date")],
        [[locality.name, locality.go_live] for locality in localities],
        "This programme has no localities yet.",
    )
    return [Sheet("Summary", table)]


def workbook_info(programme: Programme, title: str, as_of: date) -> WorkbookInfo:
    creator = "Family Safeguarding programme tracker"
    return WorkbookInfo(title, creator, utc_now(), long_date(as_of), zone())
