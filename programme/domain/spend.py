"""The rules of spend against a budget line, one place for the spend form and the finance
spreadsheet import alike (issue 20, part 1):

- spend of a financial year and category goes against that year's budget line of the category;
  with no such line it is refused naming the missing line; with several, the funding source
  says which;
- a negative amount only as a refund, and a refund is stored negative whichever sign it was
  given with; never £0; at most `LIMIT_PENCE`;
- a description of at most `DESCRIPTION_LENGTH` characters.

Plain Python: a budget line is anything with `id`, `financial_year`, `category` and
`funding_source` (the model, or the import's `BudgetLineRef`). Refusals are ValueErrors whose
text is the sentence to show; the caller names the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

from programme.domain.finance_terms import SPEND_CATEGORIES, category_label
from programme.domain.financial_years import year_label
from programme.domain.formatting import listed, money
from programme.domain.money import LIMIT_PENCE

DESCRIPTION_LENGTH = 300


class LineLike(Protocol):
    id: int
    financial_year: int
    category: str
    funding_source: str


Line = TypeVar("Line", bound=LineLike)


def _same_source(first: str, second: str) -> bool:
    """Funding sources compared as people write them: case and spacing ignored."""
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


def missing_line(year: int, category: str, funding_source: str | None = None) -> str:
    """The refusal for spend in a year and category with no budget line (from that source)."""
    funded_by = f" funded by {funding_source}" if funding_source else ""
    return (
        f"There is no {category_label(category).lower()} budget line for {year_label(year)}"
        f"{funded_by}: add one first."
    )


def category_problem(category: str) -> str | None:
    """Why `category` (a key) is not a spend category, naming the categories; None when it is."""
    if category in SPEND_CATEGORIES:
        return None
    known = listed([label.lower() for label in SPEND_CATEGORIES.values()])
    return f"“{category}” is not a spend category: the categories are {known}."


def find_budget_line(
    lines: Iterable[Line], year: int, category: str, funding_source: str | None = None
) -> tuple[Line | None, str | None]:
    """The one budget line spend of this year and category goes against, or why there is none:
    no line of that year and category; none from `funding_source`; several, and no funding
    source to say which. The messages name the line as the budget page does."""
    candidates = [
        line for line in lines if line.financial_year == year and line.category == category
    ]
    if not candidates:
        return None, missing_line(year, category)
    sources = ", ".join(sorted(line.funding_source for line in candidates))
    source = (funding_source or "").strip()
    if source:
        chosen = [line for line in candidates if _same_source(line.funding_source, source)]
        if not chosen:
            return None, (
                f"There is no {category_label(category).lower()} budget line for "
                f"{year_label(year)} funded by {source} (only by {sources}): add one first."
            )
        return chosen[0], None
    if len(candidates) > 1:
        return None, (
            f"There are {len(candidates)} {category_label(category).lower()} budget lines for "
            f"{year_label(year)} ({sources}): say which funding source the spend is against."
        )
    return candidates[0], None


def stored_amount(pence: int, is_refund: bool, how_to_refund: str) -> int:
    """The amount as stored: a refund negative, whichever sign it was given with. Raises
    ValueError for a negative amount that is not a refund (`how_to_refund` says how the
    person marks one), £0, or more than the limit."""
    if pence < 0 and not is_refund:
        raise ValueError(
            f"{money(pence)} is negative: an amount cannot be negative unless it is a refund. "
            f"{how_to_refund}"
        )
    if pence == 0:
        raise ValueError("The amount is £0: enter an amount other than £0.")
    if abs(pence) > LIMIT_PENCE:
        raise ValueError(f"The amount must be {money(LIMIT_PENCE)} or less.")
    return -abs(pence) if is_refund else pence


def description_problem(description: str) -> str | None:
    if len(description) > DESCRIPTION_LENGTH:
        return f"The description must be {DESCRIPTION_LENGTH} characters or fewer."
    return None
