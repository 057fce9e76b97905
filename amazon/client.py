"""The one door every SP-API call goes through.

:class:`SpApiClient` adds to each call the seller's LWA access token
(``x-amz-access-token``), the User-Agent Amazon asks for, waits for the
client-side token bucket of (account, operation), learns Amazon's rate from
``x-amzn-RateLimit-Limit``, makes Amazon's ``x-amzn-RequestId`` the call's
correlation id, and turns any failure into one of the errors of
``errors.py`` (hence of apiclient's bases, which the job edge acts on).  It
never retries a failure itself (the job edge does, with backoff), except a
403 for an access token Amazon no longer takes: once, with a fresh token.

Sub-APIs are attributes built on first use from :data:`SUB_APIS` (a module
of this package and a class taking the client): ``client.listings``,
``client.definitions``, ``client.sellers``, ``client.feeds``,
``client.reports``, ``client.orders``, ``client.tokens``,
``client.shipments``.  Another one plugs in by adding a line there, or with
:meth:`SpApiClient.attach`.
"""

import ast
import importlib
import inspect
import logging
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path

from ..apiclient import ApiResponse, CallReporter, json_or_none, new_call
from .errors import (
    AmazonAuthError,
    AmazonClientSecretError,
    AmazonNotFound,
    AmazonRateLimited,
    AmazonRefused,
    AmazonServerError,
    AmazonTransientError,
)
from .ratelimit import DEFAULT_MAX_WAIT, shared_limiter
from .transport import AmazonTransport, amazon_request_id

_logger = logging.getLogger(__name__)

ACCESS_TOKEN_HEADER = "x-amz-access-token"
RATE_LIMIT_HEADER = "x-amzn-RateLimit-Limit"
# Amazon rejects a User-Agent longer than this (AMAZON_FACTS §1).
USER_AGENT_MAX = 500

# name -> (module of this package, class): built on first use.
SUB_APIS = {
    "listings": (".listings", "ListingsApi"),
    "definitions": (".definitions", "DefinitionsApi"),
    "sellers": (".sellers", "SellersApi"),
    "feeds": (".feeds", "FeedsApi"),
    "reports": (".reports", "ReportsApi"),
    "notifications": (".notifications", "NotificationsApi"),
    "orders": (".orders", "OrdersApi"),
    "tokens": (".tokens", "TokensApi"),
    "shipments": (".shipments", "ShipmentsApi"),
}


def _addon_version():
    """The addon's version, read from its manifest (no odoo import)."""
    manifest = Path(__file__).resolve().parents[1] / "__manifest__.py"
    try:
        return ast.literal_eval(manifest.read_text()).get("version") or "0"
    except (OSError, ValueError, SyntaxError, AttributeError):
        return "0"


def user_agent(app="marketplace_connector", version=None):
    """``App/Version (Language=Python/x.y; Platform=OS)``, the form Amazon
    asks for on every request (AMAZON_FACTS §1), at most 500 characters."""
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    text = (
        f"{app}/{version or _addon_version()} "
        f"(Language=Python/{python}; Platform={platform.system() or 'unknown'})"
    )
    return text[:USER_AGENT_MAX]


USER_AGENT = user_agent()


def _amz_date():
    # x-amz-date belonged to SigV4, gone since 2023; whether SP-API still
    # wants it is UNCONFIRMED (AMAZON_FACTS §1), so it is sent: Amazon's guide
    # lists it and it costs nothing.
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _error_text(errors, default):
    texts = [
        ": ".join(t for t in (e.get("message"), e.get("details")) if t) for e in errors
    ]
    return "; ".join(t for t in texts if t) or default


def _secret_expired(errors):
    """SP-API's words for an expired LWA client secret (AMAZON_FACTS §1)."""
    text = " ".join(
        f"{e.get('message') or ''} {e.get('details') or ''}" for e in errors
    ).lower()
    return "secret" in text and "expired" in text


def _stale_token(errors):
    """A 403 that names the access token (missing, expired, revoked, invalid):
    a fresh token may be taken, unlike a role the app was not granted."""
    return any(
        "token" in f"{e.get('message') or ''} {e.get('details') or ''}".lower()
        for e in errors
    ) and not _secret_expired(errors)


def error_from_response(response, request_id, retry_after=None):
    """The AmazonError of a non-2xx SP-API (or presigned URL) answer."""
    status = response.status_code
    body = json_or_none(response)
    errors = body.get("errors", []) if isinstance(body, dict) else []
    errors = [e for e in errors if isinstance(e, dict)]
    message = _error_text(errors, f"Amazon answered HTTP {status}")
    kwargs = {"status": status, "errors": errors, "request_id": request_id}
    if status == 429:
        return AmazonRateLimited(message, retry_after=retry_after, **kwargs)
    if status >= 500:
        return AmazonServerError(message, **kwargs)
    if status == 408:
        return AmazonTransientError(message, **kwargs)
    if status in (401, 403):
        if _secret_expired(errors):
            return AmazonClientSecretError(message, **kwargs)
        return AmazonAuthError(message, **kwargs)
    if status == 404:
        return AmazonNotFound(message, **kwargs)
    return AmazonRefused(message, **kwargs)


class SpApiClient:
    """SP-API client bound to one seller (or to the app, for grantless calls).

    :param transport: an :class:`AmazonTransport` (default: a new one with
        its own Session; the Odoo side passes one per worker thread)
    :param api_url: the SP-API base URL (``Endpoints.api_url``)
    :param access_token: callable returning the LWA access token to send;
        called as ``access_token()``, and if it takes them, with
        ``force_refresh=True`` after Amazon refused a token and
        ``grantless=True`` for grantless operations.  The Odoo side refreshes
        under its lock; this side never stores tokens
    :param seller_id: the selling partner id (paths of Listings Items)
    :param limiter: a :class:`RateLimiter` (default: the process's)
    :param limiter_key: names the buckets (default: the seller id); one key
        per (seller, region) account
    :param on_call: optional callable receiving the dict of each finished
        call (operation, method, path, status, Amazon's request id, duration,
        error codes); the Odoo side writes the call log from it
    :param log_fields: extra plain identifiers for every log line
    :param max_wait: seconds a call may wait for the limiter before it raises
        AmazonRateLimited instead
    """

    def __init__(
        self,
        transport=None,
        api_url=None,
        access_token=None,
        seller_id=None,
        limiter=None,
        limiter_key=None,
        user_agent=USER_AGENT,
        on_call=None,
        log_fields=None,
        max_wait=DEFAULT_MAX_WAIT,
    ):
        if not api_url or access_token is None:
            raise ValueError("SpApiClient needs the API URL and an access_token")
        self.transport = transport or AmazonTransport()
        self.api_url = api_url.rstrip("/")
        self._access_token = access_token
        self._token_options = _keyword_options(access_token)
        self.seller_id = seller_id
        self.limiter = limiter if limiter is not None else shared_limiter()
        self.limiter_key = limiter_key or seller_id or "app"
        self.user_agent = user_agent[:USER_AGENT_MAX]
        self.max_wait = max_wait
        self.reporter = CallReporter(_logger, "amazon_call", on_call, log_fields)

    @property
    def timeout(self):
        """Seconds each request waits for an answer (the transport's)."""
        return self.transport.timeout

    def __repr__(self):
        return f"SpApiClient(api_url={self.api_url!r}, seller_id={self.seller_id!r})"

    # -- sub-APIs -------------------------------------------------------------
    def __getattr__(self, name):
        spec = SUB_APIS.get(name) if not name.startswith("_") else None
        if spec is None:
            raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")
        try:
            module = importlib.import_module(spec[0], __package__)
        except ModuleNotFoundError as exc:
            raise AttributeError(f"the {name} API is not installed ({exc})") from exc
        return self.attach(name, getattr(module, spec[1]))

    def attach(self, name, api_class):
        """Build ``api_class(self)`` and make it ``self.<name>``; returns it."""
        api = api_class(self)
        self.__dict__[name] = api
        return api

    # -- the door -------------------------------------------------------------
    def request(
        self,
        operation,
        method,
        path,
        params=None,
        json=None,
        grantless=False,
        safe=None,
        headers=None,
        bucket=None,
        access_token=None,
    ):
        """Send one SP-API call; return :class:`apiclient.ApiResponse` (its
        ``data`` the JSON body) or raise an AmazonError.

        :param operation: Amazon's operationId (names the rate bucket and the
            call in the log)
        :param params: query parameters (lists must already be joined with
            commas, as Amazon wants)
        :param safe: True when the call changes nothing although its method
            is a write (a VALIDATION_PREVIEW): a lost answer is then a
            timeout, not an unknown outcome.  Default: GET/HEAD/OPTIONS.
        :param bucket: the rate bucket when it is not the operation's (a
            createFeed of JSON_LISTINGS_FEED:
            ``ratelimit.JSON_LISTINGS_FEED_OPERATION``)
        :param access_token: a token for this call only, in place of the
            LWA one (a Restricted Data Token).  It goes in the header and
            nowhere else: not in the call record, the log line or an error;
            a 403 is not retried with a fresh LWA token (that would not be
            the token the call needs)
        """
        call = new_call(method, self.api_url + path, operation, path=path)
        if safe and method.upper() not in ("GET", "HEAD", "OPTIONS"):
            # Lets the account's read-only hook tell a preview from a write.
            call["read_only"] = True
        args = (call, bucket or operation, params, json, grantless, safe, headers)
        with self.reporter.reporting(call):
            try:
                return self._send(*args, given_token=access_token)
            except AmazonAuthError as err:
                if (
                    access_token is not None
                    or "force_refresh" not in self._token_options
                    or err.status not in (401, 403)
                    or not _stale_token(err.errors)
                ):
                    raise
                return self._send(*args, force_refresh=True)

    def _token(self, grantless, force_refresh):
        options = {}
        if grantless:
            if "grantless" not in self._token_options:
                raise ValueError("this client's access_token gives no grantless token")
            options["grantless"] = True
        if force_refresh:
            options["force_refresh"] = True
        return self._access_token(**options)

    def _send(
        self,
        call,
        bucket,
        params,
        json,
        grantless,
        safe,
        headers,
        force_refresh=False,
        given_token=None,
    ):
        key = self.limiter_key
        self.limiter.acquire(key, bucket, self.max_wait)
        token = given_token or self._token(grantless, force_refresh)
        all_headers = {
            ACCESS_TOKEN_HEADER: token,
            "Accept": "application/json",
            "User-Agent": self.user_agent,
            "x-amz-date": _amz_date(),
        }
        if json is not None:
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        response = self.transport.send(
            call, all_headers, safe=safe, params=params, json=json
        )
        request_id = amazon_request_id(response, call)
        status = response.status_code
        if status == 429:
            retry_after = self.limiter.throttled(key, bucket)
            raise error_from_response(response, request_id, retry_after)
        rate = response.headers.get(RATE_LIMIT_HEADER)
        if rate is not None:
            self.limiter.observe(key, bucket, rate)
        if status >= 400:
            raise error_from_response(response, request_id)
        return ApiResponse(
            data=json_or_none(response) if response.content else None,
            status=status,
            headers=dict(response.headers),
            request_id=request_id,
            duration_ms=call["duration_ms"],
        )

    def fetch_url(self, operation, method, url, data=None, headers=None, safe=None):
        """A call to a presigned URL (a document, a schema): no token, no
        rate bucket (the signature is in the URL); reported like any call
        (its path only: the query holds the signature).  Returns the
        ``requests`` response, or raises an AmazonError for a non-2xx.

        ``headers`` are sent as given (the upload's Content-Type must be the
        one the document was created with).  Answers are read as bytes:
        ``Accept-Encoding: identity`` keeps ``requests`` from unzipping a
        document Amazon also marks GZIP (AMAZON_FACTS §7).
        """
        call = new_call(method, url, operation)
        all_headers = {"User-Agent": self.user_agent, "Accept-Encoding": "identity"}
        all_headers.update(headers or {})
        with self.reporter.reporting(call):
            try:
                response = self.transport.send(call, all_headers, safe=safe, data=data)
            finally:
                # The signature lets anyone fetch the document for a while:
                # the record handed to on_call keeps the URL without it.
                call["url"] = url.split("?", 1)[0]
            request_id = amazon_request_id(response, call)
            if response.status_code >= 400:
                raise error_from_response(response, request_id)
            return response


def _keyword_options(func):
    """Which of force_refresh / grantless ``func`` accepts as keywords."""
    try:
        parameters = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return frozenset()
    if any(p.kind is p.VAR_KEYWORD for p in parameters):
        return frozenset({"force_refresh", "grantless"})
    return frozenset(
        p.name
        for p in parameters
        if p.name in ("force_refresh", "grantless")
        and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
    )
