"""The kinds of team a locality has, with what each is called."""

TEAM_KINDS = {
    "family_safeguarding": "Family Safeguarding team",
    "area": "Area adult practitioners",
    "county": "County-wide team",
}
