"""Organisations' names, and how a recruitment import's employer column finds an organisation: by
its name or another name, by a type's name when the programme has one organisation of that type,
and the organisation of the role's usual type when no cell names one."""

from __future__ import annotations

import pytest

from programme.domain.employers import NewOrganisation, OrganisationRef
from programme.domain.hr_trackers import FIELDS
from programme.domain.imports import resolve_mapping
from programme.domain.organisations import clean_names, merged_names, name_key
from programme.domain.programme_names import (
    LocalityRef,
    RoleRef,
    TeamRef,
    build_lookups,
)
from programme.domain.recruitment import load_taxonomy
from programme.domain.recruitment_import import (
    ExistingPost,
    describe_value,
    plan_import,
)
from programme.domain.spreadsheet import SheetRow, SpreadsheetError, Table
from programme.seed_files import ROLES_FILE

TAXONOMY = load_taxonomy(ROLES_FILE)
ROLE_IDS = {spec.key: number for number, spec in enumerate(TAXONOMY.roles, start=1)}
TEAM = 10
COUNCIL, PROBATION, NORTH_TRUST, SOUTH_TRUST, RECOVERY = 101, 102, 103, 104, 105
ORGANISATIONS = [
    OrganisationRef(COUNCIL, "Westshire County Council", "council", ("WCC",)),
    OrganisationRef(PROBATION, "Westshire Probation Delivery Unit", "probation", ("HMPPS",)),
    OrganisationRef(NORTH_TRUST, "North Westshire NHS Trust", "mental_health_trust"),
    OrganisationRef(SOUTH_TRUST, "South Westshire NHS Trust", "mental_health_trust"),
    OrganisationRef(RECOVERY, "Westshire Recovery Partnership", "substance_misuse_provider"),
]
HEADERS = ("Locality", "Team", "Job title", "Employer", "Status")


def _lookups(organisations=ORGANISATIONS, by_type=None):
    return build_lookups(
        [LocalityRef(1, "Bridgwater", "bridgwater")],
        [TeamRef(TEAM, 1, "Bridgwater FS Team")],
        [
            RoleRef(ROLE_IDS[spec.key], spec.name, spec.key, spec.agency, spec.names)
            for spec in TAXONOMY.roles
        ],
        organisations,
        TAXONOMY.agencies,
        by_type,
    )


def _plan(*rows, lookups=None, posts=()):
    table = Table(
        HEADERS,
        1,
        [
            SheetRow(n, ("Bridgwater", "Bridgwater FS Team", role, employer, "Vacant"))
            for n, (role, employer) in enumerate(rows, start=2)
        ],
        None,
    )
    return plan_import(table, resolve_mapping(FIELDS, HEADERS), lookups or _lookups(), posts)


def _employer(role: str, employer: str | None, **kwargs):
    [row] = _plan((role, employer), **kwargs).rows
    return row.values.get("organisation_id"), [error.message for error in row.errors]


# ------------------------------------------------------------------ names


def test_names_compare_ignoring_case_spaces_and_punctuation():
    assert name_key("Women’s Aid") == name_key("WOMENS-AID")
    assert name_key("Safe Homes DA Service") == name_key("Service, Safe Homes Domestic Abuse")
    assert clean_names([" HMPPS ", "hmpps", "", "N.P.S.", "NPS", "Probation"], "probation") == [
        "HMPPS",
        "N.P.S.",
    ]
    assert merged_names("Probation", ["PDU"], ["HMPPS", "pdu", "probation", "NPS"]) == [
        "PDU",
        "HMPPS",
        "NPS",
    ]


def test_the_employer_column_is_found_under_the_names_trackers_give_it():
    for header in ("Employer", "Employing organisation", "Organisation", "Provider", "Agency"):
        assert resolve_mapping(FIELDS, (header,)) == {"organisation": 0}, header
    assert FIELDS["organisation"].label == "Employing organisation"


# ------------------------------------------------------------------ finding the organisation


def test_an_organisation_is_found_by_its_name_or_another_name_in_any_case():
    assert _employer("DA officer", "westshire probation delivery unit") == (PROBATION, [])
    assert _employer("DA officer", "H.M.P.P.S.") == (PROBATION, [])
    assert _employer("Social worker", "WCC") == (COUNCIL, [])


def test_a_type_s_name_finds_the_programme_s_only_organisation_of_that_type():
    assert _employer("DA officer", "Probation") == (PROBATION, [])
    assert _employer("Social worker", "County council") == (COUNCIL, [])
    assert _employer("Recovery worker", "Recovery service") == (RECOVERY, [])


def test_a_type_s_name_with_several_organisations_of_that_type_names_none_of_them():
    value, errors = _employer("MH practitioner", "NHS trust")

    assert value is None
    assert errors == [
        "“NHS trust” is a type of organisation, and the programme has 2 organisations of that "
        "type: name one (North Westshire NHS Trust and South Westshire NHS Trust)."
    ]


def test_a_type_s_name_with_no_organisation_of_that_type_is_a_new_one_of_that_name():
    # "National Probation Service" is one of the probation type's names, and an employer's.
    assert _employer("IDVA", "DA charity") == (NewOrganisation("DA charity", "da_charity"), [])
    lookups = _lookups([o for o in ORGANISATIONS if o.type != "probation"])
    assert _employer("DA officer", "National Probation Service", lookups=lookups) == (
        NewOrganisation("National Probation Service", "probation"),
        [],
    )


def test_a_new_post_naming_no_employer_goes_to_the_one_of_its_type_the_file_adds():
    lookups = _lookups([o for o in ORGANISATIONS if o.type != "probation"])
    plan = _plan(("DA officer", None), ("DA officer", "Westshire PDU"), lookups=lookups)
    new = NewOrganisation("Westshire PDU", "probation")
    assert [row.values["organisation_id"] for row in plan.rows] == [new, new]
    assert plan.organisations_added == [new]


def test_a_misspelt_employer_is_taken_for_the_one_organisation_it_is_close_to_and_reported():
    plan = _plan(("DA officer", "Westshire Probation Delivery Unt"))

    assert plan.rows[0].values["organisation_id"] == PROBATION
    [match] = plan.organisations_matched
    assert (match.written, match.organisation.id) == ("Westshire Probation Delivery Unt", PROBATION)


def test_an_employer_close_to_two_organisations_is_proposed_as_new_not_guessed():
    value, errors = _employer("MH practitioner", "Westshire NHS Trust")

    assert value == NewOrganisation("Westshire NHS Trust", "mental_health_trust")
    assert errors == []


def test_an_unknown_employer_is_proposed_as_a_new_organisation_not_refused():
    plan = _plan(("Recovery worker", "Change Grow Live"), ("IDVA", "Change, Grow, Live"))

    assert [row.errors for row in plan.rows] == [[], []]
    assert plan.organisations_added == [
        NewOrganisation("Change Grow Live", "substance_misuse_provider")
    ]
    assert {row.values["organisation_id"] for row in plan.rows} == {plan.organisations_added[0]}


def test_a_number_where_an_employer_should_be_is_refused_on_its_row():
    plan = _plan(("DA officer", "1234"), ("IDVA", "Safe Homes"))
    assert plan.rows[0].values == {}
    assert [error.message for error in plan.rows[0].errors] == [
        "“1234” is not the name of an organisation."
    ]


def test_an_employer_column_of_numbers_or_dates_refuses_the_file_naming_the_column():
    with pytest.raises(SpreadsheetError, match="The column “Employer” holds only numbers"):
        _plan(("DA officer", "1"), ("IDVA", "0.5"))


def test_a_new_post_without_an_employer_goes_to_its_role_s_usual_organisation():
    assert _employer("DA officer", None) == (PROBATION, [])
    # Several trusts: the one the service says (the first by name, unless told otherwise).
    assert _employer("MH practitioner", None) == (NORTH_TRUST, [])
    told = _lookups(by_type={"mental_health_trust": SOUTH_TRUST})
    assert _employer("MH practitioner", None, lookups=told) == (SOUTH_TRUST, [])
    # No organisation of the type yet: one is added when the import is applied.
    assert _employer("IDVA", None) == (NewOrganisation("Domestic abuse charity", "da_charity"), [])


def test_a_changed_employer_shows_by_name_in_the_preview():
    post = ExistingPost(
        7,
        TEAM,
        ROLE_IDS["da_perpetrators"],
        False,
        {
            "team_id": TEAM,
            "role_id": ROLE_IDS["da_perpetrators"],
            "reference": None,
            "organisation_id": COUNCIL,
            "fte": 1.0,
            "status": "vacant",
            "holder_name": "",
            "holder_email": "",
            "start_date": None,
            "notes": "",
        },
    )
    lookups = _lookups()

    plan = _plan(("DA officer", "HMPPS"), lookups=lookups, posts=(post,))

    [row] = plan.rows
    assert (row.action, row.changes) == ("updated", {"organisation_id": (COUNCIL, PROBATION)})
    assert [
        plan.describe("organisation_id", value) for value in row.changes["organisation_id"]
    ] == [
        "Westshire County Council",
        "Westshire Probation Delivery Unit",
    ]
    assert describe_value("organisation_id", NewOrganisation("Police", "police"), lookups) == (
        "Police (a new organisation)"
    )


def test_the_rows_naming_a_new_organisation_include_rejected_ones():
    plan = _plan(("Wizard", "Change Grow Live"), ("Recovery worker", "Change Grow Live"))
    [new] = plan.organisations_proposed
    assert plan.organisation_rows[new] == [2, 3]
