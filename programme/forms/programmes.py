from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from programme.forms.base import BaseForm, select_choices
from programme.forms.recruitment import MultiCheckboxField
from programme.services.localities import TEAM_KINDS

SLUG_HINT = (
    "Lower-case letters and numbers joined by hyphens. Leave blank to make one from the name."
)


class ProgrammeForm(BaseForm):
    name = StringField(
        "Programme name", validators=[DataRequired("Enter the programme's name."), Length(max=200)]
    )
    slug = StringField(
        "Short name for links (slug)",
        validators=[Optional(), Length(max=80)],
        description=SLUG_HINT,
    )


class LocalityForm(BaseForm):
    name = StringField(
        "Locality name", validators=[DataRequired("Enter the locality's name."), Length(max=200)]
    )
    slug = StringField(
        "Short name for links (slug)",
        validators=[Optional(), Length(max=80)],
        description=SLUG_HINT,
    )
    wave = IntegerField(
        "Wave",
        validators=[Optional(), NumberRange(1, 99, "Wave must be a whole number from 1 to 99.")],
        description="The roll-out wave this locality belongs to, for example 1.",
    )
    go_live = DateField(
        "Go-live date",
        validators=[DataRequired("Enter the go-live date as a real date.")],
        description="The date the locality starts working the Family Safeguarding model.",
    )
    confirm_past_go_live = BooleanField("Yes, the go-live date is in the past")


class LocalityEditForm(LocalityForm):
    slug = None  # the slug is fixed once links exist


class TeamServesForm(BaseForm):
    """Which other localities of its programme a team serves (a county-wide or shared team)."""

    serves_all = BooleanField(
        "It serves every locality of the programme, including any added later"
    )
    serves = MultiCheckboxField("Or the other localities it serves", choices=[])


class TeamForm(BaseForm):
    name = StringField(
        "Team name", validators=[DataRequired("Enter the team's name."), Length(max=200)]
    )
    kind = SelectField("Kind of team", choices=select_choices(TEAM_KINDS.items()))
    establishment = SelectField(
        "Create its posts from",
        choices=[],
        description="An establishment template creates the team's posts in one step.",
    )
    serves_all = TeamServesForm.serves_all
    serves = TeamServesForm.serves


class WorkstreamLeadForm(BaseForm):
    lead = SelectField("Workstream lead", choices=[], validate_choice=False)
