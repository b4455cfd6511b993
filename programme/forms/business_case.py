"""Forms for the business case's cost-avoidance scenarios: naming one, and its avoided cost for
each financial year (one money field a year; a blank field: none for that year)."""

from __future__ import annotations

from collections.abc import Sequence

from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from programme.domain.financial_years import year_label
from programme.domain.money import parse_pounds
from programme.forms.base import BaseForm
from programme.services.business_case import NAME_LENGTH, year_field

AMOUNT_LENGTH = 30


class ScenarioForm(BaseForm):
    version = HiddenField()
    name = StringField(
        "Scenario name",
        validators=[
            DataRequired("Enter the scenario's name, for example Low or High."),
            Length(max=NAME_LENGTH, message=f"The name must be {NAME_LENGTH} characters or fewer."),
        ],
        description="For example Low or High, as the business case calls it.",
    )


# The version the page showed: a form without it cannot be checked against later changes.
_VERSION = [DataRequired("the scenario's version is missing")]


class DeleteScenarioForm(BaseForm):
    """The confirmation's button: the version the page showed, and the CSRF token."""

    version = HiddenField(validators=_VERSION)


class AvoidedCostsForm(BaseForm):
    """The avoided cost of each year of `years`: build the form's class with `for_years`."""

    version = HiddenField(validators=_VERSION)
    years: Sequence[int] = ()

    @classmethod
    def for_years(cls, years: Sequence[int]) -> type[AvoidedCostsForm]:
        fields = {
            year_field(year): StringField(year_label(year), validators=[Length(max=AMOUNT_LENGTH)])
            for year in years
        }
        return type("AvoidedCostsFormOfYears", (cls,), {**fields, "years": tuple(years)})

    def year_fields(self) -> list:
        return [self[year_field(year)] for year in self.years]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for year in self.years:
            field = self[year_field(year)]
            if field.errors or not field.data:
                continue
            pence = parse_pounds(field.data, shorthand=True)
            if pence is None:
                field.errors.append(
                    f"Enter the avoided cost for {year_label(year)} in pounds, such as 250000 or "
                    "£1.2m, or leave it blank."
                )
                valid = False
            elif pence < 0:
                field.errors.append(
                    f"The avoided cost for {year_label(year)} cannot be negative: enter 0 or more."
                )
                valid = False
        return valid

    def amounts(self) -> dict[int, int | None]:
        """Each year's avoided cost in pence (None: left blank), once the form is valid. A year
        the submitted form did not carry (the page was drawn before the business case grew) is
        left out, so it keeps what it has."""
        fields = {year: self[year_field(year)] for year in self.years}
        return {
            year: parse_pounds(field.data, shorthand=True) if field.data else None
            for year, field in fields.items()
            if field.raw_data
        }
