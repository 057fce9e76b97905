"""eBay's failures, normalised into a few exception types the models act on.

Messages are built from eBay's own error texts and never from request
headers or bodies, so a token or a secret cannot leak into a log line or a
message shown to staff.
"""


class EbayError(Exception):
    """Base class: an eBay call did not succeed.

    :param message: text for staff, already free of secrets
    :param status: HTTP status (0 when no response arrived)
    :param errors: eBay's ``errors[]`` entries (dicts), if any
    :param request_id: the correlation id sent with the call
    """

    retryable = False

    def __init__(self, message, status=0, errors=None, request_id=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.errors = list(errors or [])
        self.request_id = request_id

    @property
    def error_ids(self):
        return [e.get("errorId") for e in self.errors if e.get("errorId") is not None]

    @property
    def user_message(self):
        ids = ", ".join(str(i) for i in self.error_ids)
        return f"{self.message} (eBay error {ids})" if ids else self.message

    def __str__(self):
        return self.user_message


class EbayTransientError(EbayError):
    """eBay or the network failed for now (5xx, timeout, dropped connection)."""

    retryable = True

    def __init__(self, *args, retry_after=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.retry_after = retry_after


class EbayRateLimited(EbayTransientError):
    """HTTP 429: a call limit was reached; wait ``retry_after`` seconds."""


class EbayAuthError(EbayError):
    """The credentials or tokens were refused (401/403, invalid_grant...).

    ``oauth_error`` carries the OAuth error code (``invalid_grant``,
    ``invalid_client``) when the token endpoint refused.
    """

    def __init__(self, *args, oauth_error=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.oauth_error = oauth_error

    @property
    def needs_reauthorisation(self):
        """True when only a new consent by the seller can fix it."""
        return self.oauth_error == "invalid_grant"


class EbayValidationError(EbayError):
    """eBay refused the request's data (4xx with errorIds): do not retry."""


class EbayNotFound(EbayError):
    """The resource does not exist on eBay (404)."""


def actionable(err):
    """The message to show staff for an EbayError (advice + eBay's words)."""
    from .messages import actionable_message

    return actionable_message(err.errors, default=err.message)
