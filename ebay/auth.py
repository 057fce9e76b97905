"""OAuth 2.0 with eBay: consent URL, code exchange, refresh, app token.

eBay documents the token endpoint in prose only (no OpenAPI contract):
form-encoded body, HTTP Basic client authentication, JSON answer with
``access_token``/``expires_in`` and, for the code grant, ``refresh_token``/
``refresh_token_expires_in``.  Errors come as ``{"error", "error_description"}``.
"""

import logging
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from ..apiclient import (
    DEFAULT_TIMEOUT,
    LOGGED_CALL_KEYS,
    CallReporter,
    new_call,
    parse_retry_after,
)
from .client import EbayTransport
from .endpoints import APP_SCOPE, Endpoints
from .errors import EbayAuthError, EbayRateLimited, EbayServerError

_logger = logging.getLogger(__name__)


@dataclass
class TokenSet:
    """Tokens from one token-endpoint answer; expiries are epoch seconds."""

    access_token: str
    access_expires_at: float
    refresh_token: str = None
    refresh_expires_at: float = None

    def __repr__(self):  # never show the tokens themselves
        return (
            f"TokenSet(access_expires_at={self.access_expires_at!r}, "
            f"has_refresh={bool(self.refresh_token)})"
        )


class OAuthClient:
    """The app's side of eBay OAuth for one set of app credentials."""

    def __init__(
        self,
        endpoints: Endpoints,
        client_id,
        client_secret,
        ru_name=None,
        session=None,
        timeout=DEFAULT_TIMEOUT,
        on_call=None,
        log_fields=None,
    ):
        self.endpoints = endpoints
        self.client_id = client_id
        self._client_secret = client_secret
        self.ru_name = ru_name
        self.transport = EbayTransport(session, timeout, service="eBay's token service")
        # Same contract as EbayClient's: one dict per finished token call;
        # its log line also names the OAuth error code (invalid_grant...),
        # never its description.
        self.reporter = CallReporter(
            _logger,
            "ebay_token_call",
            on_call,
            log_fields,
            keys=(*LOGGED_CALL_KEYS, "oauth_error"),
        )

    @property
    def session(self):
        return self.transport.session

    @property
    def timeout(self):
        return self.transport.timeout

    def __repr__(self):
        return f"OAuthClient(client_id={self.client_id!r})"

    def consent_url(self, scopes, state, prompt="login"):
        """The eBay page where the seller grants the app access."""
        query = {
            "client_id": self.client_id,
            "redirect_uri": self.ru_name,
            "response_type": "code",
            "scope": " ".join(scopes),
            "state": state,
        }
        if prompt:
            query["prompt"] = prompt
        return f"{self.endpoints.authorize_url}?{urlencode(query)}"

    def exchange_code(self, code):
        """Authorization code grant: the seller's user and refresh tokens."""
        return self._token_call(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.ru_name,
            }
        )

    def refresh(self, refresh_token, scopes):
        """A new user access token from the long-lived refresh token."""
        return self._token_call(
            {
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
                "scope": " ".join(scopes),
            }
        )

    def application_token(self, scopes=(APP_SCOPE,)):
        """Client credentials grant: a token for app-level APIs (no user)."""
        return self._token_call(
            {"grant_type": "client_credentials", "scope": " ".join(scopes)}
        )

    def _token_call(self, form):
        grant = form["grant_type"]
        call = new_call(
            "POST", self.endpoints.token_url, operation=f"oauthToken:{grant}"
        )
        with self.reporter.reporting(call):
            return self._token_request(form, grant, call)

    def _token_request(self, form, grant, call):
        request_id = call["request_id"]
        now = time.time()
        response = self.transport.send(
            call,
            {"Accept": "application/json"},
            data=form,
            auth=(self.client_id, self._client_secret),
        )
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code == 429:
            raise EbayRateLimited(
                "eBay's token service is rate limiting this application",
                status=429,
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
                request_id=request_id,
            )
        if response.status_code >= 500:
            raise EbayServerError(
                f"eBay's token service failed (HTTP {response.status_code})",
                status=response.status_code,
                request_id=request_id,
            )
        if response.status_code != 200 or "access_token" not in body:
            oauth_error = body.get("error") or "invalid_response"
            description = body.get("error_description") or "no description"
            raise EbayAuthError(
                f"eBay refused the {grant} request: {oauth_error} ({description})",
                status=response.status_code,
                request_id=request_id,
                oauth_error=oauth_error,
            )
        refresh_expires = body.get("refresh_token_expires_in")
        return TokenSet(
            access_token=body["access_token"],
            access_expires_at=now + int(body.get("expires_in", 0)),
            refresh_token=body.get("refresh_token"),
            refresh_expires_at=(now + int(refresh_expires))
            if refresh_expires
            else None,
        )
