"""Value mappings: a word a tracker uses, mapped once to a known value, in the preview and by
`--map`; remembered for the programme once the import is applied."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from programme.domain.spreadsheet import ReadLimits
from programme.extensions import db
from programme.models import AuditEvent, Post, Role, ValueAlias
from programme.services import localities, value_mappings
from programme.services.errors import ServiceError
from programme.services.recruitment_import import RECRUITMENT
from tests.builders import create_locality, create_programme
from tests.conftest import TODAY
from tests.files import csv_bytes

LIMITS = ReadLimits(max_bytes=10 * 1024 * 1024, max_rows=50_000)

# A council's own words: "Interviews arranged" is no status the app knows, and "Social Worker
# (Level 2)" is more than "Social worker".
HEADER = ["Vacancy ref", "Area", "Team", "Post Title", "Stage"]
ROWS = [
    ["V-1", "Westvale", "Westvale FS Team", "Social Worker (Level 2)", "Interviews arranged"],
    ["V-2", "Westvale", "Westvale FS Team", "Social Worker (Level 2)", "Advertised"],
    ["V-3", "Westvale", "Westvale FS Team", "IDVA", "Interviews arranged"],
]


@pytest.fixture
def programme(app):
    programme = create_programme(slug="anyshire")
    locality = create_locality(programme, name="Westvale")
    localities.create_team(locality, "Westvale FS Team", None, today=TODAY)
    return programme


def upload(programme, rows=ROWS):
    return RECRUITMENT.upload(
        programme, csv_bytes([HEADER, *rows]), "tracker.csv", None, LIMITS, today=TODAY
    )


def role_id(programme, key: str) -> str:
    return str(db.session.scalar(select(Role.id).filter_by(programme_id=programme.id, key=key)))


def test_the_preview_asks_about_each_unknown_word_once_with_its_rows_and_a_suggestion(programme):
    record, preview = upload(programme)
    choices = value_mappings.choices_for(RECRUITMENT, record, preview.plan).values

    asked = {(choice.field, choice.written): choice for choice in choices}
    assert set(asked) == {("role", "Social Worker (Level 2)"), ("status", "Interviews arranged")}
    role = asked[("role", "Social Worker (Level 2)")]
    assert role.rows == (2, 3)
    assert role.column == "Post Title"
    assert role.chosen == role_id(programme, "social_worker")  # the suggestion, to confirm
    assert preview.plan.count("rejected") == 3


def test_choices_replan_the_preview_and_are_remembered_only_when_applied(programme):
    record, preview = upload(programme)
    lookups = RECRUITMENT.lookups_of(record)
    value_mappings.choose(
        record,
        lookups,
        {
            "role": {"Social Worker (Level 2)": role_id(programme, "social_worker")},
            "status": {"Interviews arranged": "interviewed"},
        },
    )
    again = RECRUITMENT.preview_record(record, LIMITS, today=TODAY)
    assert again.plan.count("rejected") == 0
    assert again.plan.count("created") == 3
    assert db.session.scalars(select(ValueAlias)).all() == []  # not until applied

    RECRUITMENT.apply_import(record, None, today=TODAY, limits=LIMITS)

    role = db.session.scalar(select(Role).filter_by(programme_id=programme.id, key="social_worker"))
    assert "Social Worker (Level 2)" in role.names
    [alias] = db.session.scalars(select(ValueAlias)).all()
    assert (alias.field, alias.name, alias.target) == (
        "status",
        "Interviews arranged",
        "interviewed",
    )
    summaries = db.session.scalars(select(AuditEvent.summary)).all()
    assert any("Remembered “Interviews arranged”" in summary for summary in summaries)
    assert any("Remembered “Social Worker (Level 2)”" in summary for summary in summaries)


def test_a_second_file_with_the_same_words_needs_no_mapping(programme):
    record, _ = upload(programme)
    value_mappings.choose(
        record,
        RECRUITMENT.lookups_of(record),
        {
            "role": {"Social Worker (Level 2)": role_id(programme, "social_worker")},
            "status": {"Interviews arranged": "shortlisted"},
        },
    )
    RECRUITMENT.apply_import(record, None, today=TODAY, limits=LIMITS)

    second, preview = upload(programme)
    assert preview.plan.count("rejected") == 0
    assert preview.plan.count("unchanged") == 3
    assert value_mappings.choices_for(RECRUITMENT, second, preview.plan).values == []


def test_leaving_a_value_unmapped_keeps_its_rows_rejected_and_can_take_a_choice_back(programme):
    record, _ = upload(programme)
    lookups = RECRUITMENT.lookups_of(record)
    value_mappings.choose(record, lookups, {"status": {"Interviews arranged": "interviewed"}})
    value_mappings.choose(record, lookups, {"status": {"Interviews arranged": ""}})
    preview = RECRUITMENT.preview_record(record, LIMITS, today=TODAY)
    assert record.value_mappings == {}
    assert preview.plan.count("rejected") == 3


def test_a_choice_that_is_no_known_value_is_refused(programme):
    record, _ = upload(programme)
    with pytest.raises(ServiceError, match="Choose a known value for “Interviews arranged”"):
        value_mappings.choose(
            record, RECRUITMENT.lookups_of(record), {"status": {"Interviews arranged": "hired"}}
        )
    assert record.value_mappings == {}


def test_a_remembered_name_can_be_forgotten(programme):
    record, _ = upload(programme)
    value_mappings.choose(
        record,
        RECRUITMENT.lookups_of(record),
        {
            "role": {"Social Worker (Level 2)": role_id(programme, "social_worker")},
            "status": {"Interviews arranged": "interviewed"},
        },
    )
    RECRUITMENT.apply_import(record, None, today=TODAY, limits=LIMITS)
    [alias] = value_mappings.aliases_of(programme)

    value_mappings.forget(programme, alias.id, None)

    _, preview = upload(programme)
    assert preview.plan.count("rejected") == 2  # the two "Interviews arranged" rows


def test_map_options_map_values_for_one_run_and_are_not_remembered(programme):
    plan = RECRUITMENT.import_file(
        programme,
        csv_bytes([HEADER, *ROWS]),
        "tracker.csv",
        None,
        today=TODAY,
        limits=LIMITS,
        map_options=(
            "Post Title=Social Worker (Level 2):Social worker",
            "Stage=Interviews arranged:Interviewed",
        ),
    )
    assert plan.counts["created"] == 3
    assert db.session.scalar(select(Post.status).where(Post.reference == "V-1")) == "interviewed"
    assert db.session.scalars(select(ValueAlias)).all() == []
    role = db.session.scalar(select(Role).filter_by(programme_id=programme.id, key="social_worker"))
    assert "Social Worker (Level 2)" not in role.names


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("Stage=Interviews arranged:Hired", "there is no status “Hired”"),
        ("Grade=Interviews arranged:Interviewed", "the file has no column “Grade”"),
        ("Stage Interviews arranged", "is not COLUMN=VALUE:KNOWN"),
    ],
)
def test_a_map_option_naming_nothing_known_is_refused_naming_it(programme, option, message):
    with pytest.raises(value_mappings.MapOptionError, match=message):
        RECRUITMENT.import_file(
            programme,
            csv_bytes([HEADER, *ROWS]),
            "tracker.csv",
            None,
            today=TODAY,
            limits=LIMITS,
            map_options=(option,),
        )
    assert db.session.scalars(select(Post)).all() == []
