"""Matching a file's column headers to the fields an import reads, as a person would read them.

Plain Python. A header matches a field when it is one of the field's names (or the field's own
name) ignoring case, spaces and punctuation ("Post Ref." is "post ref"); failing that, when it
has the same words as one of the names, read the way a person reads a header:

* word order, "&"/"+"/"and" and little words ("of", "the") do not matter: "Stage of
  recruitment" is "Recruitment stage";
* "No", "No.", "Num", "Number", "#", "Ref", "Reference" and "ID" all say "the identifier", so
  "Post No." is "Post ref" and "Vacancy #" is "Vacancy ref"; but "No. of posts" is a count;
* plural and possessive endings do not matter ("Notes", "Holder's"), nor "e-mail"/"email" or
  "-ization"/"-isation".

Fields are matched in the order they are listed and a column serves only one field, so a header
that could be either of two fields goes to the one listed first, and a field that two columns
could be takes the left-most. Every exact match is made before any word match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

__all__ = ["header_key", "header_words", "match_columns"]

_COUNT_OF = re.compile(r"\b(?:number|num|nbr|no)\b\.?\s*of\b")
_EMAIL = re.compile(r"\be\s*-?\s*mail")
_IZE = re.compile(r"iz(e|es|ed|ation|ations)\b")
_WORD = re.compile(r"[a-z0-9]+")
# Words that say "the column identifies the thing": a post number, a vacancy ref, a post ID.
_IDENTIFIER = frozenset({"no", "num", "nbr", "number", "ref", "refs", "reference", "id"})
_LITTLE_WORDS = frozenset({"and", "of", "the", "a", "an", "for", "s"})  # "s": a possessive


def header_key(text: str) -> str:
    """A header reduced for exact comparison: "Post Ref." -> "postref", "E-mail" -> "email".
    Accents are dropped too, so "Référence" matches "Reference"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if char.isalnum())


def _exact_key(text: str) -> str:
    return header_key(text.replace("#", " number "))  # "Post #" is not "Post"


def header_words(text: str) -> frozenset[str]:
    """The words of a header, as compared when the exact names do not match."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    folded = _COUNT_OF.sub(" count ", folded)
    folded = _EMAIL.sub("email", folded)
    folded = _IZE.sub(r"is\1", folded)
    folded = folded.replace("#", " number ").replace("&", " and ").replace("+", " and ")
    words = set()
    for word in _WORD.findall(folded):
        if word in _LITTLE_WORDS:
            continue
        words.add("number" if word in _IDENTIFIER else _singular(word))
    return frozenset(words)


def _singular(word: str) -> str:
    """ "notes" -> "note", "statuses" -> "status", "entries" -> "entry"; "status" stays."""
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def match_columns(
    headers: Sequence[str], field_synonyms: Mapping[str, Sequence[str]]
) -> dict[str, int]:
    """Field -> index of the left-most header matching one of its names (or its own name).

    Exact names first for every field, then the same words (see the module's docstring). Fields
    are matched in the mapping's order and a column serves only one field.
    """
    names = {field: _names(field, synonyms) for field, synonyms in field_synonyms.items()}
    columns: dict[str, int] = {}
    used: set[int] = set()
    keys = [_exact_key(header) for header in headers]
    exact = {field: {_exact_key(name) for name in group} for field, group in names.items()}
    _match(keys, exact, columns, used)
    words = [header_words(header) if header_key(header) else frozenset() for header in headers]
    wanted = {
        field: {header_words(name) for name in group} - {frozenset()}
        for field, group in names.items()
        if field not in columns
    }
    _match(words, wanted, columns, used)
    # Last, a header that gives its column two names or a note ("Role / Job Title", "Employer
    # (host org)", "Start date (exp.)") matches when one of its parts does.
    parts = [header_parts(header) for header in headers]
    for field, accepted in wanted.items():
        if field in columns:
            continue
        for index, alternatives in enumerate(parts):
            if index not in used and any(part in accepted for part in alternatives):
                columns[field] = index
                used.add(index)
                break
    return columns


_PARTS = re.compile(r"[/|()\[\]]")


def header_parts(text: str) -> list[frozenset[str]]:
    """The words of each part of a header split at slashes and brackets; none when it has one."""
    parts = [header_words(part) for part in _PARTS.split(text or "") if header_key(part)]
    return parts if len(parts) > 1 else []


def _names(field: str, synonyms: Sequence[str]) -> tuple[str, ...]:
    if isinstance(synonyms, str):  # a lone string is a Sequence too: don't match its letters
        synonyms = (synonyms,)
    return (field.replace("_", " "), *synonyms)


def _match(keys: Sequence, wanted: Mapping[str, set], columns: dict[str, int], used: set[int]):
    for field, accepted in wanted.items():
        for index, key in enumerate(keys):
            if key and key in accepted and index not in used:
                columns[field] = index
                used.add(index)
                break
