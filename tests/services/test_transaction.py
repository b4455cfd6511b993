"""The one-transaction rule: a use case writes everything or nothing, and a lost race is a
readable conflict rather than a crash."""

import pytest
from sqlalchemy import update

from programme.extensions import db
from programme.models import Milestone, Programme
from programme.services.errors import Conflict, StaleEdit
from programme.services.transaction import transactional
from tests.builders import create_locality, create_milestone
from tests.queries import count_rows, reread


def test_a_slug_taken_at_the_same_moment_is_a_conflict_and_nothing_is_written(app):
    @transactional
    def create_two_with_one_slug():
        db.session.add(Programme(name="First", slug="same"))
        db.session.add(Programme(name="Second", slug="same"))

    with pytest.raises(Conflict, match="Nothing was saved"):
        create_two_with_one_slug()
    assert count_rows(Programme) == 0


def test_a_row_changed_by_another_process_meanwhile_is_a_stale_edit(app):
    milestone = create_milestone(create_locality())

    @transactional
    def mark_done_after_someone_else_saved():
        db.session.execute(
            update(Milestone).where(Milestone.id == milestone.id).values(version=99),
            execution_options={"synchronize_session": False},
        )
        milestone.status = "done"

    with pytest.raises(StaleEdit):
        mark_done_after_someone_else_saved()
    assert reread(milestone).status == "not_started"


def test_a_service_called_from_another_joins_its_transaction(app):
    @transactional
    def inner():
        db.session.add(Programme(name="Inner", slug="inner"))

    @transactional
    def outer():
        inner()
        raise RuntimeError("the outer use case fails after the inner one")

    with pytest.raises(RuntimeError):
        outer()
    assert count_rows(Programme) == 0
