"""Slugs and keys: lower-case identifiers made from names, for URLs, the command line and seeds."""

import re
import unicodedata
from collections.abc import Collection

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG_LENGTH = 80


def slugify(name: str) -> str:
    """Return the slug for a name: "South Somerset" -> "south-somerset"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:MAX_SLUG_LENGTH].rstrip("-")


def is_valid_slug(slug: str) -> bool:
    return len(slug) <= MAX_SLUG_LENGTH and bool(SLUG_PATTERN.match(slug))


def name_key(name: str, fallback: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """The key for a name, with underscores: "DA worker" -> "da_worker"; `fallback` for a name
    with no letters or digits."""
    return slugify(name).replace("-", "_")[:max_length].rstrip("_") or fallback


def unique_key(
    base: str, taken: Collection[str], *, separator: str = "-", max_length: int = MAX_SLUG_LENGTH
) -> str:
    """`base` if it is not taken, else the first free of `base-2`, `base-3`, … (with
    `separator`), never longer than `max_length`: the base is shortened to make room."""
    key, number = base[:max_length], 2
    while key in taken:
        suffix = f"{separator}{number}"
        key = base[: max_length - len(suffix)].rstrip(separator) + suffix
        number += 1
    return key
