"""Forms for outcome indicators: adding one, a locality's baseline and target, and a value."""

from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from programme.domain.indicator_units import UNITS
from programme.domain.outcomes import (
    DESCRIPTION_LENGTH,
    FREQUENCY_LABELS,
    GROUP_LABELS,
    NAME_LENGTH,
)
from programme.forms.base import BaseForm, select_choices

NUMBER_LENGTH = 30
DIRECTIONS = {"lower": "Lower is better (a fall is the improvement)", "higher": "Higher is better"}


class IndicatorForm(BaseForm):
    name = StringField(
        "Name",
        validators=[DataRequired("Enter the indicator's name."), Length(max=NAME_LENGTH)],
        description="For example, Children looked after per 10,000 children.",
    )
    unit = SelectField("Unit", choices=select_choices((k, v[0]) for k, v in UNITS.items()))
    direction = SelectField("Which way is better", choices=select_choices(DIRECTIONS.items()))
    frequency = SelectField(
        "How often a value is recorded", choices=select_choices(FREQUENCY_LABELS.items())
    )
    group = SelectField("Group", choices=select_choices(GROUP_LABELS.items()))
    description = TextAreaField(
        "Description",
        validators=[Length(max=DESCRIPTION_LENGTH)],
        description="What is counted and when, so every locality records the same thing.",
    )


class TargetForm(BaseForm):
    version = HiddenField()
    baseline_value = StringField(
        "Baseline value",
        validators=[Length(max=NUMBER_LENGTH)],
        description="The value before the model, in the indicator's unit.",
    )
    baseline_on = DateField(
        "Baseline date",
        validators=[Optional()],
        description="When the baseline was measured, for example 2025-03-31.",
    )
    target_value = StringField(
        "Target value",
        validators=[Length(max=NUMBER_LENGTH)],
        description="The value the locality aims for. Leave it blank to give a % change instead.",
    )
    target_change_percent = StringField(
        "Target change from the baseline (%)",
        validators=[Length(max=NUMBER_LENGTH)],
        description="For example -30 for a 30% fall. Leave it blank when you give a value.",
    )


class ValueForm(BaseForm):
    version = HiddenField()
    period = StringField(
        "Period",
        validators=[Length(max=NUMBER_LENGTH)],
        description="The month, for example 2026-05 or May 2026.",
    )
    value = StringField("Value", validators=[Length(max=NUMBER_LENGTH)])
