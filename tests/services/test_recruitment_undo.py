"""What undoing a recruitment import would do, said before it is done, and agreeing with what the
undo then does (or refuses)."""

from __future__ import annotations

import pytest

from programme.services import recruitment_import
from programme.services.errors import Conflict
from programme.services.recruitment.posts import remove_post
from programme.services.recruitment_undo import describe_undo
from tests.builders import create_user
from tests.files import csv_bytes
from tests.queries import reread
from tests.services.test_recruitment_import import (
    BRIDGWATER_TEAM,
    HEADER,
    TAUNTON_TEAM,
    a_programme,
    apply,
    one_row_csv,
    post_of,
    post_with,
    upload,
)


def test_the_summary_lists_what_goes_and_what_goes_back_and_the_undo_does_just_that(app):
    programme = a_programme()
    jo = create_user("hr_lead", name="Jo Bloggs")
    mental_health = post_of("Bridgwater FS Team", "adult_mental_health")
    data = csv_bytes(
        [
            HEADER,
            ["", *BRIDGWATER_TEAM, "Mental health practitioner", "Appointed", "0.5", "Ann Lee"]
            + ["ann@example.org", "04/01/2027", "Starts January"],
            ["TN-01", *TAUNTON_TEAM, "IDVA", "Advertised"],
            ["TN-02", *TAUNTON_TEAM, "IDVA", "Vacant"],
        ]
    )
    record, _ = upload(programme, data, "anytown.csv", actor=jo)
    apply(record, jo)

    summary = describe_undo(reread(record))

    assert summary.possible
    assert summary.sentence.startswith("Undo the import of anytown.csv applied by Jo Bloggs on ")
    assert summary.sentence.endswith(
        ": 2 posts created by it will be deleted; 1 post it updated will go back to its values "
        "before it."
    )
    assert summary.deleted == [
        "DA worker (victims/survivors) (TN-01), Taunton FS Team, Taunton",
        "DA worker (victims/survivors) (TN-02), Taunton FS Team, Taunton",
    ]
    [reverted] = summary.reverted
    assert reverted.post == "Adult mental health practitioner, Bridgwater FS Team, Bridgwater"
    assert set(reverted.changes) == {
        ("FTE", "0.5", "1.0"),
        ("Status", "Appointed", "Vacant"),
        ("Post holder", "Ann Lee", "(blank)"),
        ("Post holder's e-mail", "ann@example.org", "(blank)"),
        ("Start date", "4 Jan 2027", "(blank)"),
        ("Notes", "Starts January", "(blank)"),
    }
    assert summary.steps == 3

    restored = recruitment_import.undo_import(reread(record), jo)

    assert restored == len(summary.deleted) + len(summary.reverted)
    assert (post_with("TN-01"), post_with("TN-02")) == (None, None)
    assert reread(mental_health).status == "vacant"


def test_a_post_removed_since_blocks_the_undo_in_the_summary_as_in_the_undo(app):
    programme = a_programme()
    record, _ = upload(programme, one_row_csv(["TN-01", *TAUNTON_TEAM, "IDVA", "Vacant"]))
    apply(record)
    remove_post(post_with("TN-01"), None, expected_version=None)

    summary = describe_undo(reread(record))

    assert not summary.possible
    assert summary.blockers == [
        "1 post this import created or updated was removed since; undoing the import would "
        "lose that change."
    ]
    with pytest.raises(Conflict):
        recruitment_import.undo_import(reread(record), None)


def test_a_preview_never_applied_has_nothing_to_undo(app):
    programme = a_programme()
    record, _ = upload(programme, one_row_csv(["TN-01", *TAUNTON_TEAM, "IDVA", "Vacant"]))

    summary = describe_undo(record)

    assert summary.blockers == [
        "This file was only previewed, never applied, so there is nothing to undo."
    ]
    assert (summary.deleted, summary.reverted) == ([], [])
