"""Forms for posts, roles, recruitment settings and spreadsheet imports."""

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from programme.domain.recruitment import MAX_LENGTHS, POST_STATUSES
from programme.forms.base import BaseForm, select_choices

STATUS_CHOICES = select_choices((status.value, status.label) for status in POST_STATUSES)


class PostForm(BaseForm):
    version = HiddenField()
    role = SelectField("Role", coerce=int, choices=[])
    organisation = SelectField(
        "Employing organisation",
        choices=[],
        description="The partner that employs the post holder; its type is the post's category.",
    )
    fte = FloatField(
        "FTE",
        default=1.0,
        validators=[
            InputRequired("Enter the post's FTE, such as 1 or 0.5."),
            NumberRange(0.01, 1, "FTE must be more than 0 and no more than 1, such as 0.5."),
        ],
        description="Full-time equivalent: 1 for full time, 0.5 for half.",
    )
    reference = StringField(
        "Post reference",
        validators=[Optional(), Length(max=MAX_LENGTHS["reference"])],
        description="The reference HR use for this post, if it has one. Imports match on it.",
    )
    status = SelectField("Status", choices=STATUS_CHOICES)
    holder_name = StringField("Post holder", validators=[Length(max=MAX_LENGTHS["holder_name"])])
    holder_email = StringField(
        "Post holder's e-mail address", validators=[Length(max=MAX_LENGTHS["holder_email"])]
    )
    start_date = DateField("Start date", validators=[Optional()])
    notes = TextAreaField("Notes", validators=[Length(max=MAX_LENGTHS["notes"])])


class PostFilterForm(BaseForm):
    """The filters above a locality's posts: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    role = SelectField("Role", choices=[], validate_choice=False)
    status = SelectField("Status", choices=[], validate_choice=False)
    organisation = SelectField("Employing organisation", choices=[], validate_choice=False)
    type = SelectField("Type of employer", choices=[], validate_choice=False)


class EstablishmentForm(BaseForm):
    template = SelectField("Establishment template", choices=[])


class RoleForm(BaseForm):
    name = StringField(
        "Role name", validators=[DataRequired("Enter the role's name."), Length(max=120)]
    )
    adult_specialist = BooleanField(
        "Adult specialist: counts toward the adult specialists recruited threshold"
    )
    agency = SelectField("Usual employing agency", choices=[])
    other_names = TextAreaField(
        "Other names HR spreadsheets use",
        validators=[Length(max=5000)],
        description="One per line, for example IDVA. Imports match them ignoring case and spaces.",
    )


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RecruitedStatusesForm(BaseForm):
    statuses = MultiCheckboxField("Statuses that count as recruited", choices=STATUS_CHOICES)


class UploadForm(BaseForm):
    file = FileField(
        "Spreadsheet",
        validators=[FileRequired("Choose an .xlsx or .csv file to upload.")],
        description="An .xlsx or .csv file. The header row may sit below title rows.",
    )


class ConfirmForm(BaseForm):
    """A button-only form: the CSRF token is its one field."""


class BlankCellsForm(BaseForm):
    """What a blank cell does to a value the import would otherwise change, for one import."""

    blank_cells = RadioField(
        "What should a blank cell do to a value already stored?",
        choices=select_choices(
            [("keep", "Leave the stored value alone"), ("clear", "Clear the stored value")]
        ),
        validators=[InputRequired("Choose what a blank cell does to a stored value.")],
    )


def mapping_form(fields, headers, mapping) -> BaseForm:
    """A choice of column for every field the import reads, preset to what was matched."""

    class ColumnsForm(BaseForm):
        pass

    columns = [("", "Not in this file")] + [
        (str(index), header or f"Column {index + 1} (no header)")
        for index, header in enumerate(headers)
    ]
    for name, spec in fields.items():
        label = f"{spec.label} ({'required' if spec.required else 'optional'})"
        current = mapping.get(name)
        setattr(
            ColumnsForm,
            name,
            SelectField(
                label,
                choices=select_choices(columns),
                default="" if current is None else str(current),
            ),
        )
    return ColumnsForm()
