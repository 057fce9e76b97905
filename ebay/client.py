"""The one door every eBay REST call goes through."""

import logging

from ..apiclient import (
    DEFAULT_TIMEOUT,
    ApiResponse,
    CallReporter,
    Transport,
    json_or_none,
    new_call,
    parse_retry_after,
)
from .endpoints import IDENTITY_USER_PATH, Endpoints
from .errors import (
    EbayAuthError,
    EbayError,
    EbayNotFound,
    EbayRateLimited,
    EbayServerError,
    EbayTimeout,
    EbayTransientError,
    EbayUnknownOutcome,
    EbayUnreachable,
    EbayValidationError,
)

_logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-EBAY-C-REQUEST-ID"
# eBay's errorId for an invalid or expired access token.
INVALID_TOKEN_ERROR_ID = 1001

# A successful call's answer (the neutral one, under the name callers know).
EbayResponse = ApiResponse


class EbayTransport(Transport):
    """apiclient's HTTP door with eBay's correlation header and errors."""

    correlation_header = REQUEST_ID_HEADER
    timeout_error = EbayTimeout
    unknown_outcome_error = EbayUnknownOutcome
    unreachable_error = EbayUnreachable


def _error_text(errors, default):
    texts = [e.get("longMessage") or e.get("message") for e in errors]
    texts = [t for t in texts if t]
    return "; ".join(texts) or default


def error_from_response(response, request_id):
    """Map a non-2xx eBay REST response to the matching EbayError subclass."""
    status = response.status_code
    body = json_or_none(response)
    errors = body.get("errors", []) if isinstance(body, dict) else []
    errors = [e for e in errors if isinstance(e, dict)]
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    message = _error_text(errors, f"eBay answered HTTP {status}")
    kwargs = {"status": status, "errors": errors, "request_id": request_id}
    if status == 429:
        return EbayRateLimited(message, retry_after=retry_after, **kwargs)
    if status >= 500:
        return EbayServerError(message, retry_after=retry_after, **kwargs)
    if status == 408:
        return EbayTransientError(message, retry_after=retry_after, **kwargs)
    if status in (401, 403):
        return EbayAuthError(message, **kwargs)
    if status == 404:
        return EbayNotFound(message, **kwargs)
    return EbayValidationError(message, **kwargs)


class EbayClient:
    """eBay REST client bound to one seller's token.

    :param endpoints: :class:`Endpoints` of the environment
    :param token_provider: callable ``(force_refresh=False) -> access token``;
        the Odoo side refreshes under a lock, this side never stores tokens
    :param session: a ``requests.Session`` (one per worker keeps connections
        alive across calls)
    :param marketplace_id: default ``X-EBAY-C-MARKETPLACE-ID``
    :param on_call: optional callable receiving a dict per finished call
        (operation, method, path, status, request id, duration, error ids),
        used by the Odoo side to log publish attempts
    :param log_fields: extra fields for the structured log line of every
        call (e.g. ``{"account": 7}``); plain identifiers only, never
        secrets or buyer data
    """

    def __init__(
        self,
        endpoints: Endpoints,
        token_provider,
        session=None,
        timeout=DEFAULT_TIMEOUT,
        marketplace_id=None,
        content_language="en-US",
        on_call=None,
        log_fields=None,
    ):
        self.endpoints = endpoints
        self.token_provider = token_provider
        self.transport = EbayTransport(session, timeout, service="eBay")
        self.marketplace_id = marketplace_id
        self.content_language = content_language
        self.reporter = CallReporter(_logger, "ebay_call", on_call, log_fields)

    @property
    def session(self):
        return self.transport.session

    @property
    def timeout(self):
        return self.transport.timeout

    # -- the door ---------------------------------------------------------
    def request(
        self,
        method,
        path,
        *,
        host="api",
        json=None,
        params=None,
        headers=None,
        operation=None,
        request_id=None,
        files=None,
        data=None,
    ):
        """Send one call; return :class:`EbayResponse` or raise an EbayError.

        A 401 for an invalid token is retried once with a freshly refreshed
        token: eBay may revoke an access token before its announced expiry.
        ``files``/``data`` go to ``requests`` as they are (multipart uploads);
        Content-Type and Content-Language are only set for ``json`` bodies.
        """
        url = getattr(self.endpoints, host) + path
        # Query strings (filters, ids) stay out of logs and attempt rows.
        call = new_call(method, url, operation, path=path, request_id=request_id)
        args = (call, json, params, headers, files, data)
        with self.reporter.reporting(call):
            try:
                return self._send(*args, force_refresh=False)
            except EbayAuthError as err:
                if INVALID_TOKEN_ERROR_ID not in err.error_ids:
                    raise
                return self._send(*args, force_refresh=True)

    def _send(self, call, json, params, headers, files, data, force_refresh):
        token = self.token_provider(force_refresh=force_refresh)
        all_headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
        }
        if self.marketplace_id:
            all_headers["X-EBAY-C-MARKETPLACE-ID"] = self.marketplace_id
        if json is not None:
            all_headers["Content-Type"] = "application/json"
            all_headers["Content-Language"] = self.content_language
        all_headers.update(headers or {})
        response = self.transport.send(
            call, all_headers, json=json, params=params, files=files, data=data
        )
        if response.status_code >= 400:
            raise error_from_response(response, call["request_id"])
        data = json_or_none(response) if response.content else None
        return EbayResponse(
            data=data,
            status=response.status_code,
            headers=dict(response.headers),
            request_id=call["request_id"],
            duration_ms=call["duration_ms"],
            content=response.content,
        )

    # -- identity -----------------------------------------------------------
    def get_user(self):
        """Identity getUser: who the token belongs to."""
        return self.request(
            "GET", IDENTITY_USER_PATH, host="apiz", operation="getUser"
        ).data


__all__ = [
    "DEFAULT_TIMEOUT",
    "EbayClient",
    "EbayError",
    "EbayResponse",
    "EbayTransport",
    "error_from_response",
    "parse_retry_after",
]
