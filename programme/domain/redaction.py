"""Replacing a person's name and e-mail address wherever text holds them (erasure, issue 16).

Plain Python: a `Redaction` knows the words to find (every name and address the person was
known by) and what each becomes ("Erased person N", erased-person-N@erased.invalid), and rewrites
strings, JSON values (keys too) and the text inside .xlsx/.csv files."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from html import escape
from typing import Any

ERASED_DOMAIN = "erased.invalid"
# Words this short would match inside other words: a name is only replaced whole.
SHORTEST = 3


def erased_label(number: int) -> str:
    return f"Erased person {number}"


def erased_email(number: int) -> str:
    return f"erased-person-{number}@{ERASED_DOMAIN}"


@dataclass
class Redaction:
    number: int
    names: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return erased_label(self.number)

    @property
    def email(self) -> str:
        return erased_email(self.number)

    def _pairs(self) -> list[tuple[str, str]]:
        # Addresses first (an address may contain the name), longest first.
        pairs = [(email, self.email) for email in self.emails if len(email) >= SHORTEST]
        pairs += [(name, self.label) for name in self.names if len(name.strip()) >= SHORTEST]
        return sorted(pairs, key=lambda pair: (pair[1] != self.email, -len(pair[0])))

    @property
    def needles(self) -> list[str]:
        """Every word to look for, as stored text might hold it (JSON escapes non-ASCII)."""
        words = [word for word, _ in self._pairs()]
        escaped = [json.dumps(word)[1:-1] for word in words]
        return sorted({word.lower() for word in words + escaped})

    def text(self, value: str) -> str:
        for word, replacement in self._pairs():
            pattern = rf"(?<!\w){re.escape(word)}(?!\w)"
            value = re.sub(pattern, replacement, value, flags=re.IGNORECASE)
        return value

    def value(self, value: Any) -> Any:
        """A JSON value with every string (and key) redacted."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, dict):
            return {
                self.text(k) if isinstance(k, str) else k: self.value(v) for k, v in value.items()
            }
        return value

    def mentioned_in(self, blob: bytes | None) -> bool:
        """Whether a stored file (a .csv, or an .xlsx read inside its zip) holds a word."""
        if not blob:
            return False
        texts = [blob]
        if zipfile.is_zipfile(io.BytesIO(blob)):
            with zipfile.ZipFile(io.BytesIO(blob)) as archive:
                texts = [archive.read(name) for name in archive.namelist()]
        words = [word for word, _ in self._pairs()]
        for data in texts:
            text = data.decode("utf-8", "replace").lower()
            if any(w.lower() in text or escape(w).lower() in text for w in words):
                return True
        return False
