from wtforms import EmailField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from programme.forms.base import BaseForm, select_choices


class ErasureForm(BaseForm):
    email = EmailField(
        "E-mail address of the person to erase",
        validators=[DataRequired("Enter the person's e-mail address."), Length(max=254)],
        description="Their user account, their staff records in every programme and the posts "
        "they hold are erased together.",
    )
    reason = TextAreaField(
        "Reason for erasing",
        validators=[DataRequired("Enter the reason for erasing this person."), Length(max=400)],
        description="Kept in the audit trail. For example: an erasure request received on a "
        "date, with its reference. Do not write the person's name.",
    )


class SubjectAccessForm(BaseForm):
    email = EmailField(
        "E-mail address",
        validators=[DataRequired("Enter the e-mail address."), Length(max=254)],
    )
    format = SelectField(
        "Format",
        choices=select_choices([("xlsx", "Excel workbook (.xlsx)"), ("json", "JSON (.json)")]),
    )
