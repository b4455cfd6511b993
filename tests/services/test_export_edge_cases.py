"""Exports under hostile or awkward input, first written as a review's probes: formula text in
headers, control characters and Excel's limits (cell text, footers, sheet names), what a viewer's
download may hold, board-pack changes when posts and people move or a threshold changes, the
meeting date's messages, and the command line's files and exit codes."""

from __future__ import annotations

import csv
import io
import os
import stat
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from programme.domain.csv_export import table_csv
from programme.domain.export_tables import Column, Table
from programme.domain.xlsx_export import Sheet, WorkbookInfo, sheet_title, workbook_bytes
from programme.extensions import db
from programme.models import BoardPack, GateCriterion, Post, StaffMember
from programme.services.board_packs import issue
from programme.services.exports.workbook import programme_workbook
from programme.services.readiness import gate_criteria
from programme.services.training import catalogue
from tests.builders import (
    attend,
    create_locality,
    create_milestone,
    create_post,
    create_programme,
    create_staff,
    create_team,
    create_user,
)
from tests.conftest import TODAY

XLSX_LIMIT = 32767
INFO = WorkbookInfo(
    "Probe", "Probe", datetime(2026, 11, 30, 9), "30 November 2026", ZoneInfo("Europe/London")
)


def _book(content: bytes):
    return load_workbook(io.BytesIO(content))


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def somerset(app):
    programme = create_programme(slug="somerset")
    taunton = create_locality(programme, name="Taunton", slug="taunton")
    team = create_team(taunton, name="Team A")
    return programme, taunton, team


# ---------------------------------------------------------------- formula injection in headers


def test_course_name_as_matrix_header_is_inert_in_xlsx_and_csv(somerset, sign_in):
    """A course's name becomes a column header of the training matrix (page download and the
    workbook's Training sheet). Headers bypass the formula guard."""
    programme, taunton, team = somerset
    create_staff(team, name="Bo Reed")
    course = catalogue.get_course(programme, "mi")
    course.name = '=HYPERLINK("http://x","y")'
    db.session.commit()
    client = sign_in(create_user("viewer"))
    url = "/programmes/somerset/localities/taunton/training?table=matrix&download="
    xlsx = client.get(url + "xlsx").get_data()
    header = [c for c in next(_book(xlsx).worksheets[0].iter_rows(max_row=1))]
    bad = [c.value for c in header if c.data_type == "f"]
    assert not bad, f"header cells written as formulas: {bad}"
    rows = _csv(client.get(url + "csv").get_data())
    assert not [h for h in rows[0] if h.startswith("=")], rows[0]


def test_course_name_header_in_workbook_training_sheet_is_inert(somerset):
    programme, taunton, team = somerset
    create_staff(team, name="Bo Reed")
    course = catalogue.get_course(programme, "mi")
    course.name = "=1+1"
    db.session.commit()
    sheet = _book(programme_workbook(programme, TODAY))["Training"]
    header = next(sheet.iter_rows(max_row=1))
    assert not [c.value for c in header if c.data_type == "f"]


def test_gate_criterion_label_header_in_summary_is_inert(somerset):
    programme, taunton, team = somerset
    criterion = db.session.scalars(
        select(GateCriterion).where(GateCriterion.programme_id == programme.id)
    ).first()
    criterion.label = "=cmd|' /C calc'!A0"
    db.session.commit()
    sheet = _book(programme_workbook(programme, TODAY))["Summary"]
    header = next(sheet.iter_rows(max_row=1))
    assert not [c.value for c in header if c.data_type == "f"]


def test_domain_header_guard_in_csv():
    table = Table([Column("@SUM(A1)")], [["x"]])
    assert not _csv(table_csv(table))[0][0].startswith("@")


# ---------------------------------------------------------------- formula injection in cells


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(1)", "\t=1+1", "\r=1+1"],
)
def test_cell_text_is_inert_in_both_formats(text):
    table = Table([Column("Note", "wrap"), Column("Name")], [[text, text]])
    book = _book(workbook_bytes(INFO, [Sheet("S", table)]))
    for cell in book["S"][2]:
        assert cell.data_type == "s", (text, cell.value)
    row = _csv(table_csv(table))[1]
    assert all(value.startswith("'") for value in row), row


def test_leading_space_then_equals_is_inert_in_csv():
    """Low severity / judgement call: some spreadsheet imports trim leading blanks and then
    evaluate; OWASP's advice covers it."""
    table = Table([Column("Name")], [["  =1+1"]])
    assert _csv(table_csv(table))[1][0].startswith("'")


def test_milestone_title_injection_in_changes_sheet_is_inert(somerset, pin_clock):
    programme, taunton, team = somerset
    member = create_user("board_member")
    milestone = create_milestone(
        taunton, title='=HYPERLINK("http://x","y")', due=date(2026, 12, 10)
    )
    issue.issue_pack(programme, date(2026, 12, 3), member, TODAY)
    pin_clock(date(2026, 12, 14))
    pack = issue.issue_pack(programme, date(2027, 1, 7), member, date(2026, 12, 14))
    sheet = _book(pack.workbook)["Changes since the last pack"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value]
    assert any(c.value == milestone.title for c in cells)
    assert not [c.value for c in cells if c.data_type == "f"]


# ---------------------------------------------------------------- writer robustness


def test_text_longer_than_excels_cell_limit_is_cut_to_fit():
    """Excel refuses (repairs) a workbook with a cell over 32,767 characters."""
    table = Table([Column("Notes", "wrap")], [["x" * 40000], ["=" + "y" * 40000]])
    book = _book(workbook_bytes(INFO, [Sheet("S", table)]))
    for (cell,) in book["S"].iter_rows(min_row=2):
        assert len(cell.value) <= XLSX_LIMIT


def test_long_milestone_notes_fit_a_cell_in_the_workbook(somerset):
    programme, taunton, team = somerset
    create_milestone(taunton, title="Long", notes="n" * 40000)
    sheet = _book(programme_workbook(programme, TODAY))["Milestones"]
    notes = [row[9].value for row in sheet.iter_rows(min_row=2)]
    assert all(v is None or len(v) <= XLSX_LIMIT for v in notes)


def test_control_characters_and_emoji_do_not_break_the_workbook():
    table = Table([Column("Name"), Column("Note", "wrap")], [["Ann \x07Lee 👩‍👧", "=\x01x"]])
    book = _book(workbook_bytes(INFO, [Sheet("S", table)]))
    assert book["S"]["A2"].value == "Ann Lee 👩‍👧"


@pytest.mark.parametrize("title, tab", [("Prog\x0bramme", "Sheet"), ("Programme", "Tab\x07")])
def test_control_character_in_document_or_sheet_title_does_not_break_the_workbook(title, tab):
    info = WorkbookInfo(title, "Probe", INFO.created, "30 November 2026", INFO.zone)
    table = Table([Column("Name")], [["x"]])
    _book(workbook_bytes(info, [Sheet(tab, table)]))


@pytest.mark.parametrize("title", ["'Tis milestones", "Milestones'", "History"])
def test_sheet_titles_excel_refuses_are_avoided(title):
    """Excel refuses a sheet name that begins or ends with an apostrophe, and reserves
    "History"."""
    made = sheet_title(title)
    assert not made.startswith("'") and not made.endswith("'")
    assert made.casefold() != "history"


def test_locality_name_with_colon_keeps_its_whole_name_in_the_tab(somerset, sign_in):
    programme, taunton, team = somerset
    taunton.name = "Taunton: North"
    db.session.commit()
    client = sign_in(create_user("viewer"))
    body = client.get("/programmes/somerset/localities/taunton?download=xlsx").get_data()
    assert _book(body).sheetnames[0].startswith("Taunton")


def test_footer_fits_excels_255_character_limit(somerset):
    """Excel drops (repairs) a header or footer longer than 255 characters; a 200-character
    programme name plus " board pack, 14 December 2026" and the date goes over."""
    programme, taunton, team = somerset
    programme.name = "N" * 200
    db.session.commit()
    pack = issue.issue_pack(programme, date(2026, 12, 3), create_user("board_member"), TODAY)
    footer = _book(pack.workbook)["Summary"].oddFooter
    total = sum(len(part.text or "") + 2 for part in (footer.left, footer.center, footer.right))
    assert total <= 255, total


def test_ampersand_in_programme_name_is_escaped_in_the_footer(somerset):
    programme, taunton, team = somerset
    programme.name = "Bath & North East Somerset"
    db.session.commit()
    footer = _book(programme_workbook(programme, TODAY))["Summary"].oddFooter
    assert (
        "&&" in footer.left.text
        or footer.left.text == "Bath & North East Somerset: programme workbook"
    )


# ---------------------------------------------------------------- permissions


def test_viewer_staff_download_does_not_reveal_emails_no_page_shows_them(somerset, sign_in):
    """The staff list download is open to every role with `view`; no page shows a viewer
    staff e-mail addresses, but the file lists everyone's."""
    programme, taunton, team = somerset
    create_staff(team, name="Bo Reed", email="bo.reed@example.org")
    client = sign_in(create_user("viewer"))
    page = client.get("/programmes/somerset/localities/taunton/training").get_data(as_text=True)
    assert "bo.reed@example.org" not in page
    body = client.get(
        "/programmes/somerset/localities/taunton/training?table=staff&download=csv"
    ).get_data(as_text=True)
    assert "bo.reed@example.org" not in body


@pytest.mark.parametrize("role", ["viewer", "trainer", "hr_lead"])
def test_roles_without_export_cannot_reach_workbook_or_packs(somerset, sign_in, role):
    programme, taunton, team = somerset
    pack = issue.issue_pack(programme, date(2026, 12, 3), create_user("board_member"), TODAY)
    client = sign_in(create_user(role))
    for url in (
        "/programmes/somerset/workbook.xlsx",
        f"/programmes/somerset/board-packs/{pack.id}/download",
        "/programmes/somerset/board-packs/changes",
    ):
        assert client.get(url).status_code == 403, url


def test_another_programmes_pack_is_not_found_under_this_programme(somerset, sign_in):
    programme, taunton, team = somerset
    other = create_programme("Devon Family Safeguarding", "devon")
    pack = issue.issue_pack(other, date(2026, 12, 3), create_user("board_member"), TODAY)
    client = sign_in(create_user("board_member"))
    assert client.get(f"/programmes/somerset/board-packs/{pack.id}/download").status_code == 404
    assert client.get(f"/programmes/somerset/board-packs/{pack.id}").status_code == 404


# ---------------------------------------------------------------- board packs: changes


def _changes(pack) -> list[tuple]:
    return [
        (c["what"], c["item"], c["before"], c["after"])
        for loc in pack.changes["localities"]
        for c in loc["changes"]
    ]


def _two_packs(programme, change, pin_clock):
    member = create_user("board_member")
    issue.issue_pack(programme, date(2026, 12, 3), member, TODAY)
    pin_clock(date(2026, 12, 14))
    change()
    return issue.issue_pack(programme, date(2027, 1, 7), member, date(2026, 12, 14))


def test_person_moved_between_localities_is_not_reported_as_newly_trained(somerset, pin_clock):
    programme, taunton, team = somerset
    yeovil = create_locality(programme, name="Yeovil", slug="yeovil")
    other_team = create_team(yeovil, name="Team Y")
    bo = create_staff(team, name="Bo Reed")
    course = catalogue.get_course(programme, "mi")
    for module in course.modules:
        if module.required:
            attend(course, module.number, [bo], on=date(2026, 10, 1))

    def move():
        person = db.session.get(StaffMember, bo.id)
        person.team_id = other_team.id
        db.session.commit()

    pack = _two_packs(programme, move, pin_clock)
    trained = [c for c in _changes(pack) if c[0] == "Person trained"]
    assert trained == [], trained


def test_filled_post_moved_between_localities_is_not_a_new_fill(somerset, pin_clock):
    programme, taunton, team = somerset
    yeovil = create_locality(programme, name="Yeovil", slug="yeovil")
    other_team = create_team(yeovil, name="Team Y")
    post = create_post(team, reference="T-01", status="in_post", holder_name="Ann Hale")

    def move():
        db.session.get(Post, post.id).team_id = other_team.id
        db.session.commit()

    pack = _two_packs(programme, move, pin_clock)
    filled = [c for c in _changes(pack) if c[0] == "Post filled"]
    assert filled == [], _changes(pack)


def test_threshold_change_is_listed_even_when_met_does_not_flip(somerset, pin_clock):
    programme, taunton, team = somerset
    create_post(team, reference="T-01", status="in_post", holder_name="Ann Hale")
    create_post(team, reference="T-02", status="vacant")
    criterion = db.session.scalar(
        select(GateCriterion).where(
            GateCriterion.programme_id == programme.id,
            GateCriterion.key == "adult_specialists_recruited",
        )
    )

    def change():
        gate_criteria.set_threshold(db.session.get(GateCriterion, criterion.id), 90, None)

    pack = _two_packs(programme, change, pin_clock)
    assert any(c[0].startswith("Criterion") for c in _changes(pack)), _changes(pack)


def test_locality_renamed_is_listed_once_under_its_new_name(somerset, pin_clock):
    programme, taunton, team = somerset

    def rename():
        db.session.get(type(taunton), taunton.id).name = "Taunton Deane"
        db.session.commit()

    pack = _two_packs(programme, rename, pin_clock)
    names = [loc["name"] for loc in pack.changes["localities"]]
    assert names == ["Taunton Deane"]


def test_same_person_trained_in_two_courses_gives_two_rows(somerset, pin_clock):
    programme, taunton, team = somerset
    bo = create_staff(team, name="Bo Reed")

    def train():
        person = db.session.get(StaffMember, bo.id)
        for key in ("mi", "fs_workshops"):
            course = catalogue.get_course(programme, key)
            for module in course.modules:
                if module.required:
                    attend(course, module.number, [person], on=date(2026, 12, 10))

    pack = _two_packs(programme, train, pin_clock)
    trained = [c for c in _changes(pack) if c[0] == "Person trained"]
    assert len(trained) == 2, trained


def test_a_second_pack_with_no_localities_opens_and_says_so(app, pin_clock):
    programme = create_programme(slug="empty")
    pack = _two_packs(programme, lambda: None, pin_clock)
    sheet = _book(pack.workbook)["Changes since the last pack"]
    assert "no localities" in sheet["A2"].value


def test_concurrent_issue_for_the_same_meeting_is_a_conflict_and_saves_nothing(
    somerset, monkeypatch
):
    """Two people press "Issue" at once: the second's check ran before the first committed."""
    from programme.services.board_packs import listing
    from programme.services.errors import Conflict

    programme, taunton, team = somerset
    member = create_user("board_member")
    issue.issue_pack(programme, date(2026, 12, 3), member, TODAY)
    monkeypatch.setattr(listing, "pack_for", lambda *_: None)
    monkeypatch.setattr(listing, "latest_pack", lambda *_: None)
    with pytest.raises(Conflict) as raised:
        issue.issue_pack(programme, date(2026, 12, 3), member, TODAY)
    assert "same moment" in raised.value.message
    assert len(db.session.scalars(select(BoardPack)).all()) == 1


@pytest.mark.parametrize(
    "value",
    ["2027-02-30", "3000-01-01", "0001-01-01", "14/01/2027", "yesterday"],
)
def test_bad_meeting_dates_get_a_clear_message(somerset, sign_in, value):
    client = sign_in(create_user("board_member"))
    response = client.post("/programmes/somerset/board-packs/new", data={"meeting_date": value})
    assert response.status_code in (200, 400)
    page = response.get_data(as_text=True)
    assert "Not a valid date value" not in page, "WTForms' default wording reaches the user"
    assert db.session.scalar(select(BoardPack)) is None


def test_the_pack_download_is_byte_for_byte_after_a_rename(somerset, sign_in):
    programme, taunton, team = somerset
    member = create_user("board_member")
    pack = issue.issue_pack(programme, date(2026, 12, 3), member, TODAY)
    issued, pack_id = bytes(pack.workbook), pack.id
    programme.name = "Renamed"
    taunton.name = "Elsewhere"
    db.session.commit()
    client = sign_in(member)
    response = client.get(f"/programmes/somerset/board-packs/{pack_id}/download")
    assert response.data == issued


def test_issue_is_audited_with_the_meeting_date(somerset):
    from tests.queries import audit_events_for

    programme, taunton, team = somerset
    pack = issue.issue_pack(programme, date(2026, 12, 3), create_user("board_member"), TODAY)
    [event] = audit_events_for("board_pack", pack.id)
    assert event.summary == "Issued the board pack for 3 Dec 2026"


# ---------------------------------------------------------------- the command line


def export(runner, *args):
    return runner.invoke(args=["export", "workbook", *args])


def test_cli_unwritable_out_exits_1_with_one_sentence(somerset, runner, tmp_path):
    out = tmp_path / "missing" / "x.xlsx"
    result = export(runner, "--programme", "somerset", "--out", str(out))
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.strip().startswith(f"Cannot write {out}")


def test_cli_out_is_a_directory_exits_1(somerset, runner, tmp_path):
    result = export(runner, "--programme", "somerset", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "directory" in result.stderr


@pytest.mark.parametrize("bad", ["2026-13-01", "30/11/2026", "tomorrow"])
def test_cli_bad_as_of_is_a_usage_error(somerset, runner, tmp_path, bad):
    result = export(
        runner, "--programme", "somerset", "--out", str(tmp_path / "x.xlsx"), "--as-of", bad
    )
    assert result.exit_code == 2


def test_cli_future_as_of_exits_2(somerset, runner, tmp_path):
    result = export(
        runner,
        "--programme",
        "somerset",
        "--out",
        str(tmp_path / "x.xlsx"),
        "--as-of",
        "2026-12-01",
    )
    assert result.exit_code == 2
    assert not (tmp_path / "x.xlsx").exists()


def test_cli_far_past_as_of_works(somerset, runner, tmp_path):
    programme, taunton, team = somerset
    create_milestone(taunton, title="Old")
    result = export(
        runner,
        "--programme",
        "somerset",
        "--out",
        str(tmp_path / "x.xlsx"),
        "--as-of",
        "1900-01-01",
    )
    assert result.exit_code == 0, result.output


def test_cli_relative_out_path(somerset, runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = export(runner, "--programme", "somerset", "--out", "w.xlsx")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "w.xlsx").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.xlsx"]


def test_cli_overwritten_file_keeps_ordinary_permissions(somerset, runner, tmp_path):
    """mkstemp makes its file 0600; renaming it over the output leaves the workbook readable by
    its owner alone, unlike any file the user writes (umask) and unlike the file it replaced."""
    out = tmp_path / "w.xlsx"
    out.write_bytes(b"old")
    os.chmod(out, 0o644)
    result = export(runner, "--programme", "somerset", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    _book(out.read_bytes())


# ---------------------------------------------------------------- types


def test_workbook_types(somerset):
    programme, taunton, team = somerset
    create_milestone(taunton, title="Due", due=date(2027, 1, 6))
    book = _book(programme_workbook(programme, TODAY))
    summary = book["Summary"]
    header = [c.value for c in summary[1]]
    row = summary[2]
    go_live = row[header.index("Go-live date")]
    assert go_live.is_date and go_live.number_format == "dd/mm/yyyy"
    for cell in row[5:-4]:
        if cell.value is not None and not isinstance(cell.value, str):
            assert 0 <= cell.value <= 1 and "%" in cell.number_format


# ---------------------------------------------------------------- query counts


def _queries(client, count_queries, url) -> int:
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


@pytest.mark.parametrize(
    "url",
    [
        "/programmes/somerset/localities/taunton/recruitment?download=xlsx",
        "/programmes/somerset/localities/taunton/training?table=staff&download=xlsx",
        "/programmes/somerset/localities/taunton/training?table=matrix&download=xlsx",
        "/programmes/somerset/localities/taunton/audit?download=csv",
        "/programmes/somerset/localities/taunton?download=xlsx",
        "/programmes/somerset/imports?download=csv",
    ],
)
def test_table_downloads_do_not_grow_queries_with_rows(somerset, sign_in, count_queries, url):
    programme, taunton, team = somerset
    client = sign_in(create_user("admin"))

    def grow(n):
        for i in range(n):
            t = create_team(taunton, name=f"Team {i}-{len(taunton.teams)}")
            create_post(t, status="in_post", holder_name=f"H {i}")
            create_staff(t)
            create_milestone(taunton, owner=create_user("programme_manager"))

    grow(2)
    small = _queries(client, count_queries, url)
    grow(8)
    large = _queries(client, count_queries, url)
    assert large <= small + 2, (small, large)


def test_workbook_queries_do_not_grow_with_localities(somerset, sign_in, count_queries):
    programme, taunton, team = somerset
    client = sign_in(create_user("board_member"))

    def grow(n):
        for _i in range(n):
            loc = create_locality(programme)
            t = create_team(loc)
            create_post(t, status="in_post", holder_name="H")
            create_staff(t)
            create_milestone(loc)

    grow(2)
    small = _queries(client, count_queries, "/programmes/somerset/workbook.xlsx")
    grow(8)
    large = _queries(client, count_queries, "/programmes/somerset/workbook.xlsx")
    assert large <= small + 2, (small, large)
