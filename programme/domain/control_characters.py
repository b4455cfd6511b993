"""Control characters in text that people send: no keyboard types them, PostgreSQL refuses a NUL
in text with an error, and in a CSV export or a log they can act as terminal escapes.

Refused: the C0 controls (U+0000-U+001F), DEL (U+007F) and the C1 controls (U+0080-U+009F, U+009B
is a terminal's CSI). Multi-line text (a text area, a note) may hold TAB, LF and CR.
"""

from __future__ import annotations

import re

_ANY = re.compile("[\x00-\x1f\x7f-\x9f]")
_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

CANNOT_BE_TYPED = "contains a character that cannot be typed (a control character)"


def has_control(text: str, *, multi_line: bool = False) -> bool:
    """Whether `text` holds a control character (TAB, LF and CR allowed when `multi_line`)."""
    return (_IN_TEXT if multi_line else _ANY).search(text) is not None


def without_controls(text: str) -> str:
    return _ANY.sub("", text)
