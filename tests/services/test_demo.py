"""The demo programme: its teams' posts, and the demo HR spreadsheet imported over them."""

from datetime import timedelta

from sqlalchemy import select

from programme.domain.financial_years import financial_year_of, quarter_of
from programme.domain.partner_pledges import BEHIND
from programme.domain.spreadsheet import ReadLimits
from programme.extensions import db
from programme.models import (
    Attendance,
    BudgetLine,
    CostScenario,
    ImportRecord,
    PartnerPledge,
    Post,
    ReadinessSnapshot,
    ScenarioYear,
    Spend,
    StaffMember,
    Team,
    TrainingSession,
)
from programme.seed_files import DEMO_RECRUITMENT_FILE
from programme.services import business_case, demo, partner_pledges, recruitment_import
from programme.services.board_packs import listing
from programme.services.finance.overview import finance_summary
from programme.services.readiness import board
from programme.services.recruitment.establishments import get_establishment
from programme.services.recruitment.overview import programme_recruitment
from programme.services.training import completion, schedule
from tests.conftest import TODAY
from tests.queries import count_rows

GATE = 70


def test_seed_demo_shows_localities_above_and_below_the_recruitment_line(demo_programme):
    programme = demo_programme

    shares = {
        locality.name: share for locality, share in programme_recruitment(programme).localities
    }

    assert len(shares) == 6  # five localities on their way and the pilot, live
    assert all(share.denominator > 0 for share in shares.values())
    assert [name for name, share in shares.items() if share.meets(GATE)]
    assert [name for name, share in shares.items() if not share.meets(GATE)]

    again = recruitment_import.RECRUITMENT.import_file(
        programme,
        DEMO_RECRUITMENT_FILE.read_bytes(),
        DEMO_RECRUITMENT_FILE.name,
        None,
        today=TODAY,
        limits=ReadLimits(),
    )

    assert again.count("unchanged") > 0
    assert (again.count("created"), again.count("updated"), again.count("rejected")) == (0, 0, 0)


def test_the_demo_spreadsheet_fills_in_the_template_posts_rather_than_adding_beside_them(
    demo_programme,
):
    programme = demo_programme

    record = db.session.scalars(select(ImportRecord)).one()
    posts_by_kind = {
        kind: get_establishment(programme, key).post_count
        for kind, key in demo.read_demo()["establishments"].items()
    }
    template_posts = sum(posts_by_kind[team.kind] for team in db.session.scalars(select(Team)))

    assert record.rejected == 0
    assert record.updated > record.created
    assert count_rows(Post) == template_posts + record.created
    assert count_rows(Post, Post.reference.is_not(None)) == record.created + record.updated


# ------------------------------------------------------------------ training


def test_seed_demo_shows_localities_above_and_below_the_training_line(demo_programme):
    programme = demo_programme

    summary = completion.programme_training(programme, TODAY, TODAY)
    shares = {
        course.key: {group.name: group.shares[n] for group in summary.groups}
        for n, course in enumerate(summary.courses)
    }

    for key in ("mi", "fs_workshops"):
        assert all(share.denominator > 0 for share in shares[key].values())
        above = {name for name, share in shares[key].items() if share.meets(GATE)}
        assert {"South Somerset", "Taunton"} <= above, key
        assert "Bridgwater" not in above, key
    assert shares["fs_workshops"]["Bridgwater"].numerator > 0  # trained, but too few
    assert all(cost.cohorts > 0 for cost in summary.costs)


def test_the_demo_has_one_cancelled_upcoming_session_with_its_reason(demo_programme):
    programme = demo_programme

    upcoming = schedule.schedule(programme, TODAY).upcoming
    [cancelled] = [row for row in upcoming if row.session.cancelled]
    assert cancelled.session.cancel_reason.startswith("The room at Frome Town Hall is closed")
    assert cancelled.session.on > TODAY and cancelled.enrolled == 0
    assert any(not row.session.cancelled for row in upcoming)


def test_the_demo_board_on_the_test_day_follows_the_rule_as_written(demo_programme):
    programme = demo_programme

    rows = {row.locality.name: row.readiness for row in board.board(programme, TODAY).rows}

    figures = {
        name: [(r.key, r.share.numerator, r.share.denominator) for r in found.results]
        for name, found in rows.items()
    }
    assert figures == {
        "Burnham and Highbridge": [
            ("adult_specialists_recruited", 4, 4),
            ("trained_mi_and_fs", 19, 20),
            ("gate_milestones_done", 3, 3),
        ],
        "South Somerset": [
            ("adult_specialists_recruited", 5, 6),
            ("trained_mi_and_fs", 18, 22),
            ("gate_milestones_done", 3, 3),
        ],
        "Bridgwater": [
            ("adult_specialists_recruited", 1, 4),
            ("trained_mi_and_fs", 0, 16),
            ("gate_milestones_done", 1, 3),
        ],
        "Mendip": [
            ("adult_specialists_recruited", 1, 4),
            ("trained_mi_and_fs", 0, 17),
            ("gate_milestones_done", 1, 3),
        ],
        "West Somerset": [
            ("adult_specialists_recruited", 1, 3),
            ("trained_mi_and_fs", 0, 9),
            ("gate_milestones_done", 0, 3),
        ],
        "Taunton": [
            ("adult_specialists_recruited", 9, 12),
            ("trained_mi_and_fs", 22, 25),
            ("gate_milestones_done", 1, 3),
        ],
    }
    assert [name for name, found in rows.items() if found.ready] == [
        "Burnham and Highbridge",
        "South Somerset",
    ]
    bridgwater = rows["Bridgwater"].results[1]
    assert bridgwater.parts_text == (
        "Motivational Interviewing 0% (0 of 16) · FS practice and change workshops 62% (10 of 16)"
    )
    # Weeks of snapshots were taken under the new keys.
    assert {
        c["key"] for s in db.session.scalars(select(ReadinessSnapshot)) for c in s.criteria
    } == {
        "adult_specialists_recruited",
        "trained_mi_and_fs",
        "gate_milestones_done",
    }


def test_seed_demo_has_upcoming_sessions_with_places_and_a_past_one_without_a_register(
    demo_programme,
):
    programme = demo_programme

    planned = schedule.schedule(programme, TODAY)

    assert planned.upcoming
    # Every upcoming session has places, but the one cancelled (whose places were released).
    assert all(
        summary.enrolled > 0 for summary in planned.upcoming if not summary.session.cancelled
    )
    assert all(summary.recorded == 0 for summary in planned.upcoming)
    [missing] = planned.missing_registers
    assert missing.session.on < TODAY
    assert (missing.enrolled, missing.recorded) == (16, 0)
    held = [s for s in planned.past if s.session.register_saved_at is not None]
    assert held and all(s.recorded == s.enrolled for s in held)
    assert not any(s.over_capacity for s in planned.past + planned.upcoming)
    assert {s.session.trainer.email for s in planned.past} == {"trainer@example.org"}


def test_seed_demo_staff_fill_the_posts_that_have_someone_in_them(demo_programme):
    programme = demo_programme

    staff = list(db.session.scalars(select(StaffMember)))
    holders = db.session.scalars(
        select(Post).where(Post.status.in_(("in_post", "appointed")), Post.holder_name != "")
    ).all()

    assert {person.post_id for person in staff} >= {post.id for post in holders}
    assert all(person.programme_id == programme.id for person in staff)
    assert len({person.email for person in staff}) == len(staff)
    assert count_rows(StaffMember, StaffMember.post_id.is_(None)) == 2  # a leaver, a starter
    assert count_rows(StaffMember, StaffMember.leaving_date < TODAY) == 1
    assert count_rows(StaffMember, StaffMember.start_date > TODAY) > 0  # appointed, to start
    assert (
        db.session.scalar(
            select(StaffMember).where(StaffMember.email == "mark.ellis@somerset.example.org")
        ).role.key
        == "team_manager"
    )


def test_seed_demo_twice_adds_no_training_and_no_business_case(demo_programme):
    models = (StaffMember, TrainingSession, Attendance, BudgetLine, Spend, PartnerPledge)
    counts = {model: count_rows(model) for model in (*models, CostScenario, ScenarioYear)}

    again = demo.load_demo(TODAY)

    assert not again.created
    assert {model: count_rows(model) for model in counts} == counts


# ------------------------------------------------------------------ county-wide psychologists


def test_seed_demo_s_psychologists_serve_every_locality_and_count_toward_no_recruitment(
    demo_programme,
):
    programme = demo_programme

    county = db.session.scalars(select(Team).where(Team.kind == "county")).one()
    shares = {
        locality.name: (share.numerator, share.denominator)
        for locality, share in programme_recruitment(programme, TODAY).localities
    }
    ready = {row.locality.name for row in board.board(programme, TODAY).rows if row.readiness.ready}

    assert (county.name, county.locality.name, county.serves_all) == (
        "Somerset Psychology Service",
        "Taunton",
        True,
    )
    assert [(post.role.key, post.fte) for post in county.posts] == [("psychologist", 1.0)] * 2
    assert shares == {
        "Burnham and Highbridge": (4, 4),
        "South Somerset": (5, 6),
        "Bridgwater": (1, 4),
        "Mendip": (1, 4),
        "West Somerset": (1, 3),
        "Taunton": (9, 12),
    }
    assert ready == {"Burnham and Highbridge", "South Somerset"}


def test_the_demo_s_posts_and_staff_belong_to_its_named_partners(demo_programme):
    programme = demo_programme

    partners = {o.name: o for o in programme.organisations}
    assert len(partners) == 5
    assert {o.type for o in partners.values()} == {
        "council",
        "mental_health_trust",
        "probation",
        "substance_misuse_provider",
        "da_charity",
    }
    assert all(o.contact for o in partners.values())
    assert sum(o.agreement_signed_on is not None for o in partners.values()) == 4
    employers = set(db.session.scalars(select(Post.organisation_id)))
    assert employers == {o.id for o in partners.values()}
    held = db.session.scalars(select(StaffMember).where(StaffMember.post_id.is_not(None))).all()
    assert held and all(person.organisation_id is not None for person in held)


def test_the_demo_has_one_issued_pack_and_changes_since_it(demo_programme):
    programme = demo_programme

    [pack] = listing.packs_of(programme)
    assert pack.meeting_date == TODAY - timedelta(days=7)
    assert pack.issued_by_name == "Bernard Okafor"
    _previous, changes = listing.changes_since_last_pack(programme, TODAY)
    kinds = {c["kind"] for locality in changes["localities"] for c in locality["changes"]}
    assert {"post_filled", "person_trained"} <= kinds


# ----------------------------------------------------------------------------- business case


def test_the_demo_s_finance_page_has_budget_spend_and_forecast_for_each_year(demo_programme):
    summary = finance_summary(demo_programme, TODAY)
    current = financial_year_of(TODAY)
    years = {year.year: year for year in summary.years}

    assert {current - 2, current - 1, current, current + 1} <= set(years)
    assert all(
        years[year].funded and years[year].total.budget for year in range(current - 2, current + 2)
    )
    for year in (current - 2, current - 1):  # ended years: spent, forecast at what was spent
        assert years[year].total.actual > 0
        assert years[year].total.forecast == years[year].total.actual
    assert 0 < years[current].total.actual < years[current].total.forecast
    assert years[current + 1].total.actual == 0 < years[current + 1].total.forecast
    assert summary.unfunded_from == current + 2
    assert summary.unfunded_warning.startswith("No funding recorded after March")
    assert {"Council", "DfE grant", "Social care grant"} <= set(summary.sources)
    # Somerset's £3.5m over three years from the social care grant, and Bury's £0.140m DfE grant
    budget = {
        source: sum(dict(year.funding).get(source, 0) for year in summary.years)
        for source in summary.sources
    }
    assert budget["Social care grant"] == 3_500_000_00
    assert budget["DfE grant"] == 140_000_00


def test_the_demo_has_two_years_of_ended_quarters_spend_with_one_refund(demo_programme):
    spends = list(db.session.scalars(select(Spend).where(Spend.programme_id == demo_programme.id)))
    quarters = {(spend.budget_line.financial_year, spend.quarter) for spend in spends}
    current = financial_year_of(TODAY)

    assert len(quarters) >= 8
    assert max(quarters) < (current, quarter_of(TODAY))  # only quarters that have ended
    refunds = [spend for spend in spends if spend.is_refund]
    assert len(refunds) == 1 and refunds[0].amount_pence < 0


def test_the_demo_s_high_scenario_pays_back_before_the_low_one(demo_programme):
    case = business_case.business_case(demo_programme, TODAY)
    paybacks = {curve.name: curve.payback for curve in case.figures.scenarios}

    assert paybacks["High"] is not None
    assert paybacks["Low"] is None or paybacks["Low"] > paybacks["High"]
    assert case.chart is not None


def test_the_demo_has_one_partner_behind_and_the_rest_delivered_or_on_track(demo_programme):
    standings = partner_pledges.partner_standings(demo_programme, TODAY)
    behind = [one.organisation.name for one in standings if one.status == BEHIND]
    pledging = [one for one in standings if one.years]

    assert behind == ["Somerset Probation Delivery Unit"]
    assert len(pledging) >= 3
    assert any(standing.status == "Delivered" for one in pledging for _, standing in one.years)
