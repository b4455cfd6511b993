"""The recruitment pages' tables as downloads: a locality's posts (under the filters the page
shows, in the columns the recruitment import reads back) and the programme's shares by
locality."""

from __future__ import annotations

from programme.domain.export_tables import Column, Emphasis, Table
from programme.services.exports.posts import posts_table
from programme.services.recruitment.overview import LocalityRecruitment, ProgrammeRecruitment

LOCALITY_SHARE_COLUMNS = (
    Column("Locality"),
    Column("Wave", "integer"),
    Column("Go-live date", "date"),
    Column("Adult specialists recruited", "integer"),
    Column("Adult specialist posts", "integer"),
    Column("Share recruited", "percent"),
    Column("Not counted", "wrap"),
)


def locality_posts_table(result: LocalityRecruitment) -> Table:
    """The posts `locality_recruitment` kept under the page's filters, team by team. The page
    shows a post's role, reference, tags, employer, FTE, status, holder and start; the file adds
    the columns the recruitment import needs to read it back unchanged (and no "nothing here"
    row when the filters match nothing, which the import would read as a post)."""
    return posts_table((team.locality, team, post) for team, post in result.rows)


def programme_shares_table(summary: ProgrammeRecruitment) -> Table:
    """`programme_recruitment`: each locality's adult specialists recruited, and the
    programme's, as the page's table and summary show them."""
    rows: list = [
        [
            locality.name,
            locality.wave,
            locality.go_live,
            share.numerator,
            share.denominator,
            _fraction(share),
            summary.explanations.get(locality.id),
        ]
        for locality, share in summary.localities
    ]
    if summary.localities:
        rows.append(
            Emphasis(
                [
                    "Programme",
                    None,
                    None,
                    summary.share.numerator,
                    summary.share.denominator,
                    _fraction(summary.share),
                    summary.explanation,
                ]
            )
        )
    return Table(LOCALITY_SHARE_COLUMNS, rows, "This programme has no localities yet")


def _fraction(share) -> float | None:
    return None if share.denominator == 0 else share.numerator / share.denominator
