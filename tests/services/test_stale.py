"""The one stale-edit check: an edit made to an older version than the stored one is refused
with the caller's sentence, and nothing is written."""

import pytest
from sqlalchemy import update

from programme.extensions import db
from programme.models import Milestone
from programme.services.errors import StaleEdit
from programme.services.stale import flush_or_refuse, refuse_if_changed, refuse_if_stale
from tests.builders import create_locality, create_milestone
from tests.queries import reread


def test_an_edit_opened_at_the_stored_version_or_unchecked_goes_ahead(app):
    milestone = create_milestone(create_locality())

    refuse_if_stale(milestone, milestone.version, "not raised")
    refuse_if_stale(milestone, None, "not raised")


def test_an_edit_opened_at_an_older_version_is_refused_with_the_callers_sentence(app):
    milestone = create_milestone(create_locality())

    with pytest.raises(StaleEdit, match="^Someone else changed it.$"):
        refuse_if_stale(milestone, milestone.version - 1, "Someone else changed it.")


def test_a_field_that_no_longer_holds_the_value_read_is_refused(app):
    milestone = create_milestone(create_locality(), notes="As read")

    refuse_if_changed(milestone, {"notes": "As read"}, "not raised")
    with pytest.raises(StaleEdit, match="Row 4"):
        refuse_if_changed(milestone, {"notes": "Something else"}, "Row 4 was changed.")


def test_a_save_that_loses_the_race_is_refused_and_writes_nothing(app):
    milestone = create_milestone(create_locality())
    db.session.execute(
        update(Milestone).where(Milestone.id == milestone.id).values(version=99),
        execution_options={"synchronize_session": False},
    )
    milestone.status = "done"

    with pytest.raises(StaleEdit, match="at the same moment"):
        flush_or_refuse("Someone else saved it at the same moment.")
    db.session.rollback()
    assert reread(milestone).status == "not_started"
