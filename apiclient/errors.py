"""The outcomes of a call that did not succeed, the same for every channel.

A channel's client raises its own subclasses (eBay's ``EbayRateLimited`` is
a :class:`RateLimited`), so code that only cares about the kind of failure
(retry it, give up, send the write again) catches these bases and names no
channel.  Messages are for staff and never carry request headers or bodies,
so no token or secret reaches a log line or a screen through them.
"""


class ApiError(Exception):
    """A call to a marketplace did not succeed.

    :param message: text for staff, already free of secrets
    :param status: HTTP status (0 when no answer arrived)
    :param request_id: the correlation id sent with the call
    :param retry_after: seconds the service asked us to wait, if it said
    """

    # Whether trying the same call again later may succeed.
    retryable = False

    def __init__(self, message, status=0, request_id=None, retry_after=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.request_id = request_id
        self.retry_after = retry_after

    @property
    def error_ids(self):
        """The service's own error codes; channels that have them override."""
        return []

    @property
    def user_message(self):
        return self.message

    def call_fields(self):
        """What this failure adds to the record of its call (see calllog)."""
        return {"message": self.user_message, "error_ids": self.error_ids}

    def __str__(self):
        return self.user_message


class Refused(ApiError):
    """The service answered no (a 4xx other than 429, refused credentials):
    the same call will be refused again, so it is not retried."""


class TransientError(ApiError):
    """The service or the network failed for now: a later try may succeed."""

    retryable = True


class RateLimited(TransientError):
    """HTTP 429: a call limit was reached; wait ``retry_after`` seconds."""


class ServerError(TransientError):
    """HTTP 5xx: the service failed to handle the call."""


class TransportError(TransientError):
    """No answer arrived: the connection failed or the service was too slow."""


class CallTimeout(TransportError):
    """A call that changes nothing got no answer within the timeout."""


class UnknownOutcome(TransportError):
    """A write left and no answer came back (timeout, dropped connection).

    The service may have applied it, or may still apply it later: the
    caller must not assume either and sends its current values again.
    """
