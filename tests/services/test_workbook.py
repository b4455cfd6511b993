"""The programme workbook: its sheets opened with openpyxl (names, headers, value types,
number formats, frozen panes, filters, print titles, RAG rules), an empty programme, formula-like
text kept inert, a fixed number of queries, and the Recruitment sheet re-imported unchanged."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from programme import serialisers
from programme.domain.csv_export import table_csv
from programme.domain.spreadsheet import ReadLimits
from programme.domain.xlsx_export import NUMBER_FORMATS
from programme.extensions import db
from programme.models import GoLiveDecision, Post, Programme
from programme.services import localities
from programme.services.exports import workbook
from programme.services.exports.posts import POST_COLUMNS
from programme.services.readiness.evaluation import evaluate_locality
from programme.services.recruitment_import import RECRUITMENT
from programme.services.training import catalogue
from tests.builders import (
    attend,
    create_locality,
    create_milestone,
    create_programme,
    create_session,
    create_staff,
    create_user,
)
from tests.business_case_builders import add_business_case
from tests.conftest import TODAY
from tests.queries import count_rows

INJECTED = '=HYPERLINK("http://x","y")'


def busy_programme(slug: str = "somerset", places: int = 2) -> Programme:
    """Localities each with a Lancashire team, staff part-way through training, milestones
    (one titled like a formula, with a note like a sum), sessions and a go-live decision."""
    programme = create_programme("Somerset Family Safeguarding", slug)
    courses = catalogue.list_courses(programme)
    trainer = create_user("trainer")
    for n in range(places):
        locality = create_locality(programme, name=f"Place {n}", slug=f"place-{n}", wave=1 + n % 2)
        team = localities.create_team(
            locality, f"Place {n} FS Team", None, establishment="lancashire", today=TODAY
        )
        people = [create_staff(team, name=f"Person {n}.{i}") for i in range(3)]
        attend(courses[0], 1, people[:2])
        attend(courses[0], 2, people[:1])
        create_session(courses[1], 1, date(2027, 1, 11), venue="Hall", trainer=trainer)
        create_milestone(locality, title=INJECTED, notes="-2+3", gate_critical=True)
        create_milestone(locality, status="done", completed_on=date(2026, 10, 1))
        create_milestone(locality, due=date(2026, 11, 2))  # overdue
        db.session.add(
            GoLiveDecision(
                locality_id=locality.id,
                decided_by_name="Board Member",
                decided_at=datetime(2026, 11, 20, 15, 30, tzinfo=UTC),
                note="Minuted",
                evidence=serialisers.evidence(evaluate_locality(locality, TODAY)),
            )
        )
    db.session.commit()
    return programme


def opened(data: bytes):
    return load_workbook(io.BytesIO(data))


def headers(ws) -> list:
    return [cell.value for cell in ws[1]]


def column(ws, header: str) -> list:
    index = headers(ws).index(header)
    return [row[index] for row in ws.iter_rows(min_row=2)]


@pytest.fixture
def book(app, pin_clock):
    pin_clock(TODAY)
    programme = busy_programme()
    return opened(workbook.programme_workbook(programme, TODAY))


def test_the_workbook_has_its_finished_sheets_in_order(app, pin_clock):
    pin_clock(TODAY)
    programme = busy_programme()
    add_business_case(programme)  # every sheet has rows
    book = opened(workbook.programme_workbook(programme, TODAY))
    assert book.sheetnames == list(workbook.SHEET_NAMES)
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.print_title_rows == "$1:$1"
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
        assert ws.oddFooter.left.text == "Somerset Family Safeguarding: programme workbook"
        assert ws.oddFooter.right.text == "30 Nov 2026"
        assert ws["A1"].font.bold
    assert book.properties.creator == "Family Safeguarding programme tracker"


def test_the_summary_gives_each_locality_its_criteria_as_percentages_and_rag_words(book):
    ws = book["Summary"]
    head = headers(ws)
    assert head[:5] == ["Wave", "Locality", "Go-live date", "Days to go", "State"]
    assert head[-4:] == ["Ready", "Milestones done", "Milestones total", "Overdue milestones"]
    assert "Adult specialist workers recruited: threshold" in head
    assert column(ws, "Locality")[:2] == [c for c in column(ws, "Locality")[:2]]
    localities_ = [cell.value for cell in column(ws, "Locality")]
    assert localities_ == ["Place 0", "Place 1", "Programme (2 localities)"]
    go_live = column(ws, "Go-live date")[0]
    assert go_live.value == datetime(2027, 4, 6) and go_live.number_format == "dd/mm/yyyy"
    assert column(ws, "Days to go")[0].value == (date(2027, 4, 6) - TODAY).days
    values = column(ws, "Adult specialist workers recruited")
    thresholds = column(ws, "Adult specialist workers recruited: threshold")[:2]
    for cell in values + thresholds:
        assert isinstance(cell.value, int | float) and 0 <= cell.value <= 1
        assert cell.number_format == "0.0%"
    rag = column(ws, "Adult specialist workers recruited: RAG")
    assert {cell.value for cell in rag[:2]} <= {"Red", "Amber", "Green"}
    letter = rag[0].column_letter
    rules = [
        r
        for cf in ws.conditional_formatting
        if str(cf.sqref) == f"{letter}2:{letter}4"
        for r in cf.rules
    ]
    assert sorted(rule.formula[0] for rule in rules) == ['"Amber"', '"Green"', '"Red"']
    assert [c.value for c in column(ws, "Ready")[:2]] == ["No", "No"]
    assert [c.value for c in column(ws, "Milestones total")] == [3, 3, 6]
    assert [c.value for c in column(ws, "Overdue milestones")] == [1, 1, 2]
    total = ws[4]
    assert total[1].font.bold and column(ws, "Ready")[2].value == "0 of 2"


def test_the_milestones_sheet_keeps_formula_like_text_inert(app, pin_clock):
    pin_clock(TODAY)
    programme = busy_programme()
    ws = opened(workbook.programme_workbook(programme, TODAY))["Milestones"]
    assert headers(ws) == [
        "Locality",
        "Workstream",
        "Milestone",
        "Owner",
        "Due date",
        "Status",
        "Completed",
        "RAG",
        "Gate-critical",
        "Notes",
    ]
    injected = next(c for c in column(ws, "Milestone") if c.value == INJECTED)
    assert injected.data_type == "s"
    note = ws.cell(injected.row, 10)
    assert note.value == "-2+3" and note.data_type == "s"
    assert ws.cell(injected.row, 5).number_format == "dd/mm/yyyy"
    assert ws.cell(injected.row, 9).value == "Yes"
    assert {c.value for c in column(ws, "RAG")} <= {"Red", "Amber", "Green"}
    sheet = workbook.programme_sheets(programme, TODAY)[1]
    text = table_csv(sheet.table).decode("utf-8-sig")
    assert "'=HYPERLINK(" in text and ",'-2+3\r\n" in text


def test_recruitment_training_sessions_and_decisions(book):
    recruitment = book["Recruitment"]
    assert headers(recruitment) == [column.header for column in POST_COLUMNS]
    assert recruitment.max_row == 1 + 2 * 11  # two Lancashire teams of 11 posts
    assert all(isinstance(c.value, int | float) for c in column(recruitment, "FTE"))

    training = book["Training"]
    head = headers(training)
    assert head[:4] == ["Locality", "Team", "Person", "Role"]
    assert head[-1] == "Modules still needed"
    mi = head[4]
    words = {c.value for c in column(training, mi) if isinstance(c.value, str)}
    assert words <= {"Complete", "In progress", "Not started", "Not required"}
    person = [c.value for c in column(training, "Person")]
    assert person[:4] == ["Person 0.0", "Person 0.1", "Person 0.2", "% trained"]
    share = training.cell(5, 5)
    assert share.font.bold and share.number_format == "0.0%" and 0 <= share.value <= 1
    needed = training.cell(3, len(head)).value  # Person 0.1 attended module 1 only
    assert needed.startswith(f"{mi}: 2")

    sessions = book["Sessions"]
    assert headers(sessions)[:3] == ["Course", "Module", "Date"]
    cost = column(sessions, "Cost")[0]
    assert cost.number_format == NUMBER_FORMATS["money"]
    assert isinstance(column(sessions, "Date")[0].value, datetime)
    assert [c.value for c in column(sessions, "Enrolled")][:2] == [2, 1]

    decisions = book["Decisions"]
    assert headers(decisions)[:4] == ["Locality", "Decided by", "Decided at", "Minutes note"]
    assert decisions.max_row == 1 + 2 * 3  # two decisions, three criteria each
    decided = column(decisions, "Decided at")[0]
    assert decided.value == datetime(2026, 11, 20, 15, 30) and decided.is_date
    assert all(0 <= c.value <= 1 for c in column(decisions, "Threshold"))


def test_a_programme_with_no_localities_still_opens_and_says_so(app, pin_clock):
    pin_clock(TODAY)
    programme = create_programme("Empty", "empty")
    book = opened(workbook.programme_workbook(programme, TODAY))
    assert book.sheetnames == list(workbook.SHEET_NAMES)
    assert book["Summary"]["A2"].value == "This programme has no localities yet"
    assert book["Summary"].auto_filter.ref.endswith("1")


def test_the_workbook_runs_as_many_queries_for_four_localities_as_for_one(
    app, pin_clock, count_queries
):
    pin_clock(TODAY)
    small, large = busy_programme("small", 1), busy_programme("large", 4)

    def queries(programme) -> int:
        db.session.expire_all()
        with count_queries() as counter:
            workbook.programme_workbook(programme, TODAY)
        return counter.count

    assert queries(small) == queries(large)


def test_the_filename_names_the_programme_and_the_day(app):
    programme = create_programme("Somerset", "somerset")
    assert workbook.workbook_filename(programme, TODAY) == "somerset-programme-2026-11-30.xlsx"


def test_the_recruitment_sheet_saved_alone_reimports_changing_nothing(app, pin_clock):
    pin_clock(TODAY)
    programme = busy_programme()
    posts = db.session.scalars(select(Post).order_by(Post.id)).all()
    posts[0].reference, posts[0].status, posts[0].holder_name = "PL-01", "appointed", "Ann Lee"
    posts[0].holder_email, posts[0].start_date = "ann@example.org", date(2027, 1, 4)
    posts[1].notes = "Advert closes Friday"
    db.session.commit()
    source = opened(workbook.programme_workbook(programme, TODAY))["Recruitment"]
    alone = Workbook()
    sheet = alone.active
    for row in source.iter_rows(values_only=True):
        sheet.append(row)
    buffer = io.BytesIO()
    alone.save(buffer)
    counts = {table.name: count_rows(table) for table in db.metadata.sorted_tables}
    db.session.expire_all()
    before = {
        p.id: (p.status, p.holder_name, p.start_date, p.fte, p.notes, p.version)
        for p in db.session.scalars(select(Post))
    }

    plan = RECRUITMENT.import_file(
        programme, buffer.getvalue(), "recruitment.xlsx", None, today=TODAY, limits=ReadLimits()
    )

    assert {row.action for row in plan.rows} == {"unchanged"}, [
        (row.row, row.action, getattr(row, "errors", None)) for row in plan.rows
    ]
    db.session.expire_all()
    after = {
        p.id: (p.status, p.holder_name, p.start_date, p.fte, p.notes, p.version)
        for p in db.session.scalars(select(Post))
    }
    assert after == before
    grown = {
        table.name: count_rows(table) - counts[table.name]
        for table in db.metadata.sorted_tables
        if count_rows(table) != counts[table.name]
    }
    assert set(grown) <= {"import_record", "audit_event"}
