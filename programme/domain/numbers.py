"""Reading a whole number a person or a page sent (a query argument, a hidden field, a cookie).

`str.isdigit()` (and `str.isdecimal()`) accept digits from every script, such as "²" or "٣",
and `int()` refuses some of them: a check then `int()` can raise on a hand-edited URL. This is
the one place such text becomes a number: plain ASCII digits only, anything else is None.
"""

from __future__ import annotations


def whole_number(text: str | None) -> int | None:
    """`text` as a non-negative whole number when it is only ASCII digits, else None."""
    if not text or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def signed_whole_number(text: str | None) -> int | None:
    """`text` as a whole number, with an optional leading minus or plus sign, else None."""
    text = (text or "").strip()
    sign = -1 if text.startswith("-") else 1
    number = whole_number(text[1:] if text[:1] in ("-", "+") else text)
    return None if number is None else sign * number
