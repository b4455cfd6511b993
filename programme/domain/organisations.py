"""Partner organisations' names: when two names are the same one, and an organisation's list of
alternative names kept clean.

Plain Python, so the organisation pages and the imports compare names by the same rule.
"""

from __future__ import annotations

from collections.abc import Iterable

from programme.domain.vocabulary import tokens

# The longest name, alternative name and contact an organisation may have (the columns' sizes).
NAME_LENGTH = 200
CONTACT_LENGTH = 200


def name_key(name: str) -> str:
    """What two names must share to be the same name: the same words, as imports match them
    (case, punctuation, word order, plurals and the abbreviations of `vocabulary.py` aside:
    "Safe Homes DA Service" is "Safe Homes Domestic Abuse Service"), so no two organisations
    have names an import cannot tell apart."""
    return " ".join(sorted(tokens(name)))


def clean_names(names: Iterable[str], *own: str) -> list[str]:
    """Alternative names, trimmed, blanks and repeats dropped (ignoring case and punctuation),
    without the names in `own` (the organisation's own name), in the order given."""
    seen = {name_key(name) for name in own}
    cleaned = []
    for name in (entry.strip() for entry in names):
        key = name_key(name)
        if key and key not in seen:
            seen.add(key)
            cleaned.append(name)
    return cleaned


def merged_names(into_name: str, into_names: Iterable[str], source: Iterable[str]) -> list[str]:
    """An organisation's alternative names once another (its name and alternative names, in
    `source`) is merged into it: its own first, then the other's that it lacks."""
    return clean_names([*into_names, *source], into_name)
