"""eBay's failures, normalised into a few exception types the models act on.

Each one is also one of apiclient's channel-neutral bases (an
``EbayRateLimited`` is a :class:`apiclient.RateLimited`), so neutral code
can act on the kind of failure without naming eBay.  Messages are built
from eBay's own error texts and never from request headers or bodies, so a
token or a secret cannot leak into a log line or a message shown to staff.
"""

from ..apiclient import (
    ApiError,
    CallTimeout,
    RateLimited,
    Refused,
    ServerError,
    TransientError,
    TransportError,
    UnknownOutcome,
)


class EbayError(ApiError):
    """Base class: an eBay call did not succeed.

    :param message: text for staff, already free of secrets
    :param status: HTTP status (0 when no response arrived)
    :param errors: eBay's ``errors[]`` entries (dicts), if any
    :param request_id: the correlation id sent with the call
    """

    def __init__(self, message, status=0, errors=None, request_id=None, **kwargs):
        super().__init__(message, status=status, request_id=request_id, **kwargs)
        self.errors = list(errors or [])

    @property
    def error_ids(self):
        return [e.get("errorId") for e in self.errors if e.get("errorId") is not None]

    @property
    def user_message(self):
        ids = ", ".join(str(i) for i in self.error_ids)
        return f"{self.message} (eBay error {ids})" if ids else self.message


class EbayTransientError(EbayError, TransientError):
    """eBay or the network failed for now (5xx, timeout, dropped connection).

    ``retry_after``: the seconds eBay's Retry-After header asked for, if any.
    """


class EbayRateLimited(EbayTransientError, RateLimited):
    """HTTP 429: a call limit was reached; wait ``retry_after`` seconds."""


class EbayServerError(EbayTransientError, ServerError):
    """HTTP 5xx: eBay failed to handle the call."""


class EbayUnreachable(EbayTransientError, TransportError):
    """No answer from eBay: the connection failed (or a read was dropped)."""


class EbayTimeout(EbayTransientError, CallTimeout):
    """A read got no answer from eBay in time."""


class EbayUnknownOutcome(EbayTransientError, UnknownOutcome):
    """A write got no answer (timeout, dropped connection): eBay may apply it."""


class EbayAuthError(EbayError, Refused):
    """The credentials or tokens were refused (401/403, invalid_grant...).

    ``oauth_error`` carries the OAuth error code (``invalid_grant``,
    ``invalid_client``) when the token endpoint refused.
    """

    def __init__(self, *args, oauth_error=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.oauth_error = oauth_error

    def call_fields(self):
        fields = super().call_fields()
        if self.oauth_error:
            fields["oauth_error"] = self.oauth_error
        return fields

    @property
    def needs_reauthorisation(self):
        """True when only a new consent by the seller can fix it."""
        return self.oauth_error == "invalid_grant"


class EbayValidationError(EbayError, Refused):
    """eBay refused the request's data (4xx with errorIds): do not retry."""


class EbayNotFound(EbayError, Refused):
    """The resource does not exist on eBay (404)."""


def actionable(err):
    """The message to show staff for an EbayError (advice + eBay's words)."""
    from .messages import actionable_message

    return actionable_message(err.errors, default=err.message)
