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
            "Job ref",
            "Requisition ref",
            "Establishment ref",
        ),
    ),
    "locality": ImportField(
        "Locality",
        (
            "Locality",
            "Service area",
            "Office",
            "Area",
            "Location",
            "Base",
            "District",
            "Hub",
            "Patch",
            "Area office",
            "Locality name",
        ),
        required=True,
    ),
    "team": ImportField(
        "Team", ("Team", "Team name", "FS team", "Service team", "Unit"), required=True
    ),
    "role": ImportField(
        "Role",
        (
            "Role",
            "Job title",
            "Post title",
            "Job role",
            "Position",
            "Post",
            "Role title",
            "Position title",
            "Vacancy title",
            "Job",
            "Post type",
            "Designation",
        ),
        required=True,
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
            "Partner",
            "Partner organisation",
            "Employing body",
            "Host organisation",
            "Seconding organisation",
            "Provider",
            "Seconded from",
        ),
    ),
    "fte": ImportField(
        "FTE",
        (
            "FTE",
            "WTE",
            "Hours (FTE)",
            "FTE hours",
            "Full time equivalent",
            "Whole time equivalent",
            "FTE %",
        ),
    ),
    "status": ImportField(
        "Status",
        (
            "Status",
            "Current status",
            "Recruitment status",
            "Stage",
            "Progress",
            "Recruitment stage",
            "Current stage",
            "Vacancy status",
            "Post status",
            "Recruitment progress",
        ),
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
            "Staff member",
            "Successful candidate",
            "Postholder name",
            "Post holder name",
        ),
    ),
    "holder_email": ImportField(
        "Post holder's e-mail",
        ("Email", "E-mail", "Email address", "Work email", "Post holder email", "Postholder email"),
    ),
    "start_date": ImportField(
        "Start date",
        (
            "Start date",
            "Start",
            "Date started",
            "Expected start",
            "Start date (expected)",
            "Expected start date",
            "Anticipated start date",
            "Planned start date",
            "Actual start date",
            "Date of start",
        ),
    ),
    "notes": ImportField(
        "Notes",
        ("Notes", "Comments", "Comment", "Update", "Latest update", "Remarks", "Commentary"),
    ),
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
