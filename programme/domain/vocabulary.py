"""Matching the words people write to the values a programme knows: roles, statuses,
localities, teams, organisations, courses and attendance words.

Two names match when they reduce to the same set of tokens (`tokens`): case, accents,
punctuation, word order, "&" for "and", the abbreviations in `ABBREVIATIONS`, and plural and
possessive endings never matter. Nothing looser is a match: a name that only comes close is a
suggestion (`Vocabulary.suggest`), which a person confirms. Every import resolves names here,
so the recruitment, staff and attendance imports agree on what a cell means.

`infer_organisation_type` reads an employer's kind from its name ("… Borough Council" is a
council), for an organisation the programme has not met yet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from programme.domain.formatting import listed
from programme.domain.numbers import whole_number
from programme.domain.spreadsheet import nearest, normalise

# Abbreviations councils' HR trackers, sign-in sheets and partners' names use, each written out
# as its words. A key of several words matches those words in a row ("d & a" is d, and, a).
# Left out on purpose: "CSW" (consultant social worker in Family Safeguarding teams, but
# children's social worker elsewhere: the roles' own names say which a programme means), "Adv"
# (advanced or advisor), "Cons" and "Psych" (consultant or consultation; psychologist or
# psychiatrist).
ABBREVIATIONS: dict[tuple[str, ...], tuple[str, ...]] = {
    # Family Safeguarding's own words (the domain notes' glossary).
    ("da",): ("domestic", "abuse"),
    ("dv",): ("domestic", "violence"),
    ("mh",): ("mental", "health"),
    ("fs",): ("family", "safeguarding"),
    ("mi",): ("motivational", "interviewing"),
    # Independent Domestic Violence Advisor: English services write Advisor, Adviser and
    # Advocate for the same post, so all three are one (see VARIANTS).
    ("idva",): ("independent", "domestic", "violence", "advisor"),
    # Drug and alcohol, written "D&A", "D & A" or "D and A".
    ("d", "and", "a"): ("drug", "and", "alcohol"),
    # Job titles as HR systems shorten them to fit a column.
    ("sw",): ("social", "worker"),
    ("ssw",): ("senior", "social", "worker"),
    ("tm",): ("team", "manager"),
    ("fsw",): ("family", "support", "worker"),
    ("snr",): ("senior",),
    ("sr",): ("senior",),
    ("jnr",): ("junior",),
    ("mgr",): ("manager",),
    ("mngr",): ("manager",),
    ("coord",): ("coordinator",),  # "Co-ord" arrives here too: "co" joins the next word
    ("prac",): ("practitioner",),
    ("wkr",): ("worker",),
    ("asst",): ("assistant",),
    ("admin",): ("administrator",),
    # Employers: "Anyshire CC" is not expanded (county or city council?), these are unambiguous.
    ("la",): ("local", "authority"),
    ("ft",): ("foundation", "trust"),
}

# Spellings of one word, applied after the abbreviations: "adviser" and "advisor" are one word,
# and a domestic violence or abuse "advocate" is the same post as its "advisor" (IDVA).
VARIANTS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("adviser",): ("advisor",),
    ("violence", "advocate"): ("violence", "advisor"),
    ("abuse", "advocate"): ("abuse", "advisor"),
    ("program",): ("programme",),
    ("organization",): ("organisation",),
}

# Words that say nothing about which value is meant. Short words that do ("a" in "Team A",
# "in" in "In post", "on" in "On hold", "not", "to") are kept.
STOP_WORDS = frozenset({"and", "the", "of", "for"})

# Prefixes written joined, hyphenated or apart ("coordinator", "co-ordinator", "co ordinator";
# "pre-employment", "pre employment"): always joined to the next word.
PREFIXES = frozenset({"co", "pre", "non", "re", "sub", "multi"})

# Words ending in s that are not plurals (short words, and "-ss", "-us", "-is", are never cut).
NOT_PLURAL = frozenset({"hmpps", "news", "always", "series", "species", "lens", "perhaps"})

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_POSSESSIVE = re.compile(r"(?<=\w)'s\b|(?<=s)'(?!\w)")
_WORD = re.compile(r"[a-z0-9]+|[&+]")
# An acronym written with dots ("W.C.C.", "H.M.P.P.S") is the acronym.
_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}[a-z]?\b\.?")


@lru_cache(maxsize=16384)
def tokens(text: str) -> frozenset[str]:
    """The words a name is made of, reduced so that two ways of writing one name give one set:
    "Snr Practitioner" and "senior practitioners" both give {"senior", "practitioner"}.

    Cached: a spreadsheet repeats its values, so each distinct cell text is reduced once."""
    plain = unicodedata.normalize("NFKD", str(text).lower().translate(_APOSTROPHES))
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    plain = _POSSESSIVE.sub("", plain).replace("'", "")  # "IDVA's" -> "idva", "didn't" -> "didnt"
    plain = _DOTTED.sub(lambda acronym: acronym.group().replace(".", ""), plain)
    words = ["and" if word in ("&", "+") else _number(word) for word in _WORD.findall(plain)]
    words = [_singular(word) for word in _joined(words)]
    words = _replaced(_replaced(words, ABBREVIATIONS), VARIANTS)
    return frozenset(word for word in words if word not in STOP_WORDS)


def _number(word: str) -> str:
    number = whole_number(word)
    return word if number is None else str(number)  # "Team 01" is "Team 1"


def _joined(words: list[str]) -> list[str]:
    joined: list[str] = []
    for word in words:
        if joined and joined[-1] in PREFIXES and word.isalpha() and word not in STOP_WORDS:
            joined[-1] += word
        else:
            joined.append(word)
    return joined


def _singular(word: str) -> str:
    """A plural's singular: "workers" -> "worker", "agencies" -> "agency", "IDVAs" -> "idva"."""
    if not word.endswith("s") or word in NOT_PLURAL or word.endswith(("ss", "us", "is")):
        return word
    if len(word) < 4:  # "yes", "nhs", "dbs"; but "SWs" and "TMs" are plurals of abbreviations
        return word[:-1] if (word[:-1],) in ABBREVIATIONS else word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    return word[:-1]


def _replaced(words: list[str], table: dict[tuple[str, ...], tuple[str, ...]]) -> list[str]:
    longest = max(len(key) for key in table)
    out: list[str] = []
    at = 0
    while at < len(words):
        for size in range(min(longest, len(words) - at), 0, -1):
            found = table.get(tuple(words[at : at + size]))
            if found is not None:
                out.extend(found)
                at += size
                break
        else:
            out.append(words[at])
            at += 1
    return out


@dataclass(frozen=True)
class Candidate:
    """A known value a name may mean, with the label the programme shows for it."""

    value: Any
    label: str


# A suggestion by shared words needs at least half of all the words of both names in common.
_OVERLAP_CUTOFF = 0.5
_SUGGESTIONS_KEPT = 4096


class Vocabulary:
    """Known values, each looked up by its label or any of its other names.

    A text names a value when its tokens are exactly the tokens of one of that value's names.
    When two values have a name with the same tokens, the text is ambiguous and names neither
    (`find_all` says which). Anything else is at most a suggestion."""

    def __init__(self) -> None:
        self._by_tokens: dict[frozenset[str], list[Candidate]] = {}
        self._spellings: dict[str, str] = {}  # a name as written -> its value's label
        self._suggestions: dict[str, str | None] = {}

    def add(self, value: Any, label: str, names: Iterable[str] = ()) -> None:
        for name in (label, *names):
            key = tokens(name)
            if key:
                known = self._by_tokens.setdefault(key, [])
                if all(candidate.value != value for candidate in known):
                    known.append(Candidate(value, label))
            self._spellings.setdefault(name, label)
        self._suggestions.clear()

    def find_all(self, text: str) -> list[Candidate]:
        """Every value one of whose names has the text's tokens: one for a match, two or more
        when the text is ambiguous, none when it names nothing known."""
        return list(self._by_tokens.get(tokens(text), ()))

    def ambiguity(self, text: str, label: str) -> str | None:
        """Why a text that names several values names none, for the user ("The role “X” is
        ambiguous: it matches both “A” and “B”."); None when it names fewer than two."""
        candidates = [f"“{candidate.label}”" for candidate in self.find_all(text)]
        if len(candidates) < 2:
            return None
        both = "both " if len(candidates) == 2 else ""
        return f"The {label} “{text}” is ambiguous: it matches {both}{listed(candidates)}."

    def find(self, text: str) -> Any | None:
        """The one value the text names, or None (unknown or ambiguous)."""
        found = self._by_tokens.get(tokens(text), ())
        return found[0].value if len(found) == 1 else None

    def suggest(self, text: str) -> str | None:
        """The label of the value the text most likely means, for "Did you mean …?": the first
        of an ambiguous text's values; else the value with a name sharing the largest share
        of words, half of them at least ("Drug & Alcohol Recovery Worker" shares three of four
        with "Drug and alcohol worker"); else the closest spelling ("Psycologist"); else None."""
        if text not in self._suggestions:
            if len(self._suggestions) >= _SUGGESTIONS_KEPT:  # a vocabulary may live long
                self._suggestions.clear()
            self._suggestions[text] = self._suggestion(text)
        return self._suggestions[text]

    def _suggestion(self, text: str) -> str | None:
        written = tokens(text)
        if not written:
            return None
        if found := self._by_tokens.get(written):
            return found[0].label
        best, best_score = None, (0.0, 0)
        for key, known in self._by_tokens.items():
            shared = len(written & key)
            score = (shared / len(written | key), shared)
            if shared and score > best_score:  # ties keep the name added first
                best, best_score = known[0].label, score
        if best is not None and best_score[0] >= _OVERLAP_CUTOFF:
            return best
        # Spelling distance means little for a name of one or two letters ("SW", "y").
        spellings = [name for name in self._spellings if len(normalise(name)) > 2]
        closest = nearest(text, spellings)
        return self._spellings[closest] if closest else None


# What an employer's name says about its kind, strongest first: the first rule with a word in
# the name decides. A police force or probation service is never anything else, whatever else
# its name says; "NHS" names the health service; a council-run service ("Anytown Borough Council
# Drug and Alcohol Service") employs council staff; the words of domestic abuse and substance
# misuse services come next; "Trust" and "Health" alone are weakest ("The Forward Trust" is a
# substance misuse charity, and says so only by its work). Each rule is a list of token sets: a
# name with all the tokens of one set fires it.
TYPE_RULES: tuple[tuple[str, tuple[frozenset[str], ...]], ...] = tuple(
    (kind, tuple(tokens(words) for words in phrases))
    for kind, phrases in (
        ("police", ("police", "constabulary")),
        ("probation", ("probation", "hmpps", "nps", "community rehabilitation company")),
        ("mental_health_trust", ("nhs",)),
        ("council", ("council", "borough", "local authority")),
        ("da_charity", ("domestic abuse", "domestic violence", "women's aid", "refuge")),
        ("substance_misuse_provider", ("drug", "alcohol", "substance", "recovery", "addiction")),
        ("mental_health_trust", ("trust", "mental health", "health and care")),
    )
)


def infer_organisation_type(name: str) -> str | None:
    """The organisation type (an agency key of seed/roles.toml) an employer's name shows, or
    None when it shows none ("Change Grow Live"): the caller falls back to the role's usual
    employer."""
    words = tokens(name)
    for kind, phrases in TYPE_RULES:
        if any(phrase <= words for phrase in phrases):
            return kind
    return None
