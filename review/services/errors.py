"""The refusals the workflow's services raise, each with the HTTP status a view answers with."""


class WorkflowError(Exception):
    """An action the post's state does not allow now (shown to the user; HTTP 400)."""

    status = 400


class StaleAction(WorkflowError):
    """Someone acted on the post since the user loaded the page (HTTP 409); nothing was changed."""

    status = 409


class SubmitBlocked(WorkflowError):
    """The text holds wording the claims linter blocks, with no justification recorded (HTTP 400)."""

    status = 400

    def __init__(self, message: str, blocked: list):
        self.findings = blocked
        super().__init__(message)


class SigningRefused(WorkflowError):
    """The signature was not made: locked out, lapsed registration (HTTP 403)."""

    status = 403
