"""An employer a tracker names: known, close to a known one, or a new partner organisation."""

from __future__ import annotations

from datetime import date

import pytest

from programme.domain.employers import (
    Employers,
    NewOrganisation,
    OrganisationRef,
    column_refusal,
    is_close,
)
from programme.domain.vocabulary import tokens

COUNCIL = OrganisationRef(1, "Anytown Borough Council", "council")
TRUST = OrganisationRef(2, "Anyshire Partnership NHS Trust", "mental_health_trust", ("APT",))


def employers(*organisations, types=None):
    known = {each.id: each for each in organisations or (COUNCIL, TRUST)}
    return Employers(known, dict(types or {}))


def test_a_close_name_is_taken_for_the_one_known_organisation_and_reported():
    resolver = employers()
    assert resolver.resolve("Anytown Council", None) == COUNCIL.id
    assert [match.organisation.name for match in resolver.close.values()] == [COUNCIL.name]


def test_a_name_close_to_two_known_organisations_is_new_not_matched():
    north = OrganisationRef(3, "Anytown North Council", "council")
    south = OrganisationRef(4, "Anytown South Council", "council")
    resolver = employers(north, south)
    assert isinstance(resolver.resolve("Anytown Council", None), NewOrganisation)
    assert resolver.close == {}


def test_new_employers_are_proposed_once_each_with_their_inferred_type():
    resolver = employers()
    names = [
        ("Change Grow Live", "substance_misuse_provider"),
        ("Safe Homes Domestic Abuse Service", "da_charity"),
        ("National Probation Service", "probation"),
        ("Safe Homes Domestic-Abuse Service", "da_charity"),  # the same words: one organisation
        ("change, grow, live", "substance_misuse_provider"),
    ]
    for name, role_type in names:
        resolver.resolve(name, role_type)

    assert resolver.added == [
        NewOrganisation("Change Grow Live", "substance_misuse_provider"),
        NewOrganisation("Safe Homes Domestic Abuse Service", "da_charity"),
        NewOrganisation("National Probation Service", "probation"),
    ]


def test_a_name_that_says_its_type_wins_over_the_role_s_usual_employer():
    resolver = employers()
    assert resolver.resolve("Westshire Constabulary", "probation") == NewOrganisation(
        "Westshire Constabulary", "police"
    )


def test_the_user_s_choice_of_type_wins_and_a_silent_name_with_no_role_is_other():
    chosen = employers(types={"Humankind": "substance_misuse_provider"})
    assert chosen.resolve("Humankind", None).type == "substance_misuse_provider"
    assert employers().resolve("Humankind", None).type == "other"


@pytest.mark.parametrize(
    "values",
    [
        [1, 2.5, "3"],
        [date(2027, 1, 11), "11/01/2027", None, ""],
        ["1,200", "45%"],
    ],
)
def test_an_employer_column_of_numbers_or_dates_is_refused_naming_it(values):
    refusal = column_refusal("WTE", values)
    assert refusal.startswith("The column “WTE” holds only numbers or dates")


def test_an_employer_column_with_names_is_not_refused():
    assert column_refusal("Employer", ["Change Grow Live", 12, None]) is None
    assert column_refusal("Employer", [None, ""]) is None


@pytest.mark.parametrize(
    ("written", "known", "close"),
    [
        ("Anytown Council", "Anytown Borough Council", True),
        ("Chnage Grow Live", "Change Grow Live", True),
        ("Westshire Probation Delivery Unt", "Westshire Probation Delivery Unit", True),
        ("Eastshire County Council", "Westshire County Council", False),
        ("North Anytown Council", "South Anytown Council", False),
        ("Anytown Domestic Abuse Service", "Anyshire Domestic Abuse Service", False),
        ("Westshire NHS Trust", "Westshire County Council", False),
        ("Anytown Council", "Anytown Council", False),  # the same words: a match, not close
    ],
)
def test_a_name_is_close_only_when_its_distinctive_words_agree_but_for_a_typo(
    written, known, close
):
    assert is_close(tokens(written), tokens(known)) is close


def test_a_type_chosen_for_a_close_name_makes_it_a_new_organisation():
    resolver = employers(types={"Anytown Council": "council"})
    assert resolver.resolve("Anytown Council", None) == NewOrganisation(
        "Anytown Council", "council"
    )
