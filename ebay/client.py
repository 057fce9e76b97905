"""The one door every eBay REST call goes through."""

import email.utils
import json as jsonlib
import logging
import time
import uuid
from dataclasses import dataclass, field

import requests

from .endpoints import IDENTITY_USER_PATH, Endpoints
from .errors import (
    EbayAuthError,
    EbayError,
    EbayNotFound,
    EbayRateLimited,
    EbayTransientError,
    EbayValidationError,
)

_logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-EBAY-C-REQUEST-ID"
# One number: Odoo's test harness (and many proxies) expect a scalar timeout.
DEFAULT_TIMEOUT = 30  # seconds
# eBay's errorId for an invalid or expired access token.
INVALID_TOKEN_ERROR_ID = 1001


@dataclass
class EbayResponse:
    """What a successful call returned, plus what staff need to trace it."""

    data: object
    status: int
    headers: dict = field(default_factory=dict)
    request_id: str = ""
    duration_ms: int = 0


def new_request_id():
    return str(uuid.uuid4())


def parse_retry_after(value, now=None):
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now if now is not None else time.time()
    return max(0, int(when.timestamp() - now))


def _json_or_none(response):
    try:
        return response.json()
    except ValueError:
        return None


def _error_text(errors, default):
    texts = [e.get("longMessage") or e.get("message") for e in errors]
    texts = [t for t in texts if t]
    return "; ".join(texts) or default


def error_from_response(response, request_id):
    """Map a non-2xx eBay REST response to the matching EbayError subclass."""
    status = response.status_code
    body = _json_or_none(response)
    errors = body.get("errors", []) if isinstance(body, dict) else []
    errors = [e for e in errors if isinstance(e, dict)]
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    message = _error_text(errors, f"eBay answered HTTP {status}")
    kwargs = {"status": status, "errors": errors, "request_id": request_id}
    if status == 429:
        return EbayRateLimited(message, retry_after=retry_after, **kwargs)
    if status >= 500 or status == 408:
        return EbayTransientError(message, retry_after=retry_after, **kwargs)
    if status in (401, 403):
        return EbayAuthError(message, **kwargs)
    if status == 404:
        return EbayNotFound(message, **kwargs)
    return EbayValidationError(message, **kwargs)


# What a log line of a call may carry: identifiers and measures, never the
# URL's query string, headers, bodies or eBay's error texts (which may quote
# what was sent).
LOGGED_CALL_KEYS = (
    "operation",
    "method",
    "path",
    "status",
    "request_id",
    "duration_ms",
    "error_ids",
    "attempt",
)


def log_call(logger, event, call, extra=None):
    """Log one finished call as ``<event> {json}`` on ``logger``.

    INFO when the call succeeded; WARNING for an error status, for no answer
    (status 0) or for an answer the client refused (``message`` set).
    ``attempt`` is how many times the request was sent (2 after a token
    refresh; 0 when it could not be sent at all).
    """
    status = call.get("status") or 0
    failed = not 0 < status < 400 or bool(call.get("message"))
    level = logging.WARNING if failed else logging.INFO
    if not logger.isEnabledFor(level):
        return
    record = {key: call[key] for key in LOGGED_CALL_KEYS if key in call}
    record.update(extra or {})
    logger.log(level, "%s %s", event, jsonlib.dumps(record, default=str))


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
        self.session = session or requests.Session()
        self.timeout = timeout
        self.marketplace_id = marketplace_id
        self.content_language = content_language
        self.on_call = on_call
        self.log_fields = dict(log_fields or {})

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
        request_id = request_id or new_request_id()
        # Query strings (filters, ids) stay out of logs and attempt rows.
        clean_path = path.split("?", 1)[0]
        call = {
            "operation": operation or clean_path,
            "method": method,
            "url": url,
            "path": clean_path,
            "request_id": request_id,
            "status": 0,
            "error_ids": [],
            "duration_ms": 0,
            "attempt": 0,
        }
        args = (method, url, json, params, headers, call, files, data)
        try:
            try:
                return self._send(*args, force_refresh=False)
            except EbayAuthError as err:
                if INVALID_TOKEN_ERROR_ID not in err.error_ids:
                    raise
                return self._send(*args, force_refresh=True)
        except EbayError as err:
            call["message"] = err.user_message
            call["error_ids"] = err.error_ids
            raise
        finally:
            log_call(_logger, "ebay_call", call, self.log_fields)
            if self.on_call is not None:
                self.on_call(call)

    def _send(
        self, method, url, json, params, headers, call, files, data, force_refresh
    ):
        request_id = call["request_id"]
        token = self.token_provider(force_refresh=force_refresh)
        call["attempt"] += 1
        call["status"] = 0
        all_headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            REQUEST_ID_HEADER: request_id,
        }
        if self.marketplace_id:
            all_headers["X-EBAY-C-MARKETPLACE-ID"] = self.marketplace_id
        if json is not None:
            all_headers["Content-Type"] = "application/json"
            all_headers["Content-Language"] = self.content_language
        all_headers.update(headers or {})
        started = time.monotonic()
        try:
            response = self.session.request(
                method,
                url,
                json=json,
                params=params,
                files=files,
                data=data,
                headers=all_headers,
                timeout=self.timeout,
            )
        except requests.Timeout as exc:
            raise EbayTransientError(
                "eBay did not answer in time", request_id=request_id
            ) from exc
        except requests.ConnectionError as exc:
            raise EbayTransientError(
                "Could not reach eBay (connection failed)", request_id=request_id
            ) from exc
        finally:
            call["duration_ms"] = int((time.monotonic() - started) * 1000)
        call["status"] = response.status_code
        if response.status_code >= 400:
            raise error_from_response(response, request_id)
        data = _json_or_none(response) if response.content else None
        return EbayResponse(
            data=data,
            status=response.status_code,
            headers=dict(response.headers),
            request_id=request_id,
            duration_ms=call["duration_ms"],
        )

    # -- identity -----------------------------------------------------------
    def get_user(self):
        """Identity getUser: who the token belongs to."""
        return self.request(
            "GET", IDENTITY_USER_PATH, host="apiz", operation="getUser"
        ).data


__all__ = ["EbayClient", "EbayError", "EbayResponse", "error_from_response"]
