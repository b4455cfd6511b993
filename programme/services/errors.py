"""Errors a service raises for the view or CLI to show; each message is one readable sentence."""


class ServiceError(Exception):
    """The request was understood but refused. `field` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    pass


class StaleEdit(Conflict):
    """Someone else saved the record after this form was opened."""


class NeedsConfirmation(ServiceError):
    """Allowed, but only once the user confirms (e.g. a go-live date in the past)."""
