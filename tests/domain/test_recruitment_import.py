"""Planning a recruitment import from plain values, and the recruited share and funnel."""

from __future__ import annotations

from datetime import date

import pytest

from programme.domain.employers import OrganisationRef
from programme.domain.hr_trackers import FIELDS
from programme.domain.imports import CHOICES_ONLY, choices_to_remember, resolve_mapping
from programme.domain.programme_names import LocalityRef, RoleRef, TeamRef, build_lookups
from programme.domain.recruitment import (
    PIPELINE,
    PostFacts,
    PostStatus,
    Share,
    adult_specialists_recruited,
    load_taxonomy,
    pipeline_funnel,
)
from programme.domain.recruitment_import import ExistingPost, plan_import
from programme.domain.spreadsheet import SheetRow, Table
from programme.seed_files import ROLES_FILE

TAXONOMY = load_taxonomy(ROLES_FILE)
ROLE_IDS = {spec.key: number for number, spec in enumerate(TAXONOMY.roles, start=1)}
IDVA = ROLE_IDS["da_victims"]
SOCIAL_WORKER = ROLE_IDS["social_worker"]
BRIDGWATER, TAUNTON = 1, 2
BRIDGWATER_TEAM, TAUNTON_TEAM = 10, 20
# One organisation of each type the roles use.
ORGANISATION_IDS = {
    agency.key: number for number, agency in enumerate(TAXONOMY.agencies, start=100)
}
ORGANISATIONS = [
    OrganisationRef(ORGANISATION_IDS[agency.key], agency.label, agency.key)
    for agency in TAXONOMY.agencies
]

LOOKUPS = build_lookups(
    [
        LocalityRef(BRIDGWATER, "Bridgwater", "bridgwater"),
        LocalityRef(TAUNTON, "Taunton", "taunton"),
    ],
    [
        TeamRef(BRIDGWATER_TEAM, BRIDGWATER, "Bridgwater FS Team"),
        TeamRef(TAUNTON_TEAM, TAUNTON, "Taunton FS Team"),
    ],
    [
        RoleRef(ROLE_IDS[spec.key], spec.name, spec.key, spec.agency, spec.names)
        for spec in TAXONOMY.roles
    ],
    ORGANISATIONS,
    TAXONOMY.agencies,
)

HEADERS = (
    "Post ref",
    "Locality",
    "Team",
    "Job title",
    "Status",
    "FTE",
    "Post holder",
    "Email",
    "Start date",
    "Notes",
)
COLUMN_OF = dict(
    zip(
        (
            "reference",
            "locality",
            "team",
            "role",
            "status",
            "fte",
            "holder_name",
            "holder_email",
            "start_date",
            "notes",
        ),
        range(len(HEADERS)),
        strict=True,
    )
)
A_ROW = {
    "locality": "Bridgwater",
    "team": "Bridgwater FS Team",
    "role": "IDVA",
    "status": "Vacant",
}


def row(**cells) -> tuple:
    """A file row for an IDVA post in Bridgwater; keyword arguments fill or change its cells."""
    values = {**A_ROW, **cells}
    return tuple(values.get(name) for name in COLUMN_OF)


def existing(post_id: int, *, frozen: bool = False, **values) -> ExistingPost:
    """A vacant, unnumbered IDVA post in Bridgwater, as the programme holds it."""
    current = {
        "team_id": BRIDGWATER_TEAM,
        "role_id": IDVA,
        "reference": None,
        "organisation_id": ORGANISATION_IDS["da_charity"],
        "fte": 1.0,
        "status": "vacant",
        "holder_name": "",
        "holder_email": "",
        "start_date": None,
        "notes": "",
    }
    current.update(values)
    return ExistingPost(post_id, current["team_id"], current["role_id"], frozen, current)


def plan(*rows: tuple, posts: tuple[ExistingPost, ...] = ()):
    """The plan for a file whose header is on row 1 and whose rows start on row 2."""
    table = Table(HEADERS, 1, [SheetRow(n, cells) for n, cells in enumerate(rows, start=2)], None)
    return plan_import(table, resolve_mapping(FIELDS, HEADERS), LOOKUPS, posts)


def only_error(row_plan) -> tuple[str, str]:
    [error] = row_plan.errors
    return error.column, error.message


# ------------------------------------------------------------------ matching rows to posts


def test_a_row_is_matched_to_the_post_with_its_reference():
    posts = (existing(1, reference="BW-01"), existing(2, reference="BW-02"))

    result = plan(row(reference="BW-02", status="Advertised"), posts=posts)

    [outcome] = result.rows
    assert (outcome.action, outcome.post_id) == ("updated", 2)
    assert outcome.changes == {"status": ("vacant", "advertised")}


def test_a_reference_is_matched_whatever_its_case():
    posts = (existing(1, reference="BW-01"),)

    [outcome] = plan(row(reference="bw-01"), posts=posts).rows

    assert outcome.post_id == 1
    assert outcome.changes == {"reference": ("BW-01", "bw-01")}


def test_a_new_reference_takes_the_next_unnumbered_post_of_its_team_and_role():
    posts = (
        existing(1, reference="BW-01"),
        existing(2),
        existing(3),
        existing(4, team_id=TAUNTON_TEAM),
    )

    [outcome] = plan(row(reference="BW-09"), posts=posts).rows

    assert (outcome.action, outcome.post_id) == ("updated", 2)
    assert outcome.changes == {"reference": (None, "BW-09")}


def test_a_new_reference_never_relabels_a_post_that_already_has_another_reference():
    posts = (existing(1, reference="BW-01"), existing(2, reference="BW-02"))

    [outcome] = plan(row(reference="BW-09"), posts=posts).rows

    assert outcome.action == "created"
    assert outcome.post_id is None
    assert outcome.values["reference"] == "BW-09"


def test_rows_without_references_take_the_team_s_posts_of_their_role_in_order():
    posts = (existing(5), existing(3), existing(4, role_id=SOCIAL_WORKER))

    result = plan(
        row(status="Advertised"),
        row(status="Shortlisted"),
        row(status="Interviewed"),
        row(role="Social worker"),
        posts=posts,
    )

    assert [(r.action, r.post_id) for r in result.rows] == [
        ("updated", 3),
        ("updated", 5),
        ("created", None),
        ("unchanged", 4),
    ]


def test_a_post_matched_by_reference_is_not_also_taken_in_order():
    posts = (existing(1), existing(2, reference="BW-02"))

    result = plan(row(status="Advertised"), row(reference="BW-02"), posts=posts)

    assert [(r.action, r.post_id) for r in result.rows] == [("updated", 1), ("unchanged", 2)]


def test_a_frozen_post_keeps_its_place_in_order_so_freezing_does_not_shift_rows():
    posts = (existing(1, frozen=True), existing(2, status="in_post"))

    result = plan(row(status="Vacant"), row(status="In post"), posts=posts)

    assert [(r.action, r.post_id) for r in result.rows] == [("unchanged", 1), ("unchanged", 2)]


def test_a_frozen_post_is_still_matched_by_its_reference():
    posts = (existing(1, frozen=True, reference="BW-01"),)

    [outcome] = plan(row(reference="BW-01", status="On hold"), posts=posts).rows

    assert (outcome.action, outcome.post_id) == ("updated", 1)
    assert outcome.changes == {"status": ("vacant", "on_hold")}


def test_a_row_that_matches_its_post_exactly_is_unchanged():
    posts = (
        existing(
            1,
            reference="BW-01",
            fte=0.5,
            status="in_post",
            holder_name="Zoë Brontë",
            holder_email="zoe.bronte@example.org",
            start_date=date(2026, 9, 1),
            notes="Started early",
        ),
    )

    [outcome] = plan(
        row(
            reference="BW-01",
            fte=0.5,
            status="In post",
            holder_name="Zoë Brontë",
            holder_email="Zoe.Bronte@Example.org",
            start_date="01/09/2026",
            notes="Started early",
        ),
        posts=posts,
    ).rows

    assert (outcome.action, outcome.post_id, outcome.changes) == ("unchanged", 1, {})


def test_an_updated_row_lists_only_the_fields_that_differ():
    posts = (existing(1, reference="BW-01", holder_name="Ann Lee"),)

    [outcome] = plan(
        row(reference="BW-01", status="Offer made", holder_name="Ann Lee", start_date="2027-01-04"),
        posts=posts,
    ).rows

    assert outcome.action == "updated"
    assert outcome.changes == {
        "status": ("vacant", "offered"),
        "start_date": (None, date(2027, 1, 4)),
    }


def test_a_created_post_takes_its_role_s_usual_employer_and_full_time_by_default():
    [outcome] = plan(row(reference="BW-01", role="Recovery worker")).rows

    assert outcome.action == "created"
    assert outcome.values == {
        "team_id": BRIDGWATER_TEAM,
        "role_id": ROLE_IDS["substance_misuse"],
        "status": "vacant",
        "reference": "BW-01",
        "organisation_id": ORGANISATION_IDS["substance_misuse_provider"],
        "fte": 1.0,
        "holder_name": "",
        "holder_email": "",
        "start_date": None,
        "notes": "",
    }
    assert outcome.label == "Bridgwater · Bridgwater FS Team · Substance misuse worker · BW-01"


def test_the_counts_add_up_each_action():
    posts = (existing(1, reference="BW-01"),)

    result = plan(
        row(reference="BW-01"),
        row(reference="BW-02"),
        row(reference="BW-03", fte="2"),
        posts=posts,
    )

    assert result.counts == {"created": 1, "updated": 0, "unchanged": 1, "rejected": 1}


# ------------------------------------------------------------------ rejected rows


def test_two_rows_with_one_reference_are_both_rejected_naming_both_rows():
    posts = (existing(1, reference="BW-01"),)

    result = plan(
        row(reference="BW-01"), row(reference="BW-02"), row(reference="bw-01"), posts=posts
    )

    assert [r.action for r in result.rows] == ["rejected", "created", "rejected"]
    for rejected in (result.rows[0], result.rows[2]):
        column, message = only_error(rejected)
        assert column == "Post ref"
        assert "is on rows 2, 4; each post may appear once." in message
    assert [error.row for error in result.errors] == [2, 4]


@pytest.mark.parametrize(
    ("written", "suggestion"),
    [
        ("Recovry worker", "Substance misuse worker"),
        ("Psycologist", "Psychologist"),
        ("Independent domestic violence advsor", "DA worker (victims/survivors)"),
        ("Socail worker", "Social worker"),
    ],
)
def test_an_unknown_role_is_rejected_suggesting_the_canonical_role_name(written, suggestion):
    [outcome] = plan(row(role=written)).rows

    assert outcome.action == "rejected"
    assert only_error(outcome) == (
        "Job title",
        f"There is no role “{written}”. Did you mean “{suggestion}”?",
    )


def test_an_unknown_role_like_nothing_known_has_no_suggestion():
    [outcome] = plan(row(role="Chief executive")).rows

    assert only_error(outcome) == ("Job title", "There is no role “Chief executive”.")


def test_a_misspelt_locality_is_rejected_with_the_right_spelling():
    [outcome] = plan(row(locality="Bridgewater")).rows

    assert outcome.action == "rejected"
    assert only_error(outcome) == (
        "Locality",
        "There is no locality “Bridgewater”. Did you mean “Bridgwater”?",
    )


def test_a_locality_may_be_written_as_its_slug():
    [outcome] = plan(row(locality="BRIDGWATER", team="bridgwater fs team")).rows

    assert outcome.action == "created"
    assert outcome.values["team_id"] == BRIDGWATER_TEAM


@pytest.mark.parametrize(
    ("team", "role"),
    [
        ("Bridgwater Family Safeguarding Team", "Independent Domestic Violence Advocate"),
        ("FS team, Bridgwater", "IDVAs"),
        ("bridgwater fs teams", "IDVA's"),
    ],
)
def test_teams_and_roles_are_matched_by_their_words(team, role):
    [outcome] = plan(row(team=team, role=role)).rows

    assert outcome.action == "created"
    assert (outcome.values["team_id"], outcome.values["role_id"]) == (BRIDGWATER_TEAM, IDVA)


def test_a_team_of_another_locality_is_unknown_in_this_one_and_says_where_it_is():
    [outcome] = plan(row(locality="Bridgwater", team="Taunton FS Team")).rows

    assert outcome.action == "rejected"
    assert only_error(outcome) == (
        "Team",
        "There is no team “Taunton FS Team” in Bridgwater; a team of that name is in Taunton.",
    )


def test_a_role_name_inside_a_longer_name_is_the_suggestion():
    [outcome] = plan(row(role="IDVA worker")).rows

    assert outcome.action == "rejected"
    assert only_error(outcome)[1].endswith("Did you mean “DA worker (victims/survivors)”?")


def test_a_blank_reference_never_clears_a_posts_reference():
    numbered = existing(1, reference="BW-01")
    unnumbered = existing(2)

    outcomes = plan(row(reference=""), row(reference=""), posts=(numbered, unnumbered)).rows

    assert [o.post_id for o in outcomes] == [2, 1]
    assert all("reference" not in o.changes for o in outcomes)


def test_a_misspelt_team_is_rejected_with_the_right_spelling_in_its_locality():
    [outcome] = plan(row(team="Bridgewater FS team")).rows

    assert only_error(outcome) == (
        "Team",
        "There is no team “Bridgewater FS team” in Bridgwater. Did you mean “Bridgwater FS Team”?",
    )


@pytest.mark.parametrize("blank", ["locality", "team", "role", "status"])
def test_a_blank_required_cell_is_rejected(blank):
    [outcome] = plan(row(**{blank: None})).rows

    assert outcome.action == "rejected"
    assert only_error(outcome)[1] == f"The {FIELDS[blank].label.lower()} is blank."


def test_every_problem_in_a_row_is_reported_not_just_the_first():
    [outcome] = plan(row(role="Wizard", status="Maybe", fte="lots", holder_email="nobody")).rows

    assert [error.column for error in outcome.errors] == ["Job title", "Status", "FTE", "Email"]


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("Offer made", PostStatus.OFFERED),
        ("In post", PostStatus.IN_POST),
        ("in-post", PostStatus.IN_POST),
        ("Pre-employment checks", PostStatus.PRE_EMPLOYMENT_CHECKS),
        ("DBS checks", PostStatus.PRE_EMPLOYMENT_CHECKS),
        ("Out to advert", PostStatus.ADVERTISED),
        ("PRE_EMPLOYMENT_CHECKS", PostStatus.PRE_EMPLOYMENT_CHECKS),
        ("Candidate withdrew", PostStatus.WITHDRAWN),
    ],
)
def test_status_names_hr_uses_are_understood(written, status):
    [outcome] = plan(row(status=written)).rows

    assert outcome.values["status"] == status.value


def test_an_unknown_status_suggests_the_nearest():
    [outcome] = plan(row(status="Shortlsted")).rows

    assert only_error(outcome) == (
        "Status",
        "There is no status “Shortlsted”. Did you mean “Shortlisted”?",
    )


@pytest.mark.parametrize(
    ("written", "fte"),
    [(0.5, 0.5), ("0.6", 0.6), ("50%", 0.5), (1, 1.0), ("0.333", 0.33)],
)
def test_an_fte_is_read_as_a_fraction_or_a_percentage(written, fte):
    [outcome] = plan(row(fte=written)).rows

    assert outcome.values["fte"] == fte


@pytest.mark.parametrize("written", ["0", "1.5", "150%", "-5", "full time", "0.001"])
def test_a_bad_fte_is_rejected(written):
    [outcome] = plan(row(fte=written)).rows

    assert outcome.action == "rejected"
    assert only_error(outcome) == (
        "FTE",
        f"The FTE “{written}” must be a number above 0 and up to 1 (or a %).",
    )


@pytest.mark.parametrize("written", ["ann.lee", "ann@", "ann lee@example.org", "@x"])
def test_a_bad_e_mail_is_rejected(written):
    [outcome] = plan(row(holder_email=written)).rows

    assert outcome.action == "rejected"
    assert only_error(outcome) == ("Email", f"“{written}” is not an e-mail address.")


def test_an_e_mail_is_kept_in_lower_case():
    [outcome] = plan(row(holder_email="  Ann.Lee@Example.ORG ")).rows

    assert outcome.values["holder_email"] == "ann.lee@example.org"


@pytest.mark.parametrize("written", ["31/02/2027", "13/31/2027", "next week", 46000])
def test_a_bad_start_date_is_rejected(written):
    [outcome] = plan(row(start_date=written)).rows

    assert outcome.action == "rejected"
    column, message = only_error(outcome)
    assert column == "Start date"
    assert message.endswith("is not a date: use dd/mm/yyyy")


@pytest.mark.parametrize(
    "written", [date(2027, 1, 4), "04/01/2027", "2027-01-04", "4 Jan 2027", "04/01/27"]
)
def test_start_dates_are_read_from_excel_dates_and_uk_or_iso_text(written):
    [outcome] = plan(row(start_date=written)).rows

    assert outcome.values["start_date"] == date(2027, 1, 4)


def test_text_longer_than_its_column_is_rejected():
    [outcome] = plan(row(reference="R" * 61)).rows

    assert only_error(outcome) == ("Post ref", "The post reference is longer than 60 characters.")


def test_a_rejected_row_leaves_its_neighbours_planned():
    result = plan(row(reference="BW-01"), row(role="Wizard"), row(reference="BW-03"))

    assert [r.action for r in result.rows] == ["created", "rejected", "created"]
    assert [error.row for error in result.errors] == [3]


def test_a_row_with_only_some_columns_changes_only_those():
    headers = ("Locality", "Team", "Role", "Status")
    table = Table(
        headers, 1, [SheetRow(2, ("Bridgwater", "Bridgwater FS Team", "IDVA", "Advertised"))], None
    )
    posts = (existing(1, reference="BW-01", fte=0.5, notes="Keep me"),)

    [outcome] = plan_import(table, resolve_mapping(FIELDS, headers), LOOKUPS, posts).rows

    assert (outcome.action, outcome.post_id) == ("updated", 1)
    assert outcome.changes == {"status": ("vacant", "advertised")}


# ------------------------------------------------------------------ remembered mappings


def test_a_remembered_column_overrides_the_one_matched_by_name():
    headers = ("Locality", "Team", "Role", "Status", "Stage")

    mapping = resolve_mapping(FIELDS, headers, {"status": 4})

    assert mapping["status"] == 4


def test_a_remembered_column_may_have_a_blank_header():
    headers = ("Locality", "Team", "Role", "")

    mapping = resolve_mapping(FIELDS, headers, {"status": 3})

    assert mapping["status"] == 3


def test_a_remembered_column_beyond_the_headers_is_ignored():
    headers = ("Locality", "Team", "Role", "Status")

    mapping = resolve_mapping(FIELDS, headers, {"notes": 9})

    assert "notes" not in mapping


def test_a_column_chosen_as_absent_is_left_out_even_when_its_name_matches():
    headers = ("Locality", "Team", "Role", "Status", "Notes")

    mapping = resolve_mapping(FIELDS, headers, {"notes": None, CHOICES_ONLY: True})

    assert "notes" not in mapping and mapping["status"] == 3


def test_an_older_remembered_absence_never_hides_a_column_matched_by_name():
    """Older remembered mappings held every field, and "Not in this file" was the form's default
    for a column the matching missed ("Post No."): that None is not a choice."""
    headers = ("Post No.", "Locality", "Team", "Role", "Status")

    mapping = resolve_mapping(FIELDS, headers, {"reference": None, "notes": None})

    assert mapping["reference"] == 0 and "notes" not in mapping


def test_only_the_choices_that_differ_from_the_matched_columns_are_remembered():
    headers = ("Post No.", "Area", "Team", "Post Title", "Where we are", "Notes")
    choices = {"reference": 0, "locality": 1, "team": 2, "role": 3, "status": 4, "notes": None}

    remembered = choices_to_remember(FIELDS, headers, choices)

    assert remembered == {"status": 4, "notes": None, CHOICES_ONLY: True}
    assert resolve_mapping(FIELDS, headers, remembered) == {
        "reference": 0,
        "locality": 1,
        "team": 2,
        "role": 3,
        "status": 4,
    }


def test_a_column_chosen_for_one_field_is_taken_from_the_field_it_was_matched_to():
    headers = ("Locality", "Team", "Role", "Status", "Comments")

    mapping = resolve_mapping(FIELDS, headers, {"holder_name": 4, CHOICES_ONLY: True})

    assert mapping["holder_name"] == 4 and "notes" not in mapping


# ------------------------------------------------------------------ shares and the funnel


def test_seven_of_ten_meets_seventy_percent():
    assert Share(7, 10).meets(70)


def test_sixty_nine_of_ninety_nine_falls_short_of_seventy_percent():
    share = Share(69, 99)

    assert not share.meets(70)
    assert share.whole_percent == 69


def test_nothing_to_count_never_meets_a_threshold_and_has_no_percentage():
    share = Share(0, 0)

    assert not share.meets(0)
    assert (share.percent, share.whole_percent) == (None, None)


def test_whole_percent_rounds_down_so_a_share_never_shows_more_than_it_is():
    assert Share(2, 3).whole_percent == 66
    assert Share(2, 3).percent == pytest.approx(66.667, abs=0.001)
    assert Share(1, 1).whole_percent == 100


def test_shares_add_numerators_and_denominators():
    assert Share(1, 2) + Share(3, 4) == Share(4, 6)


def test_only_unfrozen_adult_specialist_posts_count_toward_the_share():
    posts = [
        PostFacts("appointed", adult_specialist=True),
        PostFacts("in_post", adult_specialist=True),
        PostFacts("offered", adult_specialist=True),
        PostFacts("in_post", adult_specialist=False),
        PostFacts("vacant", adult_specialist=True, frozen=True),
    ]

    assert adult_specialists_recruited(posts, ("appointed", "in_post")) == Share(2, 3)
    assert adult_specialists_recruited(posts, ("in_post",)) == Share(1, 3)


def test_the_funnel_counts_live_posts_at_each_stage_and_how_many_reached_it():
    posts = [
        PostFacts("vacant", False),
        PostFacts("advertised", False),
        PostFacts("advertised", False),
        PostFacts("offered", True),
        PostFacts("in_post", True),
        PostFacts("in_post", True, frozen=True),
        PostFacts("withdrawn", False),
        PostFacts("on_hold", False),
        PostFacts("on_hold", False),
    ]

    funnel = pipeline_funnel(posts)

    assert [(stage.status.value, stage.count, stage.reached) for stage in funnel] == [
        ("vacant", 1, 5),
        ("advertised", 2, 4),
        ("shortlisted", 0, 2),
        ("interviewed", 0, 2),
        ("offered", 1, 2),
        ("pre_employment_checks", 0, 1),
        ("appointed", 0, 1),
        ("in_post", 1, 1),
        ("withdrawn", 1, 1),
        ("on_hold", 2, 2),
    ]
    assert tuple(stage.status for stage in funnel[: len(PIPELINE)]) == PIPELINE


def test_an_empty_funnel_has_every_stage_at_nought():
    funnel = pipeline_funnel([])

    assert len(funnel) == len(PostStatus)
    assert all(stage.count == stage.reached == 0 for stage in funnel)
