"""Dates, times and percentages are formatted in one place, `programme/domain/formatting.py`, and
templates compute nothing: a second copy of a date format drifts from the house style."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORMATTING = ROOT / "programme" / "domain" / "formatting.py"

# strftime, an f-string date format ({day:%B %Y}) or a date format string ("%d/%m/%Y").
PYTHON_DATE_FORMAT = re.compile(r"strftime|\{[^{}\n]*:%[A-Za-z]|%[dmY][ /-]%[bBmdY]")
# A percentage written by hand in an f-string: f"{share.actual}%".
PYTHON_PERCENT = re.compile(r"\}%")

# Data, not display, may keep its own format. Each entry says why.
ALLOWED = {
    "programme/domain/csv_export.py": "CSV cells carry dates as dd/mm/yyyy so Excel in a UK "
    "locale reads them as dates: a data format, like ISO in JSON",
}

TEMPLATE_RULES = {
    "formats a date by hand (use long_date, short_date, local_time, clock_time)": re.compile(
        r"strftime|\.format\("
    ),
    "puts a % after a figure (use the percent filter)": re.compile(r"\}\}\s*%|~\s*'%'"),
    "does date arithmetic (put the figure in the view model)": re.compile(
        r"\.days\b|\s-\s*today\b"
    ),
    "pluralises by hand (use the count filter)": re.compile(r"else\s*'s'|else\s*\"s\""),
}


def _python_modules() -> list[Path]:
    modules = (ROOT / "programme").rglob("*.py")
    return sorted(path for path in modules if "migrations" not in path.parts)


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("module", _python_modules(), ids=_relative)
def test_only_the_formatting_module_formats_dates_and_percentages(module):
    if module == FORMATTING or _relative(module) in ALLOWED:
        return
    offending = [
        f"{_relative(module)}:{number}: {line.strip()}"
        for number, line in enumerate(module.read_text(encoding="utf-8").splitlines(), 1)
        if PYTHON_DATE_FORMAT.search(line) or PYTHON_PERCENT.search(line)
    ]
    assert offending == [], "format dates and percentages with programme.domain.formatting"


@pytest.mark.parametrize("template", sorted((ROOT / "templates").rglob("*.html")), ids=_relative)
def test_templates_format_through_filters_and_compute_nothing(template):
    text = template.read_text(encoding="utf-8")
    broken = [
        f"{_relative(template)}:{text.count(chr(10), 0, found.start()) + 1} {rule}"
        for rule, pattern in TEMPLATE_RULES.items()
        for found in pattern.finditer(text)
    ]
    assert broken == []


def test_each_allowed_exception_is_still_needed():
    for path in ALLOWED:
        assert PYTHON_DATE_FORMAT.search((ROOT / path).read_text(encoding="utf-8")), path


def test_the_guard_catches_a_hand_formatted_date():
    assert PYTHON_DATE_FORMAT.search('f"{go_live.day} {go_live:%B %Y}"')
    assert PYTHON_DATE_FORMAT.search("value.strftime('%d/%m/%Y')")
    assert PYTHON_DATE_FORMAT.search('"%Y-%m-%d"')
    assert not PYTHON_DATE_FORMAT.search('f"{count:,} rows" + "%"')
    assert PYTHON_PERCENT.search('f"{result.actual}% ({share.numerator} of {share.denominator})"')
    assert TEMPLATE_RULES["puts a % after a figure (use the percent filter)"].search(
        "{{ criterion.threshold }}%"
    )


# A percentage has one rule wherever a person reads it: a whole number, rounded down. A template
# giving the percent or share filters decimal places (percent(1), share_text(1), places=1) breaks
# it.
PERCENT_PLACES = re.compile(r"\|\s*(?:percent|share_text)\s*\(\s*\d|\bplaces\s*=\s*\d")


@pytest.mark.parametrize("template", sorted((ROOT / "templates").rglob("*.html")), ids=_relative)
def test_templates_show_percentages_as_whole_numbers(template):
    text = template.read_text(encoding="utf-8")
    assert PERCENT_PLACES.findall(text) == []


# Words never break mid-word: no hyphenation, no breaking anywhere in a word. A long unbroken
# string (an e-mail address, a file name) may wrap with overflow-wrap: break-word.
MID_WORD_BREAKS = re.compile(r"hyphens\s*:\s*auto|overflow-wrap\s*:\s*anywhere|word-break\s*:")


def test_stylesheets_never_break_ordinary_words():
    for sheet in sorted((ROOT / "static").rglob("*.css")):
        rules = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S)
        assert MID_WORD_BREAKS.findall(rules) == [], _relative(sheet)
