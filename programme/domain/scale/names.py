"""Made-up names for the synthetic dataset: places, partners and people."""

from __future__ import annotations

from random import Random

PLACES = (
    "Ashby", "Bramford", "Carlow", "Dunmere", "Eastwick", "Fenby", "Glenham", "Harwood",
    "Ilford Vale", "Jarrow Bank", "Kettleby", "Langmoor", "Marston", "Netherby", "Oakhurst",
    "Penbury", "Queensmere", "Redcliffe", "Stanbridge", "Thornbury", "Upwell", "Ventnor Hill",
    "Westmoor", "Yarmley", "Ashwell", "Brockley", "Colebrook", "Dalston Moor", "Elmstead",
    "Fairlight", "Greystone", "Holloway End", "Ingleby", "Kingsmead", "Lowther", "Millbrook",
)  # fmt: skip
TEAM_AREAS = ("North", "South", "East", "West", "Central", "Coastal", "Valley", "Town")
FIRST_NAMES = (
    "Alex", "Bea", "Cal", "Dana", "Eli", "Fran", "Gus", "Hana", "Ivo", "Jo", "Kit", "Lena",
    "Mo", "Nia", "Oli", "Pip", "Rae", "Sol", "Tam", "Uma", "Vic", "Wyn", "Zoe",
)  # fmt: skip
LAST_NAMES = (
    "Adler", "Bishop", "Carver", "Dunn", "Ellis", "Frost", "Grant", "Hale", "Irwin", "Jory",
    "Kemp", "Lowe", "Marsh", "Nash", "Oakes", "Price", "Quinn", "Reed", "Stone", "Tate",
    "Vance", "Wells", "Yates", "Zeller", "Ashe", "Blake", "Croft", "Drew", "Eames",
)  # fmt: skip
# One employer of each agency type of seed/roles.toml, named after the programme's county.
PARTNERS = {
    "council": "{county} County Council",
    "police": "{county} Constabulary",
    "probation": "{county} Probation Service",
    "mental_health_trust": "{county} Partnership NHS Trust",
    "substance_misuse_provider": "{county} Recovery Service",
    "da_charity": "{county} Women's Aid",
    "other": "{county} Locum Agency",
}


def person(rng: Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def email(first: str, last: str, serial: str, slug: str) -> str:
    """Unique within the programme through its serial (a post reference, a team)."""
    return f"{first}.{last}.{serial}@{slug}.example".lower()
