"""Password rules following NCSC/NIST guidance: long enough, not common, no composition rules."""

import gzip
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 256
# zxcvbn scores 0-4; below 2 means guessable within about a million tries.
MIN_GUESSABILITY_SCORE = 2


# zxcvbn is imported where it is used: its word lists take ~0.05 s to load, and only setting a
# password needs them, not every command and worker at start-up.
@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def _guessability_score(password: str, personal_words: list[str]) -> int:
    from zxcvbn import zxcvbn

    return zxcvbn(password[:100], user_inputs=personal_words)["score"]


# 20,000 common passwords from breaches, shipped offline (see programme/data/NOTICE).
BREACHED_LIST = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt.gz"
BREACHED = (
    "That password is too common: it appears in lists of passwords exposed in data breaches. "
    "Choose another, for example three random words."
)


@lru_cache(maxsize=1)
def _breached_passwords() -> frozenset[str]:
    with gzip.open(BREACHED_LIST, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip().lower() for line in lines if line.strip())


def is_breached(password: str) -> bool:
    return password.lower() in _breached_passwords()


def password_problems(password: str, personal_words: Iterable[str] = ()) -> list[str]:
    """Return why `password` is refused (an empty list when it is acceptable)."""
    if len(password) < MIN_LENGTH:
        return [f"Password must be at least {MIN_LENGTH} characters long."]
    if len(password) > MAX_LENGTH:
        return [f"Password must be {MAX_LENGTH} characters or fewer."]
    if password.lower() in _common_passwords():
        return ["That password is too common. Choose another, for example three random words."]
    if is_breached(password):
        return [BREACHED]
    inputs = [word for word in personal_words if word]
    if _guessability_score(password, inputs) < MIN_GUESSABILITY_SCORE:
        return ["That password is too easy to guess. Try three random words together."]
    return []
