"""The domain modules stay plain Python: no web framework, no database session."""

import ast
from pathlib import Path

import pytest

DOMAIN_DIR = Path(__file__).resolve().parents[2] / "programme" / "domain"
FORBIDDEN = ("flask", "sqlalchemy", "werkzeug", "programme.extensions", "programme.models")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", sorted(DOMAIN_DIR.glob("*.py")), ids=lambda path: path.name)
def test_domain_module_imports_no_framework_or_database(module):
    offending = [
        name
        for name in _imported_modules(module)
        if any(name == banned or name.startswith(banned + ".") for banned in FORBIDDEN)
    ]
    assert offending == []
