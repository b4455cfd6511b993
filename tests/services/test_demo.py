"""The demo programme: its teams' posts, and the demo HR spreadsheet imported over them."""

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from programme.domain.spreadsheet import ReadLimits
from programme.extensions import db
from programme.models import ImportRecord, Post, Programme, Team
from programme.seed_files import DEMO_RECRUITMENT_FILE
from programme.services import demo, recruitment, recruitment_import
from programme.services.recruitment import programme_recruitment
from tests.conftest import TODAY
from tests.queries import count_rows

GATE = 70


def test_seed_demo_shows_localities_above_and_below_the_recruitment_line(app):
    programme = demo.load_demo(TODAY).programme

    shares = {
        locality.name: share for locality, share in programme_recruitment(programme).localities
    }

    assert len(shares) == 5
    assert all(share.denominator > 0 for share in shares.values())
    assert [name for name, share in shares.items() if share.meets(GATE)]
    assert [name for name, share in shares.items() if not share.meets(GATE)]

    again = recruitment_import.import_file(
        programme,
        DEMO_RECRUITMENT_FILE.read_bytes(),
        DEMO_RECRUITMENT_FILE.name,
        None,
        today=TODAY,
        limits=ReadLimits(),
    )

    assert again.count("unchanged") > 0
    assert (again.count("created"), again.count("updated"), again.count("rejected")) == (0, 0, 0)


def test_the_demo_spreadsheet_fills_in_the_template_posts_rather_than_adding_beside_them(app):
    programme = demo.load_demo(TODAY).programme

    record = db.session.scalars(select(ImportRecord)).one()
    posts_by_kind = {
        kind: recruitment.get_establishment(programme, key).post_count
        for kind, key in demo.read_demo()["establishments"].items()
    }
    template_posts = sum(posts_by_kind[team.kind] for team in db.session.scalars(select(Team)))

    assert record.rejected == 0
    assert record.updated > record.created
    assert count_rows(Post) == template_posts + record.created
    assert count_rows(Post, Post.reference.is_not(None)) == record.created + record.updated


def test_seed_demo_refuses_to_load_half_when_the_spreadsheet_has_a_bad_row(
    app, tmp_path, monkeypatch
):
    book = Workbook()
    book.active.append(["Service area", "Team", "Job title", "Status"])
    book.active.append(["Mendip", "Glastonbury FS Team", "IDVA", "In post"])
    buffer = io.BytesIO()
    book.save(buffer)
    bad = tmp_path / "demo-recruitment.xlsx"
    bad.write_bytes(buffer.getvalue())
    monkeypatch.setattr(demo, "DEMO_RECRUITMENT_FILE", bad)

    with pytest.raises(ValueError, match="There is no team “Glastonbury FS Team” in Mendip"):
        demo.load_demo(TODAY)

    assert count_rows(Programme) == 0
    assert count_rows(Post) == 0
