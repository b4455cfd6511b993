"""Personal API tokens as plain values: how a token is made, and what is kept of it.

Only a token's SHA-256 hash is stored, with a short prefix so people can tell their tokens apart;
the token itself is shown once, when it is made. A token carries 256 random bits, so a fast hash
is enough: there is no guessable secret for a slow hash to protect, as there is with a password.
"""

from __future__ import annotations

import hashlib
import secrets

# Marks the app's tokens, so a person (or a secret scanner) can recognise one in a script.
TOKEN_MARK = "fst_"
# What is shown of a token to tell it apart: the mark and 8 of its 43 random characters.
PREFIX_LENGTH = len(TOKEN_MARK) + 8
NAME_MAX = 100


def new_token() -> str:
    """A fresh token: the mark and 32 random bytes from `secrets`, URL-safe."""
    return TOKEN_MARK + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored of a token, and what a presented token is looked up by."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def display_prefix(token: str) -> str:
    """The start of a token, safe to show: too short to guess the rest from."""
    return token[:PREFIX_LENGTH]


def name_problem(name: str) -> str | None:
    """Why `name` cannot name a token, or None when it can."""
    if not name.strip():
        return "Enter a name for the token, such as the script or service that will use it."
    if len(name.strip()) > NAME_MAX:
        return f"The name must be at most {NAME_MAX} characters."
    return None
