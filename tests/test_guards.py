"""Guards on the code itself: one clock, one table of roles, and a domain free of the framework
and the database. Each reads the source, so a stray copy fails the suite the day it is written."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from programme.domain.permissions import ROLES

ROOT = Path(__file__).resolve().parents[1]
CLOCK = ROOT / "programme" / "clock.py"
PERMISSIONS = ROOT / "programme" / "domain" / "permissions.py"
MIGRATIONS = ROOT / "programme" / "migrations"
CLOCK_CALLS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
}


def _python_files(*folders: str) -> Iterator[Path]:
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if MIGRATIONS not in path.parents:  # migrations are history, written once
                yield path


def _tree(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _stray_clock_calls(path: Path) -> list[str]:
    found = []
    where = path.relative_to(ROOT) if ROOT in path.parents else path.name
    for node in ast.walk(_tree(path)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute):
            owner = func.value
            owner_name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
            if (owner_name, func.attr) in CLOCK_CALLS or func.attr == "utcnow":
                found.append(f"{where}:{node.lineno} {owner_name}.{func.attr}()")
        elif isinstance(func, ast.Name) and func.id == "utcnow":
            found.append(f"{where}:{node.lineno} utcnow()")
    return found


def test_dates_and_times_come_only_from_the_clock():
    stray = [
        call
        for path in _python_files("programme", "tests", "bench", "scripts")
        if path != CLOCK
        for call in _stray_clock_calls(path)
    ]
    assert stray == [], "take the date or time from programme/clock.py instead"


def test_the_guard_sees_each_way_of_reading_the_real_clock(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import datetime as dt\nfrom datetime import date, datetime\n"
        "a = datetime.now()\nb = date.today()\nc = dt.datetime.utcnow()\nd = dt.date.today()\n"
        "e = utcnow()\n"
    )
    assert len(_stray_clock_calls(sample)) == 5


def _role_collections(path: Path) -> list[str]:
    """Collections (and SQL strings) naming two or more roles, and roles compared by name."""
    found = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Set | ast.List | ast.Tuple | ast.Dict):
            items = node.keys if isinstance(node, ast.Dict) else node.elts
            named = {
                item.value
                for item in items
                if isinstance(item, ast.Constant) and item.value in ROLES
            }
            if len(named) >= 2:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {sorted(named)}")
        elif _is_sql_naming_roles(node):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} SQL naming roles")
        elif _compares_a_role_by_name(node):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} a role compared by name")
    return found


def _is_sql_naming_roles(node: ast.AST) -> bool:
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return False
    return sum(f"'{role}'" in node.value for role in ROLES) >= 2


def _compares_a_role_by_name(node: ast.AST) -> bool:
    """`user.role == "trainer"` and the like: a rule the permission table should hold."""
    if not isinstance(node, ast.Compare):
        return False
    sides = [node.left, *node.comparators]
    names_a_role = any(isinstance(side, ast.Constant) and side.value in ROLES for side in sides)
    reads_a_role = any(
        (isinstance(side, ast.Attribute) and side.attr == "role")
        or (isinstance(side, ast.Name) and side.id == "role")
        for side in sides
    )
    return names_a_role and reads_a_role


def test_roles_are_listed_only_in_the_permission_table():
    copies = [
        found
        for path in _python_files("programme")
        if path != PERMISSIONS
        for found in _role_collections(path)
    ]
    assert copies == [], "ask programme.domain.permissions (permits, ROLES) instead"


def test_the_permission_table_names_only_known_roles():
    from programme.domain.permissions import PERMISSIONS as TABLE

    for action, roles in TABLE.items():
        assert roles <= set(ROLES), action


DOMAIN_FORBIDDEN = (
    "flask",
    "sqlalchemy",
    "werkzeug",
    "programme.extensions",
    "programme.models",
    "programme.services",
    "programme.views",
    "programme.clock",  # the domain is given `today`; it never reads a clock
)


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "module", sorted((ROOT / "programme" / "domain").rglob("*.py")), ids=lambda path: path.name
)
def test_the_domain_imports_neither_the_framework_nor_the_database(module):
    offending = [
        name
        for name in _imports(module)
        if any(name == banned or name.startswith(banned + ".") for banned in DOMAIN_FORBIDDEN)
    ]
    assert offending == []
