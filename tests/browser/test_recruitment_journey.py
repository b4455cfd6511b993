"""An HR lead imports the recruitment tracker in a real browser and sees the locality move.

The issue's acceptance journey: sign in through the form, open the import page and upload a
spreadsheet whose status column has a header the app does not know, say which column it is,
see the one rejected row in the preview (with a "Did you mean" suggestion) and no way to save,
upload the corrected file (the column mapping is remembered, so it goes straight to the
preview), save every row, and see the locality's adult specialists recruited go from 0% to 50%.
The upload, column and preview pages, and the other recruitment pages, pass axe-core's WCAG 2.2
AA rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from programme.domain.recruitment import POST_STATUSES
from programme.extensions import db
from programme.models import Post, User
from programme.services import localities as locality_service
from tests.browser.conftest import assert_accessible, sign_in_through_form
from tests.builders import create_locality, create_programme, create_user
from tests.conftest import TODAY
from tests.files import xlsx_bytes

pytestmark = pytest.mark.browser

# "Where we are" is not a name the app knows for the status column: it must be mapped.
HEADERS = ["Post Ref", "Service Area", "Team", "Job Title", "Where we are", "Post holder"]
TITLE_ROWS = [["Bridgwater recruitment tracker"], ["Updated 27 November 2026"]]
# Title rows 1-2, headers on row 3: the data starts on row 4.
DA_ROW = ["SOM-001", "Bridgwater", "FS Team North", "DA officer", "In post", "Dana Cole"]
MISSPELT_ROW = ["", "Bridgwater", "FS Team North", "Mental helth practitioner", "Vacant", ""]
CORRECTED_ROW = ["", "Bridgwater", "FS Team North", "Mental health practitioner", "Vacant", ""]
REJECTION = (
    "Row 5, Job Title: There is no role “Mental helth practitioner”. "
    "Did you mean “Adult mental health practitioner”?"
)


@dataclass(frozen=True)
class Plan:
    hr_lead: User
    programme_slug: str
    locality_name: str
    locality_slug: str

    @property
    def recruitment_path(self) -> str:
        return f"/programmes/{self.programme_slug}/localities/{self.locality_slug}/recruitment"


@pytest.fixture
def plan(live_server) -> Plan:
    programme = create_programme("Somerset Family Safeguarding", "somerset")
    locality = create_locality(
        programme, name="Bridgwater", slug="bridgwater", go_live=date(2027, 4, 6)
    )
    # 11 vacant posts, two of them adult specialists: 0% of 2 recruited.
    locality_service.create_team(
        locality, "FS Team North", None, establishment="lancashire", today=TODAY
    )
    hr_lead = create_user("hr_lead", name="Helen Rees")
    return Plan(hr_lead, programme.slug, locality.name, locality.slug)


def _write(path: Path, *rows) -> Path:
    path.write_bytes(xlsx_bytes([HEADERS, *rows], title_rows=TITLE_ROWS))
    return path


def _locality_share(page: Page):
    return page.locator("#locality-share [data-field='share']")


def _upload(page: Page, path: Path) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Import an HR recruitment spreadsheet"
    )
    page.get_by_label("Spreadsheet", exact=True).set_input_files(path)
    page.get_by_role("button", name="Upload and preview", exact=True).click()


def test_hr_lead_maps_a_column_sees_a_rejected_row_then_imports_and_the_share_moves(
    page: Page, plan: Plan, tmp_path: Path
):
    first_file = _write(tmp_path / "tracker-november.xlsx", DA_ROW, MISSPELT_ROW)
    corrected_file = _write(tmp_path / "tracker-november-corrected.xlsx", DA_ROW, CORRECTED_ROW)

    sign_in_through_form(page, plan.hr_lead)
    page.goto(plan.recruitment_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(plan.locality_name)
    expect(_locality_share(page)).to_have_text(re.compile(r"^\s*0%\s+0 of 2\s*$"))

    # Open the import page: programme, its recruitment area (in the header), "Import an HR
    # spreadsheet".
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Somerset Family Safeguarding", exact=True
    ).click()
    page.get_by_role("link", name="Recruitment", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recruitment")
    page.get_by_role("link", name="Import an HR spreadsheet", exact=True).click()
    assert_accessible(page)

    # The status column's header is not recognised: the app asks which column it is.
    _upload(page, first_file)
    expect(page.get_by_role("heading", level=1)).to_have_text("Which column is which?")
    expect(page).to_have_url(re.compile(r"/imports/\d+/columns$"))
    expect(page.get_by_label("Role (required)", exact=True)).to_have_value("3")
    status = page.get_by_label("Status (required)", exact=True)
    expect(status).to_have_value("")
    assert_accessible(page)
    status.select_option(label="Where we are")
    page.get_by_role("button", name="Save and preview", exact=True).click()

    # The preview: one rejected row, named with its row number and a suggestion; nothing to save.
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview of tracker-november.xlsx")
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(summary.get_by_role("link")).to_have_text(REJECTION)
    expect(page.locator("[data-count='rejected']")).to_have_text("1")
    expect(page.locator("#preview-rejected tr[data-action='rejected']")).to_have_count(1)
    expect(page.locator("tr#row-5")).to_contain_text("Rejected")
    expect(page.get_by_role("button", name="Save every row")).to_have_count(0)
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)

    # The corrected file has the same headers: the mapping is remembered, straight to preview.
    page.get_by_role("link", name="Upload a corrected file", exact=True).click()
    _upload(page, corrected_file)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Preview of tracker-november-corrected.xlsx"
    )
    expect(page).to_have_url(re.compile(r"/imports/\d+$"))
    expect(page.locator("[data-count='updated']")).to_have_text("1")
    expect(page.locator("[data-count='unchanged']")).to_have_text("1")
    expect(page.locator("[data-count='rejected']")).to_have_text("0")
    expect(page.locator("tr#row-4")).to_contain_text("Status: Vacant → In post")
    assert_accessible(page)

    page.get_by_role("button", name="Save every row", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Recruitment")
    expect(page.get_by_role("status")).to_have_text(
        "Imported tracker-november-corrected.xlsx: 0 created, 1 updated, 1 unchanged."
    )
    locality_row = page.locator(f"#localities tr[data-locality='{plan.locality_slug}']")
    expect(locality_row.locator("[data-field='share']")).to_have_text(
        re.compile(r"^\s*50%\s+1 of 2\s*$")
    )
    locality_row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(plan.locality_name)
    expect(_locality_share(page)).to_have_text(re.compile(r"^\s*50%\s+1 of 2\s*$"))
    da_row = page.locator("tr[data-role='da_perpetrators']")
    expect(da_row).to_contain_text("In post")
    expect(da_row).to_contain_text("Dana Cole")


def _every_status(plan: Plan) -> int:
    """Give the team's posts every status (so axe checks every tag's contrast), freeze one, and
    return a post's id."""
    posts = db.session.scalars(select(Post).order_by(Post.id)).all()
    for post, status in zip(posts, POST_STATUSES, strict=False):
        post.status = status.value
    posts[-1].frozen = True
    db.session.commit()
    return posts[0].id


PAGES = {
    "locality recruitment page": lambda plan, post_id: plan.recruitment_path,
    "recruitment overview": lambda plan, post_id: f"/programmes/{plan.programme_slug}/recruitment",
    "post page": lambda plan, post_id: f"/programmes/{plan.programme_slug}/posts/{post_id}",
    "post edit page": lambda plan, post_id: (
        f"/programmes/{plan.programme_slug}/posts/{post_id}/edit"
    ),
    "imports list": lambda plan, post_id: f"/programmes/{plan.programme_slug}/imports",
    "roles": lambda plan, post_id: f"/programmes/{plan.programme_slug}/roles",
}


@pytest.mark.parametrize("name", PAGES)
def test_recruitment_page_has_no_serious_accessibility_violations(page: Page, plan: Plan, name):
    post_id = _every_status(plan)
    sign_in_through_form(page, plan.hr_lead)
    page.goto(PAGES[name](plan, post_id))
    expect(page.get_by_role("main")).to_be_visible()
    assert_accessible(page)
