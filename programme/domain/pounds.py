"""Reading an amount of money a person typed, as business cases and finance papers write it:
"1500", "£1,500.50", "£85k", "£1.097m". The one place such text becomes whole pence."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Larger than any council's programme: a figure past it is a typing slip (pence for pounds).
LIMIT_PENCE = 100_000_000_000  # £1,000,000,000

_MULTIPLIERS = {"": 1, "k": 1_000, "m": 1_000_000}
_AMOUNT = re.compile(r"^(-)?\s*£?\s*(-)?\s*(\d[\d,]*(?:\.\d*)?|\.\d+)\s*([km]?)$", re.IGNORECASE)
# Thousands separators only between groups of three: "1,500" and "1,500,000", not "15,00".
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")


def parse_pounds(text: str | None) -> int | None:
    """`text` as whole pence (negative when it starts with a minus), or None when it is not an
    amount of money or names a fraction of a penny ("£10.005")."""
    match = _AMOUNT.match((text or "").strip())
    if match is None or (match.group(1) and match.group(2)):
        return None
    digits = match.group(3)
    if "," in digits and not _GROUPED.match(digits):
        return None
    try:
        pounds = Decimal(digits.replace(",", "")) * _MULTIPLIERS[match.group(4).lower()]
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimal digits
        return None
    pence = pounds * 100
    if pence != pence.to_integral_value():
        return None
    return -int(pence) if match.group(1) or match.group(2) else int(pence)
