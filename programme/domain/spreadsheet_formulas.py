"""The formula cells of a workbook's sheets as openpyxl (not ``data_only``) gives them: "=" and the
formula's text, a shared formula translated to each cell. python-calamine gives only a formula's
cached result, so `read_table` lays these over calamine's values; only the formula cells are
parsed, with regular expressions over sheet XML that `spreadsheet_scan.py` has already checked.

An error value (#N/A) is openpyxl's text only where it is a formula's cached result: an error
typed as a value, a data table formula, a formula cell without its reference or with a carriage
return, raise `NotAsOpenpyxl` and openpyxl reads the file.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile

from programme.domain.spreadsheet_calamine import NotAsOpenpyxl

_FORMULA_START = re.compile(rb"<f[\s>/]")
_ERROR_VALUE = re.compile(rb"""\st\s*=\s*["']e["']""")
_FORMULA = re.compile(rb"<f(\s[^>]*?)?(?:/>|>(.*?)</f>)", re.DOTALL)
_ATTRIBUTE = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REFERENCE = re.compile(r"([A-Z]{1,3})(\d{1,7})")
_SHEET = re.compile(rb"<sheet\s[^>]*>")
_RELATIONSHIP = re.compile(rb"<Relationship\s[^>]*>")


def formula_cells(data: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet name -> {(row, column) 1-based: openpyxl's value for a formula cell, unstripped}."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = _sheet_parts(archive)
            if not set(parts.values()) <= set(archive.namelist()):  # never calamine's values
                raise NotAsOpenpyxl("a sheet whose part could not be found")
            return {name: _sheet_formulas(archive.read(part)) for name, part in parts.items()}
    except NotAsOpenpyxl:
        raise
    except Exception as error:  # a damaged workbook: openpyxl says so in today's words
        raise NotAsOpenpyxl(f"its formulas could not be read ({type(error).__name__})") from error


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    targets = {}
    for tag in _RELATIONSHIP.findall(archive.read("xl/_rels/workbook.xml.rels")):
        attributes = _attributes(tag)
        target = attributes.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        targets[attributes.get("Id")] = posixpath.normpath(path)
    parts = {}
    for tag in _SHEET.findall(archive.read("xl/workbook.xml")):
        attributes = _attributes(tag)
        relation = next((value for key, value in attributes.items() if key.endswith(":id")), "")
        parts[attributes.get("name", "")] = targets.get(relation, "")
    return parts


def _sheet_formulas(xml: bytes) -> dict[tuple[int, int], str]:
    """Only the formula cells are looked at (a few in a tracker: its totals), in sheet order."""
    formulas: dict[tuple[int, int], str] = {}
    shared: dict[str, object] = {}  # si -> openpyxl's Translator of the first cell's formula
    for start in _FORMULA_START.finditer(xml):
        attributes = _attributes(_cell_tag(xml, start.start()))
        reference = _REFERENCE.fullmatch(attributes.get("r", ""))
        if reference is None:
            raise NotAsOpenpyxl("a formula cell without its reference")
        formula = _FORMULA.match(xml, start.start())
        if formula is None:
            raise NotAsOpenpyxl("a formula that could not be read")
        formulas[_position(reference)] = _formula_value(formula, reference.group(0), shared)
    for error in _ERROR_VALUE.finditer(xml):
        body = xml[error.end() : xml.find(b"</c>", error.end())]
        if _FORMULA_START.search(body) is None:  # typed, not a formula's result
            raise NotAsOpenpyxl("error values")
    return formulas


def _cell_tag(xml: bytes, before: int) -> bytes:
    start = max(xml.rfind(b"<c ", 0, before), xml.rfind(b"<c>", 0, before))
    return xml[start : xml.find(b">", start) + 1] if start != -1 else b""


def _formula_value(formula: re.Match, reference: str, shared: dict[str, object]) -> str:
    """As openpyxl's WorksheetReader.parse_formula, then xlsx_value."""
    from openpyxl.formula.translate import Translator  # noqa: PLC0415 (only for formulas)

    attributes = _attributes(formula.group(1) or b"")
    raw = formula.group(2)
    if b"\r" in (raw or b""):  # an XML parser would make it \n
        raise NotAsOpenpyxl("a formula with a carriage return")
    value = "=" + (html.unescape(raw.decode()) if raw else "")
    kind = attributes.get("t")
    if kind == "dataTable":
        raise NotAsOpenpyxl("a data table formula")
    if kind == "shared":
        index = attributes.get("si")
        if index in shared:
            return shared[index].translate_formula(reference)
        if value != "=":
            shared[index] = Translator(value, reference)
    if kind == "array" and value != value.strip():  # openpyxl keeps an array's text unstripped
        raise NotAsOpenpyxl("an array formula with spaces around it")
    return value


def _attributes(tag: bytes) -> dict[str, str]:
    return {
        name.decode(): html.unescape((double or single).decode())
        for name, double, single in _ATTRIBUTE.findall(tag)
    }


def _position(reference: re.Match) -> tuple[int, int]:
    number = 0
    for letter in reference.group(1):
        number = number * 26 + ord(letter) - ord("A") + 1
    return int(reference.group(2)), number


def lay_over(values: list[list], formulas: dict[tuple[int, int], str]) -> None:
    """Puts the formulas into calamine's rows (which end at the last cell with a cached value:
    a formula saved without one, as openpyxl writes them, may lie beyond)."""
    for (row, column), formula in formulas.items():
        values.extend([] for _ in range(row - len(values)))
        cells = values[row - 1]
        cells.extend("" for _ in range(column - len(cells)))
        cells[column - 1] = formula
