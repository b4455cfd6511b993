"""Every default in seed/ says where it comes from: a document and its date, or an assumption
with the reason for it. Read straight from the TOML, so an entry no loader reads is checked too,
and through the loaders, which refuse an entry with neither."""

import re
import tomllib
from pathlib import Path

import pytest

from programme.domain.formatting import provenance
from programme.domain.gate_seed import load_gate, parse_gate
from programme.domain.provenance import ASSUMPTION, SeedError, read_provenance
from programme.domain.recruitment import load_establishment, load_taxonomy, parse_taxonomy
from programme.domain.timeline_templates import TemplateError, load_template, parse_template
from programme.domain.training import load_courses, parse_courses
from programme.seed_files import (
    COURSES_FILE,
    DEMO_OUTCOMES_FILE,
    ESTABLISHMENTS_DIR,
    GATE_FILE,
    INDICATORS_FILE,
    ROLES_FILE,
    SEED_DIR,
    TIMELINES_DIR,
)

# Only the papers the project's domain notes quote (Somerset 2020, Lancashire 2021, Bury 2022,
# Dorset 2024, the DfE programme and its Cambridgeshire pilot); anything else is an assumption.
KNOWN_AUTHORS = ("Lancashire", "Somerset", "Bury", "Dorset", "DfE", "Cambridgeshire")
DATED = re.compile(r"\b20\d\d\b")


def _read(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _entries() -> list[tuple[str, dict, tuple[str, str]]]:
    """(where, table, (source field, reason field)) for every entry of every seed file."""
    entries = []
    for path in sorted(TIMELINES_DIR.glob("*.toml")):
        for number, item in enumerate(_read(path)["items"], start=1):
            entries.append((f"{path.name} item {number} ({item['title']})", item, _FIELDS))
    roles = _read(ROLES_FILE)
    for key, agency in roles["agencies"].items():
        entries.append((f"roles.toml agency {key}", agency, _FIELDS))
    for role in roles["roles"]:
        entries.append((f"roles.toml role {role['key']}", role, _FIELDS))
    for path in sorted(ESTABLISHMENTS_DIR.glob("*.toml")):
        entries.append((f"establishments/{path.name}", _read(path), _FIELDS))
    for course in _read(COURSES_FILE)["courses"]:
        where = f"courses.toml course {course['key']}"
        entries.append((where, course, _FIELDS))
        entries.append((f"{where} cost", course, ("cost_source", "cost_reason")))
    for criterion in _read(GATE_FILE)["criteria"]:
        entries.append((f"gate.toml criterion {criterion['key']}", criterion, _FIELDS))
    for indicator in _read(INDICATORS_FILE)["indicators"]:
        entries.append((f"indicators.toml indicator {indicator['key']}", indicator, _FIELDS))
    demo_outcomes = _read(DEMO_OUTCOMES_FILE)
    for target in demo_outcomes["indicators"]:
        entries.append((f"demo-outcomes.toml indicator {target['key']}", target, _FIELDS))
    for drift in demo_outcomes["moving_away"]:
        entries.append((f"demo-outcomes.toml moving away {drift['indicator']}", drift, _FIELDS))
    return entries


_FIELDS = ("source", "reason")
ENTRIES = _entries()


def test_the_seed_files_checked_are_all_there_are():
    checked = {"roles.toml", "courses.toml", "gate.toml", "demo.toml"}
    checked |= {"indicators.toml"}
    checked |= {"demo-outcomes.toml"}
    checked |= {f"timelines/{p.name}" for p in TIMELINES_DIR.glob("*.toml")}
    checked |= {f"establishments/{p.name}" for p in ESTABLISHMENTS_DIR.glob("*.toml")}
    found = {str(p.relative_to(SEED_DIR)) for p in SEED_DIR.rglob("*.toml")}

    # demo.toml is the demo's made-up data, not a default a programme starts with.
    assert found == checked


@pytest.mark.parametrize(("where", "entry", "fields"), ENTRIES, ids=[e[0] for e in ENTRIES])
def test_every_seed_entry_names_its_source_or_says_it_is_an_assumption_and_why(
    where, entry, fields
):
    source_field, reason_field = fields
    source = entry.get(source_field)

    assert source, f"{where}: no `{source_field}`"
    if source == ASSUMPTION:
        assert entry.get(reason_field, "").strip(), f"{where}: an assumption without a reason"
    else:
        for cited in source.split(";"):  # "Somerset ..., 2020; Bury ..., 2022 (IDVAs)"
            assert cited.split()[0] in KNOWN_AUTHORS, f"{where}: unknown source {cited!r}"
            assert DATED.search(cited), f"{where}: {cited!r} needs its date"


def test_the_seed_files_load_with_their_sources():
    template = load_template(TIMELINES_DIR / "lancashire.toml")
    taxonomy = load_taxonomy(ROLES_FILE)
    courses = load_courses(COURSES_FILE)
    gate = load_gate(GATE_FILE)
    establishments = [
        load_establishment(path, [role.key for role in taxonomy.roles])
        for path in ESTABLISHMENTS_DIR.glob("*.toml")
    ]

    assert all(item.provenance for item in template.items)
    assert all(role.provenance for role in taxonomy.roles)
    assert all(agency.provenance for agency in taxonomy.agencies)
    assert all(spec.provenance for spec in establishments)
    assert all(course.provenance and course.cost_provenance for course in courses)
    assert all(criterion.provenance for criterion in gate)


def test_the_defaults_the_issue_names_are_assumptions_with_reasons():
    courses = {course.key: course for course in load_courses(COURSES_FILE)}
    items = {item.title: item for item in load_template(TIMELINES_DIR / "lancashire.toml").items}

    assert courses["fs_workshops"].cost_provenance.is_assumption
    assert courses["mi"].modules_provenance.is_assumption
    assert items["Information governance for the FS Workbook approved"].provenance.is_assumption
    assert items["Improvement partner engaged"].provenance.is_assumption
    recruitment = items["Social work recruitment under way; JDs agreed"]
    assert (recruitment.offset.amount, recruitment.offset.unit) == (6, "months")
    assert recruitment.workstream == "Workforce and recruitment"
    assert recruitment.provenance.source == "Lancashire scrutiny update, March 2021"


def test_no_seed_file_cites_a_file_that_is_not_in_the_repository():
    for path in SEED_DIR.rglob("*.toml"):
        assert "DOMAIN.md" not in path.read_text(encoding="utf-8"), path.name


def test_the_lancashire_timeline_says_the_model_launched_on_1_march_2021():
    text = (TIMELINES_DIR / "lancashire.toml").read_text(encoding="utf-8")

    assert "relaunched 4 January 2021" not in text
    assert "1 March 2021" in load_template(TIMELINES_DIR / "lancashire.toml").description


# --- The loaders refuse an entry with neither ----------------------------------------------------


def test_an_entry_with_no_source_is_refused_naming_the_file_and_entry():
    with pytest.raises(SeedError, match=r"^roles.toml: role sw: needs a `source`"):
        parse_taxonomy(
            '[agencies]\ncouncil = { label = "Council", source = "assumption", reason = "r" }\n'
            '[[roles]]\nkey = "sw"\nname = "Social worker"\n'
        )


def test_an_assumption_without_a_reason_is_refused():
    with pytest.raises(SeedError, match=r"gate.toml: criterion a: an assumption needs a `reason`"):
        parse_gate(
            '[[criteria]]\nkey = "a"\nlabel = "A"\nkind = "gate_milestones"\nthreshold = 100\n'
            'source = "assumption"\n'
        )


def test_a_course_s_cost_needs_its_own_source():
    text = (
        '[[courses]]\nkey = "mi"\nname = "MI"\nsource = "Bury cabinet report, 2022"\n'
        'modules = [{ number = 1, title = "Day 1" }]\n'
    )
    with pytest.raises(SeedError, match=r"courses.toml: course mi cost: needs a `cost_source`"):
        parse_courses(text)


def test_a_template_item_with_no_source_is_refused_by_number():
    text = (
        'key = "t"\nname = "T"\n[[items]]\nworkstream = "Launch"\ntitle = "Go"\n'
        'offset_amount = 0\noffset_unit = "months"\n'
    )
    with pytest.raises(TemplateError, match=r"item 1 \('Go'\): needs a `source`"):
        parse_template(text)


def test_an_establishment_template_with_no_source_is_refused(tmp_path):
    path = tmp_path / "team.toml"
    path.write_text('key = "t"\nname = "T"\n[[posts]]\nrole = "sw"\n', encoding="utf-8")

    with pytest.raises(SeedError, match=r"^team.toml: establishment template t: needs"):
        load_establishment(path, ["sw"])


def test_an_assumption_keeps_its_reason_and_a_source_its_document():
    assumed = read_provenance({"source": " Assumption ", "reason": " Why. "}, "x")
    cited = read_provenance({"source": "Bury cabinet report, 2022"}, "x")

    assert (assumed.source, assumed.reason, assumed.is_assumption) == (ASSUMPTION, "Why.", True)
    assert (cited.source, cited.reason, cited.is_assumption) == (
        "Bury cabinet report, 2022",
        None,
        False,
    )


# --- Shown beside the value ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "reason", "shown"),
    [
        ("Lancashire scrutiny update, March 2021", None, "Lancashire scrutiny update, March 2021"),
        (ASSUMPTION, None, "assumption, change to your own"),
        (ASSUMPTION, "No source gives it; change it", "assumption: no source gives it; change it"),
        ("set by Lancashire", None, "set by Lancashire"),
        (None, None, "no source recorded"),
    ],
)
def test_a_source_reads_beside_its_value(source, reason, shown):
    assert provenance(source, reason) == shown
