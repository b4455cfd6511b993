"""The words of the business case: spend categories and the usual funding sources."""

from __future__ import annotations

# Each category of budget and spend, with the name people see, in the order pages show them.
SPEND_CATEGORIES: dict[str, str] = {
    "training": "Training",
    "staffing": "Staffing",
    "systems": "Systems",
    "improvement_partner": "Improvement partner",
    "other": "Other",
}

# The funding sources forms suggest; a budget line may name any other.
FUNDING_SOURCES: tuple[str, ...] = (
    "Council",
    "DfE grant",
    "Social care grant",
    "Public health",
    "Partner contribution",
)


def category_label(key: str) -> str:
    return SPEND_CATEGORIES.get(key, key.replace("_", " ").capitalize())
