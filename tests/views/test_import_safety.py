"""The import flow's safety: undo asks first and says what it will revert; previews never applied
expire; the list shows what a preview rejected; "In post" from a later day is imported as
Appointed with a warning; and recruited figures say what they leave out."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from programme.clock import utc_now
from programme.extensions import db
from programme.models import ImportRecord
from programme.services import localities as locality_service
from programme.services import retention
from programme.services.recruitment import posts as post_service
from tests.builders import create_locality, create_post, create_programme, create_user
from tests.conftest import TODAY
from tests.pages import page_of, visible_text
from tests.queries import reread
from tests.views.test_imports import (
    FIRST_ROW,
    GOOD_ROWS,
    _imports_url,
    _only_record,
    _post,
    _post_state,
    _preview_rows,
    _row,
    _upload,
    _xlsx,
)

APPLIED_AT = datetime(2026, 12, 2, 10, 14, tzinfo=UTC)  # 10:14 in London in December


@pytest.fixture
def setting(app):
    """Bridgwater's FS Team North on the Lancashire establishment, as in test_imports.py."""
    programme = create_programme("Somerset Family Safeguarding", "somerset")
    locality = create_locality(programme, name="Bridgwater", slug="bridgwater")
    team = locality_service.create_team(
        locality, "FS Team North", None, establishment="lancashire", today=TODAY
    )
    return programme, locality, team


def _apply(client, programme, record):
    return client.post(_imports_url(programme, f"/{record.id}/apply"))


def _listing_row(page: str, record) -> str:
    match = re.search(rf'<tr id="import-{record.id}" data-state="\w+">.*?</tr>', page, re.S)
    assert match, "the list does not show the import"
    return match.group(0)


def _section(page: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}".*?</(table|ul|div)>', page, re.S)
    assert match, f"the page has no #{element_id}"
    return visible_text(match.group(0))


# ------------------------------------------------------------------ undo asks first


def test_undo_asks_for_confirmation_saying_exactly_what_it_will_revert(
    app, sign_in, setting, pin_clock
):
    programme, _locality, team = setting
    pin_clock(at=APPLIED_AT)
    client = sign_in(create_user("hr_lead", name="Jo Bloggs"))
    _upload(client, programme, _xlsx(GOOD_ROWS), filename="anytown.xlsx")
    record = _only_record()
    _apply(client, programme, record)
    applied = _post_state(team)

    listing = page_of(client.get(_imports_url(programme)))
    row = _listing_row(listing, record)
    undo_url = _imports_url(programme, f"/{record.id}/undo")
    # The list links to the confirmation; it holds no form that undoes in one click.
    assert f'href="{undo_url}"' in row
    assert "<form" not in row

    confirm = client.get(undo_url)

    assert confirm.status_code == 200
    page = page_of(confirm)
    assert visible_text(
        re.search(r'<p class="app-body" id="undo-summary">.*?</p>', page, re.S)[0]
    ) == (
        "Undo the import of anytown.xlsx applied by Jo Bloggs on 2 Dec 2026 at 10:14: 1 post "
        "created by it will be deleted; 1 post it updated will go back to its values before it."
    )
    deleted = visible_text(re.search(r'id="undo-deleted">.*?</ul>', page, re.S)[0])
    assert "DA worker (victims/survivors) (SOM-100), FS Team North, Bridgwater" in deleted
    reverted = _section(page, "undo-reverted")
    assert "DA worker (perpetrators) (SOM-001), FS Team North, Bridgwater" in reverted
    assert "Status: In post → Vacant" in reverted
    assert "Post holder: Dana Cole → (blank)" in reverted
    assert "Start date: 1 Sep 2026 → (blank)" in reverted
    assert "Post reference: SOM-001 → (blank)" in reverted
    assert re.search(rf'<form method="post" action="{undo_url}"', page)
    assert "Undo the import</button>" in page
    assert f'href="{_imports_url(programme)}">Cancel</a>' in page
    assert _post_state(team) == applied  # asking changed nothing
    assert reread(record).state == "applied"

    undone = client.post(undo_url, follow_redirects=True)

    assert "Undid the import of anytown.xlsx: 2 rows put back." in page_of(undone)
    assert reread(record).state == "undone"


def test_the_confirmation_names_the_posts_edited_since_and_offers_no_undo(app, sign_in, setting):
    programme, _locality, team = setting
    client = sign_in(create_user("hr_lead"))
    _upload(client, programme, _xlsx(GOOD_ROWS))
    record = _only_record()
    _apply(client, programme, record)
    da_worker = _post(team, "da_perpetrators")
    post_service.update_post(
        da_worker,
        post_service.PostInput(
            role_id=da_worker.role_id,
            organisation_id=da_worker.organisation_id,
            reference=da_worker.reference,
            status="in_post",
            holder_name="Dana Cole-Smith",
        ),
        None,
        today=TODAY,
        expected_version=da_worker.version,
    )

    page = page_of(client.get(_imports_url(programme, f"/{record.id}/undo")))

    blocked = _section(page, "undo-blocked")
    assert "This import cannot be undone" in blocked
    assert (
        "DA worker (perpetrators) (SOM-001), FS Team North, Bridgwater was changed after this "
        "import; undoing it would lose that change." in blocked
    )
    assert "Undo the import</button>" not in page
    # The undo itself refuses for the same reason.
    refused = client.post(_imports_url(programme, f"/{record.id}/undo"), follow_redirects=True)
    assert "so undoing the import would lose that change" in page_of(refused)


def test_an_import_already_undone_or_followed_by_another_cannot_be_undone(app, sign_in, setting):
    programme, _locality, _team = setting
    client = sign_in(create_user("hr_lead"))
    _upload(client, programme, _xlsx(GOOD_ROWS), filename="first.xlsx")
    first = _only_record()
    _apply(client, programme, first)
    second_rows = [_row(ref="SOM-101", role="IDVA", status="Vacant")]
    _upload(client, programme, _xlsx(second_rows), filename="second.xlsx")
    second = db.session.scalar(select(ImportRecord).where(ImportRecord.id != first.id))
    _apply(client, programme, second)

    older = page_of(client.get(_imports_url(programme, f"/{first.id}/undo")))
    client.post(_imports_url(programme, f"/{second.id}/undo"))
    again = page_of(client.get(_imports_url(programme, f"/{second.id}/undo")))

    assert "another was applied after this one (second.xlsx" in _section(older, "undo-blocked")
    assert "Undo the import</button>" not in older
    assert "This import was already undone; an import can be undone only once." in _section(
        again, "undo-blocked"
    )


def test_a_kind_of_import_that_cannot_be_undone_has_no_undo_page(app, sign_in, setting):
    programme, _locality, _team = setting
    record = ImportRecord(
        programme_id=programme.id,
        kind="staff",
        original_name="team.csv",
        stored_name="staff-1.csv",
        size_bytes=3,
        sha256="0" * 64,
        content=b"a,b",
        state="applied",
        created=1,
    )
    db.session.add(record)
    db.session.commit()
    client = sign_in(create_user("programme_manager"))

    assert client.get(_imports_url(programme, f"/{record.id}/undo")).status_code == 404


# ------------------------------------------------------------------ the list and expiry


def test_the_list_shows_how_many_rows_a_preview_not_applied_rejected(app, sign_in, setting):
    programme, _locality, _team = setting
    client = sign_in(create_user("hr_lead"))
    bad = [_row(locality="Bridgewater"), _row(locality="Nowhere"), _row(role="Astronaut")]
    _upload(client, programme, _xlsx([*GOOD_ROWS, *bad]), filename="bad.xlsx")
    record = _only_record()

    row = visible_text(_listing_row(page_of(client.get(_imports_url(programme))), record))

    assert "Previewed 3 rows rejected" in row


def test_an_expired_preview_says_so_keeps_no_file_and_cannot_be_applied(
    app, sign_in, setting, pin_clock
):
    programme, _locality, team = setting
    before = _post_state(team)
    client = sign_in(create_user("hr_lead"))
    pin_clock(date(2026, 11, 2))
    _upload(client, programme, _xlsx(GOOD_ROWS))
    record = _only_record()
    pin_clock(TODAY)
    retention.purge(utc_now(), 14)

    listing = visible_text(_listing_row(page_of(client.get(_imports_url(programme))), record))
    shown = page_of(client.get(_imports_url(programme, f"/{record.id}")))
    applied = client.post(_imports_url(programme, f"/{record.id}/apply"))
    download = client.get(_imports_url(programme, f"/{record.id}/file"))
    columns = client.get(_imports_url(programme, f"/{record.id}/columns"))

    assert "Expired expired on 30 Nov 2026, not applied; its file was deleted" in listing
    assert "Expired preview of tracker.xlsx" in shown
    assert "This preview expired on 30 Nov 2026" in visible_text(shown)
    assert "Download the file as uploaded" not in shown
    assert applied.status_code == 409
    assert (
        "This preview expired on 30 Nov 2026 and its file was deleted, so it cannot be "
        "applied. Upload the file again." in page_of(applied)
    )
    assert download.status_code == 302 and columns.status_code == 302
    assert _post_state(team) == before


# ------------------------------------------------------------------ In post from a later day


def test_in_post_from_a_later_day_is_previewed_as_appointed_with_a_warning(app, sign_in, setting):
    programme, _locality, team = setting
    client = sign_in(create_user("hr_lead"))
    rows = [_row(ref="SOM-001", status="In post", holder="Dana Cole", start=date(2027, 1, 11))]
    _upload(client, programme, _xlsx(rows))
    record = _only_record()

    page = page_of(client.get(_imports_url(programme, f"/{record.id}")))

    warning = (
        f"Row {FIRST_ROW}, Current Status: In post from 11 Jan 2027, which is after today; "
        "imported as Appointed. It counts as recruited from that date."
    )
    assert warning in _section(page, "preview-warnings")
    assert "1 row will be imported with a warning" in page
    assert "There is a problem" not in page  # a warning rejects nothing
    action, text = _preview_rows(page)[FIRST_ROW]
    assert action == "updated"
    assert "Status: Vacant → Appointed" in text
    assert "Warning: In post from 11 Jan 2027" in text
    assert "Save every row" in page

    _apply(client, programme, record)

    assert _post(team, "da_perpetrators").status == "appointed"


# ------------------------------------------------------------------ reconcilable figures


def test_every_recruited_figure_says_what_it_leaves_out(app, sign_in, setting):
    programme, locality, team = setting
    for post, status, start in (
        (_post(team, "da_perpetrators"), "in_post", date(2026, 9, 1)),
        (_post(team, "adult_mental_health"), "appointed", date(2027, 1, 11)),
    ):
        post_service.update_post(
            post,
            post_service.PostInput(role_id=post.role_id, status=status, start_date=start),
            None,
            today=TODAY,
            expected_version=post.version,
        )
    create_post(team, "da_victims", status="in_post", frozen=True)
    client = sign_in(create_user("viewer"))
    sentence = (
        "1 of 2 recruited; 1 appointed, starts 11 Jan 2027, counts from then; "
        "1 frozen post not counted"
    )
    base = f"/programmes/{programme.slug}"

    pages = {
        "recruitment overview": page_of(client.get(f"{base}/recruitment")),
        "locality recruitment": page_of(
            client.get(f"{base}/localities/{locality.slug}/recruitment")
        ),
        "locality readiness": page_of(client.get(f"{base}/localities/{locality.slug}/readiness")),
        "board": page_of(client.get(f"{base}/readiness")),
    }

    for name, page in pages.items():
        shown = [visible_text(m) for m in re.findall(r'data-field="explanation">(.*?)<', page)]
        assert sentence in shown, name
