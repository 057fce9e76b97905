"""Amazon's failures, normalised into the few exception types the models
act on.

Each one is also one of apiclient's channel-neutral bases (an
``AmazonRateLimited`` is a :class:`apiclient.RateLimited`, an
``AmazonRefused`` a :class:`apiclient.Refused`), so the neutral job edge
decides retry or refusal without naming Amazon.  Messages are built from
Amazon's own error texts, never from request headers or bodies, and any
token-looking text in them is blanked (:func:`scrub`), so a token or a
secret cannot reach a log line, a call record or a screen through them.
"""

import re

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

# LWA access, refresh and grantless tokens start with Atza|, Atzr| and Atc|
# (AMAZON_FACTS §1 shows the first two); an error text that quotes one (a
# proxy, a future Amazon message) is blanked.
_TOKEN_RE = re.compile(r"At(?:z[ar]|c)\|[^\s\"',;]+")
REDACTED = "[redacted]"


def scrub(text, secrets=()):
    """``text`` with LWA tokens and each of ``secrets`` replaced."""
    text = _TOKEN_RE.sub(REDACTED, str(text or ""))
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    return text


class AmazonError(ApiError):
    """Base class: an Amazon call did not succeed.

    :param message: text for staff, already free of secrets
    :param status: HTTP status (0 when no answer arrived)
    :param errors: Amazon's ``errors[]`` entries (``{code, message,
        details}``), if any
    :param request_id: Amazon's ``x-amzn-RequestId`` when it answered, else
        the id of our call record
    """

    def __init__(self, message, status=0, errors=None, request_id=None, **kwargs):
        super().__init__(scrub(message), status=status, request_id=request_id, **kwargs)
        self.errors = [
            {key: scrub(value) for key, value in entry.items()}
            for entry in (errors or [])
            if isinstance(entry, dict)
        ]

    @property
    def error_ids(self):
        return [e["code"] for e in self.errors if e.get("code")]

    @property
    def user_message(self):
        ids = ", ".join(str(i) for i in self.error_ids)
        return f"{self.message} (Amazon error {ids})" if ids else self.message


class AmazonTransientError(AmazonError, TransientError):
    """Amazon or the network failed for now (5xx, timeout, dropped
    connection, LWA's server_error): a later try may succeed."""


class AmazonRateLimited(AmazonTransientError, RateLimited):
    """HTTP 429 QuotaExceeded, or the client's own limiter that would not
    wait: try again after ``retry_after`` seconds.

    Amazon sends no Retry-After (AMAZON_FACTS §6): ``retry_after`` is the
    limiter's estimate of when the bucket has a token again.
    """


class AmazonServerError(AmazonTransientError, ServerError):
    """HTTP 5xx, or LWA's server_error / temporarily_unavailable."""


class AmazonUnreachable(AmazonTransientError, TransportError):
    """No answer from Amazon: the connection failed (or a read was dropped)."""


class AmazonTimeout(AmazonTransientError, CallTimeout):
    """A read got no answer from Amazon in time."""


class AmazonUnknownOutcome(AmazonTransientError, UnknownOutcome):
    """A write got no answer (timeout, dropped connection): Amazon may
    apply it, so the current values are sent again later."""


class AmazonRefused(AmazonError, Refused):
    """Amazon refused the request (400, 404, 413, 415): the same call will
    be refused again, so it is not retried."""


class AmazonNotFound(AmazonRefused):
    """HTTP 404: the resource (a SKU, a feed) does not exist on Amazon."""


class AmazonAuthError(AmazonError, Refused):
    """The credentials were refused: SP-API's 401/403 Unauthorized, LWA's
    invalid_grant / unauthorized_client / access_denied.

    ``lwa_error`` is LWA's error code when the token endpoint refused.
    """

    def __init__(self, *args, lwa_error=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lwa_error = lwa_error

    @property
    def error_ids(self):
        ids = super().error_ids
        return [self.lwa_error, *ids] if self.lwa_error else ids

    def call_fields(self):
        fields = super().call_fields()
        if self.lwa_error:
            fields["lwa_error"] = self.lwa_error
        return fields

    @property
    def needs_reauthorisation(self):
        """True when only a new consent by the seller can fix it (the
        refresh token was revoked or is not this app's)."""
        return self.lwa_error in ("invalid_grant", "unauthorized_client")


class AmazonClientSecretError(AmazonAuthError):
    """LWA refused the app's credentials (invalid_client), or SP-API said
    "The LWA secret token you provided has expired": the app's LWA client
    secret must be rotated (every 180 days); sellers need not re-authorise."""

    @property
    def needs_reauthorisation(self):
        return False


# Amazon's codes (and LWA's) in a seller's words.  Unknown codes keep
# Amazon's own text, so nothing Amazon said is lost.
ACTIONABLE = {
    "invalid_grant": "Amazon no longer accepts this account's authorisation "
    "(revoked or expired): connect the Amazon account again.",
    "unauthorized_client": "Amazon does not let this app use the account's "
    "authorisation: connect the Amazon account again with this app.",
    "access_denied": "The seller declined the authorisation: connect the "
    "Amazon account again and accept.",
    "invalid_client": "Amazon refused the app's LWA client id or secret (a "
    "secret expires after 180 days): rotate it in Seller Central's Developer "
    "Central, then enter the new client secret on the Amazon account.",
    "invalid_scope": "Amazon refused the scope asked for: this is a bug in the "
    "connector, report it.",
    "invalid_request": "Amazon refused the token request: check the account's "
    "client id and redirect URI.",
    "server_error": "Amazon's login service failed for now: it is tried again later.",
    "temporarily_unavailable": "Amazon's login service is unavailable for now: "
    "it is tried again later.",
    "Unauthorized": "Amazon refused access: reconnect the Amazon account, and "
    "check that the app has the Product Listing role.",
    "Forbidden": "Amazon refused access: reconnect the Amazon account, and check "
    "that the app has the Product Listing role.",
    "QuotaExceeded": "Amazon's call limit was reached for now: it is tried again "
    "later.",
    "InvalidInput": "Amazon refused the data sent: see Amazon's message below.",
    "BAD_REQUEST": "Amazon refused the data sent: see Amazon's message below.",
    "InvalidParameterValue": "Amazon refused a value sent: see Amazon's message below.",
    "NotFound": "Amazon does not know this item (yet): publish it first, or "
    "check the SKU and marketplace.",
    "NOT_FOUND": "Amazon does not know this item (yet): publish it first, or "
    "check the SKU and marketplace.",
    "RequestEntityTooLarge": "The request was too large for Amazon: send fewer "
    "items at once.",
    "UnsupportedMediaType": "Amazon refused the request's format: this is a bug "
    "in the connector, report it.",
    "InternalFailure": "Amazon failed to handle the call: it is tried again later.",
    "ServiceUnavailable": "Amazon is unavailable for now: it is tried again later.",
}

# Advice by kind, for failures that carry no code Amazon named.
_BY_KIND = (
    (AmazonClientSecretError, "invalid_client"),
    (AmazonRateLimited, "QuotaExceeded"),
    (AmazonAuthError, "Unauthorized"),
    (AmazonNotFound, "NotFound"),
    (AmazonServerError, "InternalFailure"),
)


def _advice(code, err):
    if isinstance(err, AmazonClientSecretError):
        return ACTIONABLE["invalid_client"]
    return ACTIONABLE.get(code)


def actionable(err):
    """The message to show a seller for an AmazonError: our advice, then
    Amazon's own words and code, one line per error Amazon sent."""
    if not isinstance(err, AmazonError):
        return str(err)
    if isinstance(err, UnknownOutcome):
        return (
            f"{err.message}: Amazon may still apply the change; the current "
            "values are sent again."
        )
    lines = []
    codes = [err.lwa_error] if getattr(err, "lwa_error", None) else []
    for code in codes:
        advice = _advice(code, err)
        lines.append(f"{advice} ({err.message})" if advice else err.message)
    for entry in err.errors:
        code = entry.get("code") or ""
        said = " ".join(
            text for text in (entry.get("message"), entry.get("details")) if text
        )
        advice = _advice(code, err)
        if advice and said:
            lines.append(f"{advice} (Amazon {code}: {said})")
        elif advice or said:
            lines.append(f"{advice or said} (Amazon {code})" if code else said)
    if not lines:
        kind = next((code for cls, code in _BY_KIND if isinstance(err, cls)), None)
        advice = ACTIONABLE.get(kind) if kind else None
        lines.append(f"{advice} ({err.message})" if advice else err.message)
    return "\n".join(lines)
