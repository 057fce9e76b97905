"""Amazon's error bodies.

SP-API (every model's ``ErrorList`` / ``Error``; AMAZON_FACTS.md section 4)::

    {"errors": [{"code": "Unauthorized", "message": "...", "details": "..."}]}

``code`` and ``message`` are required, ``details`` optional.  LWA answers
``{"error": "<code>", "error_description": "..."}`` instead (section 1).
"""

UNAUTHORIZED_MESSAGE = "Access to requested resource is denied."
TOKEN_MISSING = "Access token is missing in the request header."
TOKEN_INVALID = "The access token you provided is revoked, malformed or invalid."
TOKEN_EXPIRED = "The access token you provided has expired."
# The one symptom of an expired LWA client secret users have reported
# (AMAZON_FACTS.md section 1, PipedreamHQ/pipedream#16843).
SECRET_EXPIRED = "The LWA secret token you provided has expired."
QUOTA_MESSAGE = "You exceeded your quota for the requested resource."


def error(code, message, details=None):
    """One ``Error``."""
    entry = {"code": code, "message": message}
    if details:
        entry["details"] = details
    return entry


def errors(code, message, details=None):
    """An ``ErrorList`` of one ``Error``."""
    return {"errors": [error(code, message, details)]}


def unauthorized(details):
    return errors("Unauthorized", UNAUTHORIZED_MESSAGE, details)


def quota_exceeded(message=QUOTA_MESSAGE):
    return errors("QuotaExceeded", message)


def invalid_input(message, details=None):
    return errors("InvalidInput", message, details)


def not_found(path):
    return errors("NotFound", "Resource not found.", f"No resource at {path}.")


def internal_failure(message=None):
    return errors(
        "InternalFailure",
        message or "We encountered an internal error. Please try again.",
    )


def service_unavailable(message=None):
    return errors(
        "ServiceUnavailable", message or "Service is temporarily unavailable."
    )


def not_implemented(operation_id):
    return errors(
        "NotImplemented",
        f"The emulator has no handler for {operation_id}.",
    )


def lwa(code, description):
    """LWA's error body."""
    return {"error": code, "error_description": description}
