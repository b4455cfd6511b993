"""Forms for the business case's money: a budget line, and spend against one."""

from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from programme.domain.financial_years import parse_year
from programme.domain.money import parse_pounds
from programme.domain.spend import DESCRIPTION_LENGTH
from programme.forms.base import BaseForm, select_choices
from programme.services.finance.budget_lines import NOTE_LENGTH, SOURCE_LENGTH

AMOUNT_LENGTH = 30


def _pounds(field, message: str) -> None:
    if parse_pounds(field.data, shorthand=True) is None:
        raise ValidationError(message)


class BudgetLineForm(BaseForm):
    version = HiddenField()
    financial_year = StringField(
        "Financial year",
        validators=[
            DataRequired("Enter the financial year, for example 2025/26."),
            Length(max=20),
        ],
        description="April to March, for example 2025/26.",
    )
    category = SelectField(
        "Category", choices=[], validators=[DataRequired("Choose the category.")]
    )
    funding_source = StringField(
        "Funding source",
        validators=[
            DataRequired("Enter the funding source, for example DfE grant."),
            Length(max=SOURCE_LENGTH),
        ],
        description="Who pays for it, for example Council, DfE grant, Public health or "
        "Partner contribution.",
    )
    organisation_id = SelectField(
        "Paying partner organisation",
        choices=[],
        description="When a partner's contribution pays for the line.",
    )
    amount = StringField(
        "Budget in pounds",
        validators=[
            DataRequired("Enter the budget in pounds, such as 655000."),
            Length(max=AMOUNT_LENGTH),
        ],
        description="For example 655000 or £655,000.",
    )
    forecast = StringField(
        "Forecast outturn in pounds (optional)",
        validators=[Length(max=AMOUNT_LENGTH)],
        description="What the year is now expected to cost, if not the budget.",
    )
    note = TextAreaField("Note (optional)", validators=[Length(max=NOTE_LENGTH)])

    def validate_financial_year(self, field) -> None:
        if field.data and parse_year(field.data) is None:
            raise ValidationError("Enter the financial year like 2025/26.")

    def validate_amount(self, field) -> None:
        if field.data:
            _pounds(field, "Enter the budget in pounds, such as 655000 or £655,000.50.")

    def validate_forecast(self, field) -> None:
        if field.data:
            _pounds(field, "Enter the forecast in pounds, such as 600000, or leave it blank.")


class SpendForm(BaseForm):
    version = HiddenField()
    budget_line = SelectField(
        "Budget line",
        choices=[],
        validators=[DataRequired("Choose the budget line the spend is against.")],
        description="The year, category and funding source it is spent from.",
    )
    quarter = SelectField(
        "Quarter",
        validators=[DataRequired("Choose the quarter, 1 to 4 (Q1 is April to June).")],
        choices=select_choices(
            [
                ("", "Choose the quarter"),
                ("1", "Q1 (April to June)"),
                ("2", "Q2 (July to September)"),
                ("3", "Q3 (October to December)"),
                ("4", "Q4 (January to March)"),
            ]
        ),
    )
    amount = StringField(
        "Amount in pounds",
        validators=[
            DataRequired("Enter the amount in pounds, such as 1500."),
            Length(max=AMOUNT_LENGTH),
        ],
        description="For example 1500 or £1,500.50. For a refund, enter the amount refunded.",
    )
    is_refund = BooleanField("This is a refund")
    description = StringField(
        "Description (optional)",
        validators=[Length(max=DESCRIPTION_LENGTH)],
        description="For example the invoice or what it paid for.",
    )

    def validate_amount(self, field) -> None:
        if field.data:
            _pounds(field, "Enter the amount in pounds, such as 1500 or £1,500.50.")


class EditSpendForm(SpendForm):
    """A spend entry stays with its budget line (delete it and record it again to move it)."""

    budget_line = None
