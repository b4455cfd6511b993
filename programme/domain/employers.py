"""The employer a tracker's row names: a partner organisation the programme knows, one whose name
is close to a known one, or a new partner organisation to add.

Real trackers name employers ("Change Grow Live", "Anyshire Health and Care NHS Foundation
Trust"), not categories, and a new programme knows none of them yet. An employer the programme
does not know is therefore not an error: the import proposes it as a new organisation, once per
file however it is spelt, with a type inferred from its name or else from the row's role.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from programme.domain.spreadsheet import CellValue, cell_text, normalise, parse_date
from programme.domain.vocabulary import infer_organisation_type, tokens


@dataclass(frozen=True)
class OrganisationRef:
    id: int
    name: str
    type: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True, order=True)
class NewOrganisation:
    """An organisation the import will add; rows name it until it has an id."""

    name: str
    type: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "type": self.type}


@dataclass(frozen=True)
class CloseMatch:
    written: str
    organisation: OrganisationRef


# Words that say what standing or form a body has, not which body nor what kind: a name that
# differs from a known one only by these ("Anytown Council" / "Anytown Borough Council") is close
# to it. Words of kind (council, NHS, trust, police) are not among them: "Westshire NHS Trust" is
# not "Westshire County Council".
GENERIC_WORDS = frozenset(
    tokens(
        "borough county city district metropolitan foundation partnership service services "
        "ltd limited cic uk group"
    )
)


def _is_typo(written: str, known: str) -> bool:
    """One letter added, dropped, changed, or two swapped ("Unt"/"Unit", "Chnage"/"Change");
    never in a short word, where one letter makes another word."""
    if min(len(written), len(known)) < 3 or abs(len(written) - len(known)) > 1:
        return False
    if len(written) == len(known):
        differ = [i for i, (a, b) in enumerate(zip(written, known, strict=True)) if a != b]
        swapped = (
            len(differ) == 2
            and differ[1] == differ[0] + 1
            and written[differ[0]] == known[differ[1]]
            and written[differ[1]] == known[differ[0]]
        )
        return len(differ) == 1 or swapped
    shorter, longer = sorted((written, known), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def is_close(written: frozenset[str], known: frozenset[str]) -> bool:
    """Whether a name written in a file is a known name written otherwise: the same
    distinctive words, give or take the generic ones and a typo in one word. "Eastshire County
    Council" is not "Westshire County Council", nor "North Anytown Council" "South Anytown"."""
    mine, theirs = written - GENERIC_WORDS, known - GENERIC_WORDS
    if not mine or not theirs or mine == theirs:
        return bool(mine) and mine == theirs and written != known
    only_mine, only_theirs = mine - theirs, theirs - mine
    if len(only_mine) != 1 or len(only_theirs) != 1:
        return False
    return _is_typo(next(iter(only_mine)), next(iter(only_theirs)))


@dataclass
class Employers:
    """One file's employers that the programme does not know by name: each is matched to the
    one known organisation it is close to, or proposed as a new organisation, once however it
    is spelt. `types` are the types the user chose for new organisations (by name as written)."""

    known: Mapping[int, OrganisationRef] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    new: dict[frozenset[str], NewOrganisation] = field(default_factory=dict)
    # The rows that name each new organisation, rejected rows too (the preview lists them).
    rows: dict[NewOrganisation, list[int]] = field(default_factory=dict)
    close: dict[str, CloseMatch] = field(default_factory=dict)
    # A file names few employers on many rows: each spelling is compared with the known ones once.
    _close_by_text: dict[str, OrganisationRef | None] = field(default_factory=dict)

    def resolve(self, text: str, role_type: str | None, row: int = 0) -> int | NewOrganisation:
        """The close known organisation's id, or the new organisation the name proposes (also
        when the user chose a type for it, saying it is not the close one)."""
        if text in self.types:
            self._close_by_text[text] = None
        elif text not in self._close_by_text:
            self._close_by_text[text] = self._close_match(text)
        match = self._close_by_text[text]
        if match is not None:
            self.close.setdefault(normalise(text), CloseMatch(text, match))
            return match.id
        key = tokens(text)
        if key not in self.new:
            kind = self.types.get(text) or infer_organisation_type(text) or role_type or "other"
            self.new[key] = NewOrganisation(text, kind)
        new = self.new[key]
        self.rows.setdefault(new, []).append(row)
        return new

    def _close_match(self, text: str) -> OrganisationRef | None:
        written = tokens(text)
        close = {
            organisation.id
            for organisation in self.known.values()
            for name in (organisation.name, *organisation.names)
            if is_close(written, tokens(name))
        }
        return self.known[close.pop()] if len(close) == 1 else None

    @property
    def added(self) -> list[NewOrganisation]:
        return list(self.new.values())


def is_not_a_name(value: CellValue) -> bool:
    """A number or a date where an employer's name should be (a mis-mapped column)."""
    if isinstance(value, int | float | date | datetime):
        return True
    text = cell_text(value)
    if not text:
        return False
    try:
        float(text.replace(",", "").rstrip("%"))
        return True
    except ValueError:
        pass
    try:
        return parse_date(text) is not None
    except ValueError:
        return False


def column_refusal(column: str, values: Iterable[CellValue]) -> str | None:
    """One sentence refusing an employer column that holds only numbers or dates, or None."""
    filled = [value for value in values if cell_text(value)]
    if filled and all(is_not_a_name(value) for value in filled):
        return (
            f"The column “{column}” holds only numbers or dates, not employers' names: choose "
            "the column that names each post's employing organisation, or none."
        )
    return None
