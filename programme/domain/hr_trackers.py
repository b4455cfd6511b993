"""What HR recruitment trackers call their columns, and the post fields a row may set. The
recruitment import (`recruitment_import.py`) plans rows with these."""

from __future__ import annotations

from programme.domain.imports import ImportField

FIELDS: dict[str, ImportField] = {
    "reference": ImportField(
        "Post reference",
        (
            "Post ref",
            "Post reference",
            "Post ref no",
            "Reference",
            "Ref",
            "Post ID",
            "Post number",
            "Position number",
            "Position ref",
            "Vacancy ref",
        ),
    ),
    "locality": ImportField(
        "Locality",
        ("Locality", "Service area", "Office", "Area", "Location", "Base", "District"),
        required=True,
    ),
    "team": ImportField("Team", ("Team", "Team name", "FS team"), required=True),
    "role": ImportField(
        "Role", ("Role", "Job title", "Post title", "Job role", "Position", "Post"), required=True
    ),
    # Matched to the programme's partner organisations by name or alternative name, or by a
    # type ("Council", "NHS trust") when the programme has one organisation of that type.
    "organisation": ImportField(
        "Employing organisation",
        (
            "Employing organisation",
            "Employing organization",
            "Employer",
            "Employer name",
            "Employing agency",
            "Employing body",
            "Organisation",
            "Organization",
            "Organisation name",
            "Agency",
            "Partner agency",
            "Partner organisation",
            "Partner",
            "Provider",
            "Seconding organisation",
            "Seconded from",
        ),
    ),
    "fte": ImportField("FTE", ("FTE", "WTE", "Hours (FTE)", "FTE hours")),
    "status": ImportField(
        "Status",
        ("Status", "Current status", "Recruitment status", "Stage", "Progress"),
        required=True,
    ),
    "holder_name": ImportField(
        "Post holder",
        (
            "Post holder",
            "Postholder",
            "Name",
            "Employee",
            "Employee name",
            "Candidate",
            "Appointee",
            "Worker",
            "Staff name",
        ),
    ),
    "holder_email": ImportField(
        "Post holder's e-mail",
        ("Email", "E-mail", "Email address", "Work email", "Post holder email"),
    ),
    "start_date": ImportField(
        "Start date",
        ("Start date", "Start", "Date started", "Expected start", "Start date (expected)"),
    ),
    "notes": ImportField("Notes", ("Notes", "Comments", "Comment", "Update", "Latest update")),
}

# The post fields a row may set; team and role come from the locality, team and role columns.
POST_FIELDS = (
    "team_id",
    "role_id",
    "reference",
    "organisation_id",
    "fte",
    "status",
    "holder_name",
    "holder_email",
    "start_date",
    "notes",
)
OPTIONAL_POST_FIELDS = (
    "reference",
    "organisation",
    "fte",
    "holder_name",
    "holder_email",
    "start_date",
    "notes",
)
