"""Matching names by their words (tokens), suggesting the nearest, and reading an employer's
type from its name. The names are written as other councils write them, not as our seed does."""

from __future__ import annotations

import pytest

from programme.domain.programme_names import (
    resolve,
)
from programme.domain.recruitment import POST_STATUSES, load_taxonomy, status_names
from programme.domain.sign_in_sheets import STATUS_NAMES
from programme.domain.vocabulary import (
    ABBREVIATIONS,
    STOP_WORDS,
    TYPE_RULES,
    VARIANTS,
    Candidate,
    Vocabulary,
    infer_organisation_type,
    tokens,
)
from programme.seed_files import ROLES_FILE

TAXONOMY = load_taxonomy(ROLES_FILE)

# ------------------------------------------------------------------ tokens


@pytest.mark.parametrize(
    ("one", "other"),
    [
        # word order and brackets
        ("Substance Misuse Recovery Worker", "Recovery worker (substance misuse)"),
        ("Domestic Abuse Worker – Victims/Survivors", "DA worker (victims/survivors)"),
        # abbreviations
        ("Perpetrator Programme Worker (DA)", "Domestic abuse perpetrator programme worker"),
        ("Snr Practitioner", "Senior practitioner"),
        ("Sr. practitioner", "senior practitioner"),
        ("MH Practitioner", "Mental health practitioner"),
        ("Drug & Alcohol Worker", "Drug and alcohol worker"),
        ("D&A worker", "Drug and alcohol worker"),
        ("D & A Worker", "drug + alcohol worker"),
        ("IDVA", "Independent Domestic Violence Advisor"),
        ("Team Mgr", "Team manager"),
        ("TM", "Team manager"),
        ("SW", "Social worker"),
        ("Team coord", "Team coordinator"),
        ("FS Team 1", "Family Safeguarding Team 1"),
        ("Anyshire Health FT", "Anyshire Health Foundation Trust"),
        # plurals and possessives
        ("IDVA's", "IDVA"),
        ("IDVAs", "IDVA"),
        ("IDVA’s", "idva"),
        ("Recovery workers", "Recovery worker"),
        ("SWs", "social worker"),
        ("Women's Aid", "Womens Aid"),
        ("Women’s Aid", "women's aid"),
        ("Children's services", "Childrens Services"),
        ("Local authorities", "Local authority"),
        ("Sent apologies", "sent apology"),
        # IDVA: England writes Advisor, Adviser and Advocate
        ("Independent Domestic Violence Advocate", "Independent domestic violence advisor"),
        ("Independent Domestic Violence Adviser", "IDVA"),
        ("DA advocate", "Domestic abuse advisor"),
        # hyphens, prefixes, case, accents, stop words
        ("Team Co-ordinator", "Team coordinator"),
        ("Team co ordinator", "TEAM CO-ORD"),
        ("Pre-employment checks", "Pre employment checks"),
        ("pre_employment_checks", "Preemployment check"),
        ("Multi-agency", "multi agency"),
        ("Zoë", "Zoe"),
        ("Team 01", "Team 1"),
        ("Head of the service", "Service head"),
        ("Worker for victims", "Victims worker"),
        ("Programme", "Program"),
    ],
)
def test_two_ways_of_writing_one_name_have_the_same_tokens(one, other):
    assert tokens(one) == tokens(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Team A", "Team B"),
        ("Team A", "Team"),  # "a" is a word here, not a stop word
        ("Team 1", "Team 2"),
        ("Interviewed", "Interview"),  # tense is meaning: these are two stages
        ("Shortlisted", "Shortlisting"),
        ("Drug & Alcohol Recovery Worker", "Drug and alcohol worker"),  # a word more
        ("Social Worker (Level 2)", "Social worker"),
        ("In post", "Post"),
        ("On hold", "Hold"),
        ("Not attended", "Attended"),
        ("Business support officer", "Busines support officer"),  # "-ss" is not a plural
        ("Status", "Statu"),
        ("HMPPS", "HMPP"),
        ("Senior social worker", "Senior practitioner"),
        ("Children's advocate", "Children's advisor"),  # only a DV/DA advocate is an advisor
    ],
)
def test_different_names_keep_different_tokens(one, other):
    assert tokens(one) != tokens(other)


def test_tokens_are_lower_case_words_without_stop_words_or_punctuation():
    assert tokens("The Head of Service, D&A (North)") == {
        "head",
        "service",
        "drug",
        "alcohol",
        "north",
    }
    assert tokens("") == frozenset()
    assert tokens(" – / ") == frozenset()
    assert tokens("and the of") == frozenset()


@pytest.mark.parametrize(
    ("key", "expansion"),
    [*ABBREVIATIONS.items(), *VARIANTS.items()],
    ids=[" ".join(key) for key in [*ABBREVIATIONS, *VARIANTS]],
)
def test_each_abbreviation_is_written_out_in_words_that_stay_as_they_are(key, expansion):
    assert tokens(" ".join(key)) == frozenset(expansion) - STOP_WORDS
    # The written-out words are singular and not abbreviations themselves: the table is read once.
    assert tokens(" ".join(expansion)) == frozenset(expansion) - STOP_WORDS


def test_tokens_of_a_cell_text_are_worked_out_once():
    tokens.cache_clear()
    for _ in range(1000):
        tokens("Substance Misuse Recovery Worker")

    assert tokens.cache_info().misses == 1


# ------------------------------------------------------------------ a vocabulary


def roles() -> Vocabulary:
    """Roles as a council other than ours names them."""
    vocabulary = Vocabulary()
    vocabulary.add("recovery", "Recovery worker (substance misuse)", ("Drug and alcohol worker",))
    vocabulary.add("senior", "Senior practitioner", ())
    vocabulary.add("idva", "Independent domestic violence advisor", ("DA support worker",))
    vocabulary.add("mh", "Mental health practitioner", ())
    vocabulary.add("coordinator", "Team coordinator", ("Business support officer",))
    vocabulary.add("perpetrators", "Perpetrator programme worker (DA)", ())
    return vocabulary


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("Substance Misuse Recovery Worker", "recovery"),
        ("RECOVERY WORKERS - SUBSTANCE MISUSE", "recovery"),
        ("Drug & Alcohol Worker", "recovery"),
        ("D&A workers", "recovery"),
        ("Snr Practitioner", "senior"),
        ("IDVA's", "idva"),
        ("IDVAs", "idva"),
        ("Independent Domestic Violence Advocate", "idva"),
        ("MH Practitioner", "mh"),
        ("Team Co-ordinator", "coordinator"),
        ("Domestic Abuse Perpetrator Programme Worker", "perpetrators"),
    ],
)
def test_a_name_with_a_known_names_tokens_is_a_match(written, value):
    assert roles().find(written) == value


@pytest.mark.parametrize(
    "written",
    ["Drug & Alcohol Recovery Worker", "Practitioner", "Senior", "Social worker", "", "–"],
)
def test_anything_else_is_not_a_match(written):
    assert roles().find(written) is None


def test_a_value_known_by_two_names_with_one_set_of_tokens_is_still_one_match():
    vocabulary = Vocabulary()
    vocabulary.add("idva", "IDVA", ("Independent domestic violence advisor", "IDVA's"))

    assert vocabulary.find("Independent Domestic Violence Adviser") == "idva"
    assert vocabulary.find_all("idvas") == [Candidate("idva", "IDVA")]


def test_a_name_two_values_share_is_ambiguous_a_suggestion_not_a_match():
    vocabulary = Vocabulary()
    vocabulary.add("csw", "Consultant social worker", ("Senior practitioner",))
    vocabulary.add("snr_sw", "Senior social worker", ("Snr practitioner",))

    assert vocabulary.find("Senior Practitioners") is None
    assert vocabulary.find_all("Senior Practitioners") == [
        Candidate("csw", "Consultant social worker"),
        Candidate("snr_sw", "Senior social worker"),
    ]
    assert vocabulary.suggest("Senior Practitioners") == "Consultant social worker"
    assert vocabulary.ambiguity("Senior Practitioners", "role") == (
        "The role “Senior Practitioners” is ambiguous: it matches both “Consultant social worker” "
        "and “Senior social worker”."
    )
    # The other names of both values still match.
    assert vocabulary.find("Consultant SW") == "csw"
    assert vocabulary.find("Snr social worker") == "snr_sw"


def test_an_ambiguous_cell_is_rejected_naming_every_value_it_could_be():
    vocabulary = Vocabulary()
    vocabulary.add(1, "Anytown North", ("North",))
    vocabulary.add(2, "North team", ("North",))
    vocabulary.add(3, "Northern", ("north",))

    found, problem = resolve("NORTH", vocabulary, "Locality")
    assert found is None
    assert problem.message == (
        "The locality “NORTH” is ambiguous: it matches “Anytown North”, “North team” and "
        "“Northern”."
    )
    assert problem.written == "NORTH"  # so the user may say which one it means


def test_a_name_matching_one_value_is_not_ambiguous():
    assert roles().ambiguity("Snr Practitioner", "role") is None
    assert roles().ambiguity("Wizard", "role") is None


@pytest.mark.parametrize(
    ("written", "suggestion"),
    [
        # the most words in common
        ("Drug & Alcohol Recovery Worker", "Recovery worker (substance misuse)"),
        ("IDVA worker", "Independent domestic violence advisor"),
        ("Mental health practitioner (Band 6)", "Mental health practitioner"),
        ("Perpetrator programme worker", "Perpetrator programme worker (DA)"),
        # else the closest spelling
        ("Mental helth practitoner", "Mental health practitioner"),
        ("Busness suport oficer", "Team coordinator"),
        # else nothing
        ("Chief executive", None),
        ("Worker", None),
        ("", None),
    ],
)
def test_a_name_that_is_not_a_match_suggests_the_nearest_known_value(written, suggestion):
    assert roles().suggest(written) == suggestion


def test_a_short_name_is_never_suggested_by_spelling():
    vocabulary = Vocabulary()
    vocabulary.add("sw", "Social worker", ("SW",))

    assert vocabulary.suggest("SX") is None


def test_a_suggestion_is_worked_out_once_per_text():
    vocabulary = roles()
    calls = []
    original = vocabulary._suggestion
    vocabulary._suggestion = lambda text: calls.append(text) or original(text)

    for _ in range(100):
        vocabulary.suggest("Drug & Alcohol Recovery Worker")

    assert calls == ["Drug & Alcohol Recovery Worker"]


# ------------------------------------------------------------------ the seed's names


def seed_roles() -> Vocabulary:
    vocabulary = Vocabulary()
    for spec in TAXONOMY.roles:
        vocabulary.add(spec.key, spec.name, (spec.key, *spec.names))
    return vocabulary


def seed_statuses() -> Vocabulary:
    vocabulary = Vocabulary()
    for status in POST_STATUSES:
        vocabulary.add(status.value, status.label, status_names(status))
    return vocabulary


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Substance Misuse Recovery Worker", "substance_misuse"),
        ("Recovery Worker (Substance Misuse)", "substance_misuse"),
        ("Drug & Alcohol Worker", "substance_misuse"),
        ("Perpetrator Programme Worker (DA)", "da_perpetrators"),
        ("DA Officer (Probation)", "da_perpetrators"),
        ("Adult Mental Health Practitioner", "adult_mental_health"),
        ("MH Practitioner", "adult_mental_health"),
        ("IDVA's", "da_victims"),
        ("Independent Domestic Violence Advocate", "da_victims"),
        ("Domestic Abuse Worker – Victims/Survivors", "da_victims"),
        ("Snr Practitioner", "consultant_social_worker"),
        ("Team Co-ordinator", "team_coordinator"),
        ("Social Workers", "social_worker"),
    ],
)
def test_role_titles_other_councils_use_match_the_seeds_roles_by_themselves(written, key):
    assert seed_roles().find(written) == key


@pytest.mark.parametrize(
    ("written", "suggestion"),
    [
        ("Social Worker (Level 2)", "Social worker"),
        ("Drug & Alcohol Recovery Worker", "Substance misuse worker"),
    ],
)
def test_role_titles_a_programme_maps_once_are_suggested(written, suggestion):
    assert seed_roles().find(written) is None
    assert seed_roles().suggest(written) == suggestion


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("Started", "in_post"),
        ("In post", "in_post"),
        ("Offer accepted", "appointed"),
        ("Advert live", "advertised"),
        ("Out to advert", "advertised"),
        ("Re-advertised", "advertised"),
        ("Shortlisting", "shortlisted"),
        ("Conditional offer", "offered"),
        ("Pre-employment checks", "pre_employment_checks"),
        ("Vacant - not yet advertised", "vacant"),
        ("Vacant – Not Yet Advertised", "vacant"),
        ("Withdrawn", "withdrawn"),  # the status's own name
    ],
)
def test_stages_hr_trackers_use_match_the_statuses(written, status):
    assert seed_statuses().find(written) == status


def test_a_stage_that_could_mean_two_statuses_is_left_for_the_programme_to_map():
    assert seed_statuses().find("Interviews arranged") is None
    assert seed_statuses().suggest("Interviews arranged") == "Interviewed"


def _clashes(groups) -> list[str]:
    seen: dict[frozenset[str], tuple[str, str]] = {}
    clashes = []
    for value, names in groups:
        for name in names:
            other = seen.setdefault(tokens(name), (value, name))
            if other[0] != value:
                clashes.append(f"{name!r} ({value}) and {other[1]!r} ({other[0]})")
    return clashes


def test_no_two_roles_agencies_statuses_or_attendances_share_a_name():
    # A name two values share matches neither: the seed must never do that to itself.
    assert _clashes((r.key, (r.name, r.key, *r.names)) for r in TAXONOMY.roles) == []
    assert _clashes((a.key, (a.label, a.key, *a.names)) for a in TAXONOMY.agencies) == []
    assert _clashes((s.value, status_names(s)) for s in POST_STATUSES) == []
    assert _clashes((s.value, (s.label, *names)) for s, names in STATUS_NAMES.items()) == []


# ------------------------------------------------------------------ organisation types


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Anytown Borough Council", "council"),
        ("Anyshire County Council", "council"),
        ("Anytown City Council", "council"),
        ("Royal Borough of Anyplace", "council"),
        ("Anytown Local Authority", "council"),
        ("Change Grow Live", None),
        ("Humankind", None),
        ("We Are With You", None),
        ("National Probation Service", "probation"),
        ("HMPPS Probation Service", "probation"),
        ("HMPPS", "probation"),
        ("Anyshire Health and Care NHS Foundation Trust", "mental_health_trust"),
        ("Anyshire Partnership NHS Trust", "mental_health_trust"),
        ("Anyshire Mental Health Foundation Trust", "mental_health_trust"),
        ("Safe Homes Domestic Abuse Service", "da_charity"),
        ("Anyshire Women's Aid", "da_charity"),
        ("Anyshire Women’s Aid", "da_charity"),
        ("Anytown Womens Aid", "da_charity"),
        ("Anyplace Refuge", "da_charity"),
        ("Anyshire DV Partnership", "da_charity"),
        ("Anyshire Drug and Alcohol Service", "substance_misuse_provider"),
        ("Anytown Recovery Partnership", "substance_misuse_provider"),
        ("Anyshire Constabulary", "police"),
        ("Blankshire Police", "police"),
    ],
)
def test_an_employers_type_is_read_from_its_name(name, kind):
    assert infer_organisation_type(name) == kind


def test_the_rules_are_tried_strongest_first():
    assert [kind for kind, _phrases in TYPE_RULES] == [
        "police",
        "probation",
        "mental_health_trust",  # "NHS"
        "council",
        "da_charity",
        "substance_misuse_provider",
        "mental_health_trust",  # "Trust", "Mental health", "Health and care"
    ]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        # A police force or probation service is itself, whatever else its name says.
        ("Blankshire Police Domestic Abuse Unit", "police"),
        ("Anyshire Probation Service, County Council offices", "probation"),
        # NHS names the employer even of an NHS-run drug and alcohol service.
        ("Anyshire NHS Drug and Alcohol Service", "mental_health_trust"),
        # A council-run service employs council staff.
        ("Anytown Borough Council Domestic Abuse Service", "council"),
        ("Anyshire County Council Substance Misuse Team", "council"),
        # A charity called a trust is known by its work first.
        ("Anyshire Domestic Abuse Trust", "da_charity"),
        ("Anyplace Drug and Alcohol Trust", "substance_misuse_provider"),
        ("Anyshire Domestic Abuse and Substance Misuse Service", "da_charity"),
    ],
)
def test_when_several_rules_fire_the_strongest_wins(name, kind):
    assert infer_organisation_type(name) == kind
