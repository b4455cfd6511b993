"""Every kind of security event has words, including every kind the code records."""

import re
from pathlib import Path

from programme.domain.security_events import KIND_LABELS, kind_label
from programme.models.security import SecurityEvent

ROOT = Path(__file__).resolve().parents[2] / "programme"
# security_log.record("sign_in", ...) or record("kind", ...) after `from ... import record`, and
# SecurityEvent(kind="refused", ...).
_RECORDED = re.compile(r"""(?:security_log\.record\(\s*|kind=)["']([a-z0-9_]+)["']""")


def _kinds_in_code() -> set[str]:
    found = set()
    for path in ROOT.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if "security_log" in source or "SecurityEvent" in source:
            found.update(_RECORDED.findall(source))
    return found


def _kinds_in_model_comment() -> set[str]:
    source = (ROOT / "models" / "security.py").read_text(encoding="utf-8")
    listed = re.search(r"# (sign_in,.*?)\.\.\.", source, re.S).group(1)
    return {word.strip(" ,#\n") for word in re.split(r"[,\n]", listed) if word.strip(" ,#\n")}


def test_every_kind_the_code_records_or_the_model_names_has_words():
    kinds = _kinds_in_code() | {k.split(" ")[0] for k in _kinds_in_model_comment()}
    assert "refused" in kinds
    missing = sorted(kind for kind in kinds if kind not in KIND_LABELS)
    assert missing == [], f"add words for these security event kinds: {missing}"


def test_the_kinds_of_the_brief_all_have_words():
    for kind in (
        "sign_in",
        "sign_in_failed",
        "sign_in_slowed",
        "sign_in_refused",
        "two_factor_on",
        "two_factor_off",
        "recovery_code_used",
        "recovery_codes_regenerated",
        "session_expired",
        "refused",
    ):
        assert KIND_LABELS[kind][0].isupper()


def test_an_unknown_kind_reads_humanised_never_as_a_key():
    assert kind_label("api_token_misused") == "Api token misused"
    assert kind_label("sign_in_failed") == "Sign-in failed"


def test_the_kind_column_holds_every_kind():
    assert max(map(len, KIND_LABELS)) <= SecurityEvent.__table__.c.kind.type.length
