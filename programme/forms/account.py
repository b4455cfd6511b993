from wtforms import StringField
from wtforms.validators import StopValidation

from programme.domain.api_tokens import name_problem
from programme.forms.base import BaseForm


def _token_name(_form, field) -> None:
    problem = name_problem(field.data or "")
    if problem:
        raise StopValidation(problem)


class NewTokenForm(BaseForm):
    name = StringField(
        "Token name",
        validators=[_token_name],
        description="Say what will use it, so you know which token to revoke later.",
    )
