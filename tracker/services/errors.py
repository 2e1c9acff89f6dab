"""Errors the services raise; the web and CLI layers turn them into a 400,
403 or 404 with a readable message. None of them leaves a change behind."""


class ServiceError(Exception):
    status = 400

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class ValidationFailed(ServiceError):
    """Bad field values. `invalid` is the colander.Invalid tree when there is
    one (Deform renders it next to the fields)."""

    def __init__(self, message, errors=None, invalid=None):
        super().__init__(message, errors)
        self.invalid = invalid


class NotAllowed(ServiceError):
    status = 403


class KeptFailure(ValidationFailed):
    """A refusal whose trace must be committed although the request fails
    (a wrong current password counts towards the lockout and is logged)."""

    keep = True


class NotFound(ServiceError):
    status = 404


class Unavailable(ServiceError):
    """A helper the request needs (LibreOffice) failed; try again later."""

    status = 503


class TransitionUnavailable(ServiceError):
    """The transition exists but cannot be taken now (state or guard)."""

    status = 409
