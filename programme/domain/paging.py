"""Long lists shown a page at a time: which page to show, and where it sits among them all."""

from __future__ import annotations

from dataclasses import dataclass


def page_bounds(requested: int, total: int, per_page: int) -> tuple[int, int]:
    """(the page to show, how many pages): a page before the first shows the first, one past
    the last shows the last; an empty list still has one (empty) page."""
    pages = max(1, -(-total // per_page))
    return min(max(requested, 1), pages), pages


@dataclass(frozen=True)
class PageSpan:
    """Where a page sits: `shown` items of `total`, page `page` of `pages`."""

    shown: int
    total: int  # matching the filters, on every page
    page: int
    pages: int
    per_page: int

    @property
    def first(self) -> int:
        """The position of the page's first item among all that match (1-based; 0 if none)."""
        return (self.page - 1) * self.per_page + 1 if self.shown else 0

    @property
    def last(self) -> int:
        return self.first + self.shown - 1 if self.shown else 0
