"""The training commands of CLI.md: `courses list` and `sessions create`."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import TrainingSession
from tests.builders import create_programme, create_user
from tests.queries import count_rows


def create_command(*options: str) -> list[str]:
    return ["sessions", "create", "--programme", "somerset", *options]


# ------------------------------------------------------------------ courses list


def test_courses_list_json_prints_one_document_of_the_contract_s_shape(app, runner):
    create_programme(slug="somerset")

    result = runner.invoke(args=["courses", "list", "--programme", "somerset", "--json"])

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert list(document) == ["courses"]
    courses = document["courses"]
    assert [(c["key"], c["criterion"]) for c in courses] == [
        ("mi", "trained_mi_and_fs"),
        ("fs_workshops", "trained_mi_and_fs"),
    ]
    for course in courses:
        assert set(course) == {"key", "name", "modules", "criterion"}
        for module in course["modules"]:
            assert set(module) == {"number", "title", "required"}
            assert isinstance(module["number"], int)
            assert isinstance(module["required"], bool)
    assert courses[0]["name"] == "Motivational Interviewing"
    assert [m["number"] for m in courses[0]["modules"]] == [1, 2, 3, 4]
    assert [m["required"] for m in courses[1]["modules"]] == [True, True, True, False]


def test_courses_list_prints_each_course_with_its_modules(app, runner):
    create_programme(slug="somerset")

    result = runner.invoke(args=["courses", "list", "--programme", "somerset"])

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "mi: Motivational Interviewing, counts toward trained_mi_and_fs"
    assert lines[1].startswith("  module 1: Day 1")
    assert any(line.endswith("(optional)") for line in lines)


def test_courses_list_for_an_unknown_programme_exits_1_with_a_sentence(app, runner):
    result = runner.invoke(args=["courses", "list", "--programme", "nowhere", "--json"])

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip() == "There is no programme with the slug 'nowhere'."


# ------------------------------------------------------------------ sessions create


def test_sessions_create_prints_the_new_session_s_id_alone(app, runner):
    create_programme(slug="somerset")
    trainer = create_user("trainer", email="tom.lewis@example.org")

    result = runner.invoke(
        args=create_command(
            "--course",
            "mi",
            "--module",
            "2",
            "--date",
            "2027-01-12",
            "--trainer",
            "Tom.Lewis@example.org",
            "--capacity",
            "12",
            "--venue",
            "County Hall, Taunton",
        )
    )

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    session_id = int(result.stdout)
    session = db.session.get(TrainingSession, session_id)
    assert (session.course.key, session.module.number, session.on) == ("mi", 2, date(2027, 1, 12))
    assert (session.trainer_id, session.capacity, session.venue) == (
        trainer.id,
        12,
        "County Hall, Taunton",
    )


def test_sessions_create_without_options_takes_the_course_s_defaults(app, runner):
    create_programme(slug="somerset")

    result = runner.invoke(
        args=create_command("--course", "fs_workshops", "--module", "1", "--date", "2027-01-12")
    )

    assert result.exit_code == 0, result.output
    session = db.session.scalar(select(TrainingSession))
    assert result.stdout == f"{session.id}\n"
    assert (session.trainer, session.capacity, session.venue) == (None, 16, "")
    assert session.cost_pence == 250_000 // 4


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--course", "yoga", "--module", "1"],
            "Somerset Family Safeguarding has no course 'yoga' (known: mi, fs_workshops).",
        ),
        (
            ["--course", "mi", "--module", "5"],
            "Motivational Interviewing has modules 1, 2, 3, 4; there is no module 5.",
        ),
        (
            ["--course", "mi", "--module", "1", "--trainer", "nobody@example.org"],
            "There is no user with the e-mail address nobody@example.org.",
        ),
        (
            ["--course", "mi", "--module", "1", "--capacity", "0"],
            "Capacity must be a whole number from 1 to 500.",
        ),
    ],
    ids=["unknown-course", "unknown-module", "unknown-trainer", "no-capacity"],
)
def test_sessions_create_refuses_what_does_not_exist_with_exit_1_and_one_sentence(
    app, runner, options, message
):
    create_programme(slug="somerset")

    result = runner.invoke(args=create_command(*options, "--date", "2027-01-12"))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip() == message
    assert count_rows(TrainingSession) == 0


def test_sessions_create_refuses_a_deactivated_trainer(app, runner):
    create_programme(slug="somerset")
    create_user("trainer", email="gone@example.org", active=False)

    result = runner.invoke(
        args=create_command(
            "--course",
            "mi",
            "--module",
            "1",
            "--date",
            "2027-01-12",
            "--trainer",
            "gone@example.org",
        )
    )

    assert result.exit_code == 1
    assert result.stderr.strip() == "gone@example.org is deactivated and cannot run a session."
    assert count_rows(TrainingSession) == 0


def test_sessions_create_for_an_unknown_programme_exits_1(app, runner):
    result = runner.invoke(
        args=create_command("--course", "mi", "--module", "1", "--date", "2027-01-12")
    )

    assert result.exit_code == 1
    assert result.stderr.strip() == "There is no programme with the slug 'somerset'."


@pytest.mark.parametrize(
    "options",
    [
        ["--course", "mi", "--module", "1", "--date", "12/01/2027"],
        ["--course", "mi", "--module", "1", "--date", "2027-02-30"],
        ["--course", "mi", "--module", "one", "--date", "2027-01-12"],
        ["--course", "mi", "--date", "2027-01-12"],
    ],
    ids=["british-date", "no-such-day", "module-not-a-number", "module-missing"],
)
def test_sessions_create_with_bad_usage_exits_2(app, runner, options):
    create_programme(slug="somerset")

    result = runner.invoke(args=create_command(*options))

    assert result.exit_code == 2
    assert count_rows(TrainingSession) == 0
