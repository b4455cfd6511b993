"""A locality's posts as a CSV download, in the columns the recruitment import reads back."""

from __future__ import annotations

from programme.services.recruitment.overview import LocalityRecruitment
from programme.services.recruitment.roles import agency_label

POSTS_CSV_HEADERS = (
    "Post ref",
    "Locality",
    "Team",
    "Role",
    "Adult specialist",
    "Employing organisation",
    "Organisation type",
    "FTE",
    "Status",
    "Post holder",
    "Email",
    "Start date",
    "Frozen",
    "Notes",
)


def posts_csv_rows(result: LocalityRecruitment) -> list[list]:
    """The filtered posts as rows under POSTS_CSV_HEADERS; the import reads these columns back."""
    return [
        [
            post.reference,
            result.locality.name,
            team.name,
            post.role.name,
            post.role.adult_specialist,
            post.organisation.name,
            agency_label(post.organisation.type),
            post.fte,
            post.status_label,
            post.holder_name,
            post.holder_email,
            post.start_date,
            post.frozen,
            post.notes,
        ]
        for team, post in result.rows
    ]
