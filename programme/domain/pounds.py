"""Amounts of money as people type them ("£1,500", "1500.50", "-250") read as whole pence."""

from __future__ import annotations

import re

_AMOUNT = re.compile(r"^([-−–]?)\s*£?\s*([-−–]?)\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$")


def parse_pounds(text: str | None) -> int | None:
    """Pence from an amount in pounds: "£1,500.50" -> 150050, "-£250" -> -25000, "12.5" -> 1250.
    None when it is not an amount (more than two decimal places, letters, misplaced commas)."""
    match = _AMOUNT.match((text or "").strip())
    if match is None or (match.group(1) and match.group(2)):
        return None
    pounds = int(match.group(3).replace(",", ""))
    pence = int((match.group(4) or "0").ljust(2, "0"))
    total = pounds * 100 + pence
    return -total if match.group(1) or match.group(2) else total
