"""Reading an amount of money as finance spreadsheets and people write it, into whole pence.

Accepted: "1234", "1234.5", "1,234.56", "£1,234.56", "£ 1 234.56" (spaces as thousands
separators), "-1,200", "-£1,200", "£-1,200", "(1,200.00)" and "(£1,200.00)" (accountants'
brackets for a negative amount). "1,200.00 CR" is not: whether "CR" means a credit depends on
whose ledger it is, so a refund is said in its own column instead.

Refused (None): blank text, a percentage ("12%"), fractions of a penny ("12.345"), misplaced
thousands separators ("1,23"), anything else. Shorthand ("£85k", "£1.097m", as business cases
write) only where a person types a figure (`shorthand=True`): a figure in a ledger is written in
full, and "k" read as thousands there would turn a typo into £1,000s.
"""

from __future__ import annotations

import re
from decimal import Decimal

# Larger than any council's programme: a figure past it is a typing slip (pence for pounds).
LIMIT_PENCE = 100_000_000_000  # £1,000,000,000

_NUMBER = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$")
_SHORT_NUMBER = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_SHORTHAND = {"k": 1_000, "m": 1_000_000}
_SPACED = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?:\D|$))")


def parse_pounds(text: str | None, shorthand: bool = False) -> int | None:
    """`text` as whole pence (negative for a negative amount), or None when it is not money.
    With `shorthand`, "k" and "m" after the figure mean thousands and millions."""
    if text is None:
        return None
    text = _SPACED.sub("", text.strip())
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    for _ in range(2):  # a sign and a pound sign, in either order: "-£5", "£-5"
        if text[:1] in ("-", "−", "–") and not negative:
            negative, text = True, text[1:].strip()
        elif text[:1] in ("+", "£"):
            text = text[1:].strip()
    if shorthand and text[-1:].lower() in _SHORTHAND:
        value = _shorthand_pence(text[:-1].strip(), _SHORTHAND[text[-1:].lower()])
    else:
        value = _pence(text)
    if value is None:
        return None
    return -value if negative else value


def _pence(text: str) -> int | None:
    if _NUMBER.match(text) is None:
        return None
    pounds, _, pence = text.partition(".")
    return int(pounds.replace(",", "")) * 100 + int((pence + "00")[:2] if pence else 0)


def _shorthand_pence(text: str, multiplier: int) -> int | None:
    """ "1.097" thousands or millions as pence, None for a fraction of a penny."""
    if _SHORT_NUMBER.match(text) is None:
        return None
    pence = Decimal(text.replace(",", "")) * multiplier * 100
    return int(pence) if pence == pence.to_integral_value() else None


def pounds_from_number(value: float | int) -> int | None:
    """A number cell (Excel stores money as a float) as whole pence; None when it holds a
    fraction of a penny (12.345) or is not finite."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value * 100
    if value != value or value in (float("inf"), float("-inf")):
        return None
    pence = round(value * 100)
    if abs(pence - value * 100) > 1e-6 * max(1.0, abs(value)):
        return None
    return pence
