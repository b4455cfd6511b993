"""The set-up commands of CLI.md: seed-demo, users, programmes, localities, teams, timeline."""

from datetime import date

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import AuditEvent, Locality, Membership, Milestone, Programme, Team, User
from tests.builders import create_locality, create_programme
from tests.conftest import TODAY
from tests.queries import count_rows

STRONG_PASSWORD = "marmalade trombone lighthouse"


def _table_counts() -> dict[str, int]:
    return {table.name: count_rows(table) for table in db.metadata.sorted_tables}


# ------------------------------------------------------------------ seed-demo


def test_seed_demo_loads_the_demo_programme_and_a_second_run_changes_nothing(app, runner):
    first = runner.invoke(args=["seed-demo"])

    assert first.exit_code == 0, first.output
    assert "Loaded the demo programme Somerset Family Safeguarding." in first.stdout
    assert "Demo users created: 6." in first.stdout
    counts = _table_counts()
    assert counts["programme"] == 1
    assert counts["locality"] == 6  # five on their way and the pilot, live
    assert counts["user"] == 6
    assert counts["milestone"] == 6 * 20
    assert counts["post"] > 0
    assert counts["import_record"] == 1  # the demo HR spreadsheet
    # Every demo user but the administrator belongs to the demo programme, in their role.
    assert counts["membership"] == 5
    assert set(db.session.execute(select(User.role, Membership.role).join(
        Membership, Membership.user_id == User.id))) == {
        (role, role) for role in ("programme_manager", "board_member", "hr_lead", "trainer",
                                  "viewer")}  # fmt: skip

    second = runner.invoke(args=["seed-demo"])

    assert second.exit_code == 0, second.output
    assert "is already loaded; nothing changed." in second.stdout
    assert "Demo users created: 0." in second.stdout
    db.session.expire_all()
    assert _table_counts() == counts


def test_seed_demo_gives_the_demo_a_mix_of_done_and_overdue_milestones(app, runner):
    runner.invoke(args=["seed-demo"])

    assert count_rows(Milestone, Milestone.status == "done") > 0
    assert count_rows(Milestone, Milestone.status == "in_progress") > 0
    assert count_rows(Milestone, Milestone.status != "done", Milestone.due < TODAY) > 0


# ------------------------------------------------------------------ users create


def test_users_create_reads_the_password_from_stdin(app, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Priya.Shah@Example.org",
            "--name",
            "Priya Shah",
            "--role",
            "programme_manager",
            "--password-stdin",
        ],
        input=STRONG_PASSWORD + "\n",
    )

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Created priya.shah@example.org (Programme manager)."
    user = db.session.scalar(select(User))
    assert (user.email, user.name, user.role, user.active) == (
        "priya.shah@example.org",
        "Priya Shah",
        "programme_manager",
        True,
    )
    assert STRONG_PASSWORD not in user.password_hash
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "user"))
    assert event.actor_id is None
    assert event.after["role"] == "programme_manager"


def test_users_create_with_an_unknown_role_is_a_usage_error(app, runner):
    result = runner.invoke(
        args=["users", "create", "x@example.org", "--name", "X", "--role", "superuser"],
        input=STRONG_PASSWORD + "\n",
    )

    assert result.exit_code == 2
    assert "superuser" in result.stderr
    assert count_rows(User) == 0


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "Password must be at least 12 characters long."),
        ("password1234", "That password is too common."),
    ],
)
def test_users_create_with_a_weak_password_is_refused_on_stderr(app, runner, password, message):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "helen@example.org",
            "--name",
            "Helen Rees",
            "--role",
            "hr_lead",
            "--password-stdin",
        ],
        input=password + "\n",
    )

    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stdout == ""
    assert count_rows(User) == 0


def test_users_create_with_no_password_on_stdin_is_refused(app, runner):
    result = runner.invoke(
        args=["users", "create", "h@example.org", "--name", "H", "--role", "viewer"]
        + ["--password-stdin"],
        input="\n",
    )

    assert result.exit_code == 1
    assert "No password was given." in result.stderr


def test_users_create_twice_with_the_same_e_mail_is_refused(app, runner):
    args = ["users", "create", "helen@example.org", "--name", "Helen Rees", "--role", "hr_lead"]
    runner.invoke(args=[*args, "--password-stdin"], input=STRONG_PASSWORD + "\n")

    result = runner.invoke(args=[*args, "--password-stdin"], input=STRONG_PASSWORD + "\n")

    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert count_rows(User) == 1


def test_users_create_with_a_bad_e_mail_address_is_refused(app, runner):
    result = runner.invoke(
        args=["users", "create", "not-an-address", "--name", "X", "--role", "viewer"]
        + ["--password-stdin"],
        input=STRONG_PASSWORD + "\n",
    )

    assert result.exit_code == 1
    assert "not a valid e-mail address" in result.stderr


# ------------------------------------------------------------------ programmes create


def test_programmes_create_makes_a_programme_with_the_lancashire_template(app, runner):
    result = runner.invoke(
        args=[
            "programmes",
            "create",
            "--name",
            "Somerset Family Safeguarding",
            "--slug",
            "somerset",
        ]
    )

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Created programme Somerset Family Safeguarding (somerset)."
    programme = db.session.scalar(select(Programme))
    assert programme.slug == "somerset"
    assert [t.key for t in programme.timeline_templates] == ["lancashire"]


def test_programmes_create_with_a_slug_already_taken_exits_1(app, runner):
    runner.invoke(args=["programmes", "create", "--name", "Somerset", "--slug", "somerset"])

    result = runner.invoke(args=["programmes", "create", "--name", "Other", "--slug", "somerset"])

    assert result.exit_code == 1
    assert "A programme with the slug 'somerset' already exists." in result.stderr
    assert count_rows(Programme) == 1


def test_programmes_create_with_a_bad_slug_exits_1(app, runner):
    result = runner.invoke(args=["programmes", "create", "--name", "X", "--slug", "Not Valid"])

    assert result.exit_code == 1
    assert "must be lower-case letters and numbers joined by hyphens" in result.stderr


def test_programmes_create_without_a_slug_is_a_usage_error(app, runner):
    result = runner.invoke(args=["programmes", "create", "--name", "Somerset"])

    assert result.exit_code == 2
    assert count_rows(Programme) == 0


# ------------------------------------------------------------------ localities create


def test_localities_create_with_wave_and_slug(app, runner):
    create_programme(slug="somerset")

    result = runner.invoke(
        args=[
            "localities",
            "create",
            "--programme",
            "somerset",
            "--name",
            "South Somerset",
            "--go-live",
            "2027-04-06",
            "--wave",
            "1",
            "--slug",
            "south",
        ]
    )

    assert result.exit_code == 0, result.output
    assert "Created locality South Somerset (south), go-live 6 Apr 2027." in result.stdout
    locality = db.session.scalar(select(Locality))
    assert (locality.name, locality.slug, locality.wave, locality.go_live) == (
        "South Somerset",
        "south",
        1,
        date(2027, 4, 6),
    )


def test_localities_create_makes_the_slug_from_the_name(app, runner):
    create_programme(slug="somerset")

    result = runner.invoke(
        args=["localities", "create", "--programme", "somerset", "--name", "West Somerset"]
        + ["--go-live", "2027-06-07"]
    )

    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Locality)).slug == "west-somerset"


@pytest.mark.parametrize(
    "extra",
    [
        ["--go-live", "06/04/2027"],
        ["--go-live", "2027-02-30"],
        ["--go-live", "2027-04-06"] + ["--wave", "0"],
        ["--go-live", "2027-04-06", "--wave", "one"],
    ],
)
def test_localities_create_with_a_bad_date_or_wave_is_a_usage_error(app, runner, extra):
    create_programme(slug="somerset")

    result = runner.invoke(
        args=["localities", "create", "--programme", "somerset", "--name", "Mendip", *extra]
    )

    assert result.exit_code == 2
    assert count_rows(Locality) == 0


def test_localities_create_names_the_bad_date(app, runner):
    create_programme(slug="somerset")

    result = runner.invoke(
        args=["localities", "create", "--programme", "somerset", "--name", "Mendip"]
        + ["--go-live", "6 April 2027"]
    )

    assert result.exit_code == 2
    assert "'6 April 2027' is not a date in the form YYYY-MM-DD." in result.stderr


def test_localities_create_with_a_past_go_live_needs_allow_past_go_live(app, runner):
    create_programme(slug="somerset")
    args = ["localities", "create", "--programme", "somerset", "--name", "Mendip"]
    args += ["--go-live", "2026-09-01"]

    refused = runner.invoke(args=args)

    assert refused.exit_code == 1
    assert "The go-live date 1 Sep 2026 is in the past." in refused.stderr
    assert "Run again with --allow-past-go-live" in refused.stderr
    assert count_rows(Locality) == 0

    allowed = runner.invoke(args=[*args, "--allow-past-go-live"])

    assert allowed.exit_code == 0, allowed.output
    assert db.session.scalar(select(Locality)).go_live == date(2026, 9, 1)


def test_localities_create_in_an_unknown_programme_exits_1(app, runner):
    result = runner.invoke(
        args=["localities", "create", "--programme", "nowhere", "--name", "Mendip"]
        + ["--go-live", "2027-04-06"]
    )

    assert result.exit_code == 1
    assert "There is no programme with the slug 'nowhere'." in result.stderr


def test_localities_create_with_a_slug_already_taken_exits_1(app, runner):
    programme = create_programme(slug="somerset")
    create_locality(programme, slug="mendip")

    result = runner.invoke(
        args=["localities", "create", "--programme", "somerset", "--name", "Mendip"]
        + ["--go-live", "2027-04-06"]
    )

    assert result.exit_code == 1
    assert "already has a locality with the slug 'mendip'" in result.stderr
    assert count_rows(Locality) == 1


# ------------------------------------------------------------------ teams create


def test_teams_create_adds_a_team_to_a_locality(app, runner):
    create_locality(create_programme(slug="somerset"), name="South Somerset", slug="south-somerset")

    result = runner.invoke(
        args=["teams", "create", "--locality", "south-somerset", "--name", "Yeovil FS Team"]
    )

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Created team Yeovil FS Team in South Somerset."
    team = db.session.scalar(select(Team))
    assert (team.name, team.kind) == ("Yeovil FS Team", "family_safeguarding")


def test_teams_create_of_area_practitioners(app, runner):
    create_locality(create_programme(), slug="taunton")

    result = runner.invoke(
        args=["teams", "create", "--locality", "taunton", "--name", "Area adults"]
        + ["--kind", "area"]
    )

    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Team)).kind == "area"


def test_teams_create_of_a_county_wide_team_serving_every_locality(app, runner):
    programme = create_programme()
    create_locality(programme, name="Taunton", slug="taunton")

    result = runner.invoke(
        args=["teams", "create", "--locality", "taunton", "--name", "Psychology"]
        + ["--kind", "county", "--establishment", "somerset-county", "--serves-all"]
    )

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "Created team Psychology in Taunton with 2 posts from somerset-county; "
        "it serves every locality."
    )
    assert db.session.scalar(select(Team)).serves_all


def test_teams_create_serving_named_localities_and_refused_for_another_programme(app, runner):
    programme = create_programme()
    create_locality(programme, name="Taunton", slug="taunton")
    create_locality(programme, name="Mendip", slug="mendip")
    create_locality(create_programme("Dorset", "dorset"), name="Chesil", slug="chesil")
    args = ["teams", "create", "--locality", "taunton", "--name", "Area adults"]

    refused = runner.invoke(args=args + ["--serves", "mendip", "--serves", "chesil"])
    served = runner.invoke(args=args + ["--serves", "mendip"])

    assert refused.exit_code == 1
    assert "'chesil' is not one of them (it is a locality of Dorset)" in refused.stderr
    assert served.exit_code == 0, served.output
    assert served.stdout.strip().endswith("; it also serves Mendip.")
    assert [locality.slug for locality in db.session.scalar(select(Team)).served] == ["mendip"]


def test_teams_create_in_an_unknown_locality_exits_1(app, runner):
    result = runner.invoke(args=["teams", "create", "--locality", "nowhere", "--name", "A team"])

    assert result.exit_code == 1
    assert "There is no locality with the slug 'nowhere'." in result.stderr


def test_teams_create_twice_with_the_same_name_exits_1(app, runner):
    create_locality(create_programme(), slug="taunton")
    args = ["teams", "create", "--locality", "taunton", "--name", "Taunton FS Team 1"]
    runner.invoke(args=args)

    result = runner.invoke(args=args)

    assert result.exit_code == 1
    assert "already has a team called 'Taunton FS Team 1'" in result.stderr
    assert count_rows(Team) == 1


def test_teams_create_with_a_locality_slug_in_two_programmes_needs_the_programme(app, runner):
    create_locality(create_programme("One", "one"), slug="mendip")
    theirs = create_locality(create_programme("Two", "two"), slug="mendip")

    ambiguous = runner.invoke(args=["teams", "create", "--locality", "mendip", "--name", "T"])
    named = runner.invoke(
        args=["teams", "create", "--locality", "mendip", "--programme", "two", "--name", "T"]
    )

    assert ambiguous.exit_code == 1
    assert "--programme" in ambiguous.stderr
    assert named.exit_code == 0, named.output
    assert db.session.scalar(select(Team)).locality_id == theirs.id


# ------------------------------------------------------------------ timeline apply


def test_timeline_apply_creates_the_milestones_and_a_second_run_creates_none(app, runner):
    create_locality(create_programme(), name="Mendip", slug="mendip", go_live=date(2027, 4, 6))

    first = runner.invoke(args=["timeline", "apply", "mendip"])
    second = runner.invoke(args=["timeline", "apply", "mendip"])

    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == (
        "Applied Lancashire 8-month launch timeline to Mendip: created 20, already there 0."
    )
    assert second.exit_code == 0, second.output
    assert "created 0, already there 20." in second.stdout
    assert count_rows(Milestone) == 20


def test_timeline_apply_with_an_unknown_template_exits_1(app, runner):
    create_locality(create_programme(), slug="mendip")

    result = runner.invoke(args=["timeline", "apply", "mendip", "--template", "nope"])

    assert result.exit_code == 1
    assert "no timeline template 'nope' (known: lancashire)" in result.stderr
    assert count_rows(Milestone) == 0


def test_timeline_apply_to_an_unknown_locality_exits_1(app, runner):
    result = runner.invoke(args=["timeline", "apply", "nowhere"])

    assert result.exit_code == 1
    assert "There is no locality with the slug 'nowhere'." in result.stderr
