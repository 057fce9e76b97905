"""Login with Amazon (LWA): the tokens SP-API calls carry.

``POST https://api.amazon.com/auth/o2/token`` with a form body
(AMAZON_FACTS §1): ``refresh_token`` (a seller's calls), ``authorization_code``
(the consent's ``spapi_oauth_code``, valid 5 minutes) or ``client_credentials``
with a scope (grantless calls).  The client id and secret go in the body,
as Amazon's guide shows.  Errors come as ``{"error", "error_description"}``.

Nothing here logs or raises a token, a code or the secret: the call record
and its log line carry the grant and LWA's error code only.
"""

import logging
import time
from dataclasses import dataclass, field

from ..apiclient import LOGGED_CALL_KEYS, CallReporter, json_or_none, new_call
from .errors import (
    AmazonAuthError,
    AmazonClientSecretError,
    AmazonRateLimited,
    AmazonRefused,
    AmazonServerError,
    scrub,
)
from .transport import AmazonTransport, amazon_request_id

_logger = logging.getLogger(__name__)

NOTIFICATIONS_SCOPE = "sellingpartnerapi::notifications"
MIGRATION_SCOPE = "sellingpartnerapi::migration"

# LWA's error codes (Amazon's Java library, AMAZON_FACTS §1) by what fixes them.
REAUTHORISE_ERRORS = frozenset(
    {"invalid_grant", "unauthorized_client", "access_denied"}
)
SECRET_ERRORS = frozenset({"invalid_client"})
TRANSIENT_ERRORS = frozenset({"server_error", "temporarily_unavailable"})
# How long before its announced expiry a token is treated as expired (Amazon's
# Java library uses 60 s): a call never leaves with a token about to lapse.
EXPIRY_MARGIN = 60


@dataclass
class LwaToken:
    """One LWA answer.  ``obtained_at`` is epoch seconds, when it was asked."""

    access_token: str
    expires_in: int
    refresh_token: str = None
    obtained_at: float = field(default_factory=time.time)

    @property
    def expires_at(self):
        """Epoch seconds after which the access token is no longer accepted."""
        return self.obtained_at + self.expires_in

    def expired(self, now=None, margin=EXPIRY_MARGIN):
        """True when the token lapses within ``margin`` seconds."""
        now = time.time() if now is None else now
        return now >= self.expires_at - margin

    def __repr__(self):  # never show the tokens themselves
        return (
            f"LwaToken(expires_in={self.expires_in!r}, "
            f"has_refresh={bool(self.refresh_token)})"
        )


class LwaClient:
    """The app's side of LWA for one set of app credentials.

    :param transport: an :class:`AmazonTransport` (default: a new one)
    :param token_url: LWA's token endpoint (``Endpoints.lwa_url``)
    :param on_call: optional callable receiving the call dict of each token
        call (operation ``lwaToken:<grant>``, status, request id, LWA error)
    :param log_fields: extra plain identifiers for every log line
    """

    def __init__(
        self,
        transport,
        token_url,
        client_id,
        client_secret,
        on_call=None,
        log_fields=None,
    ):
        self.transport = transport or AmazonTransport(service="Amazon's login service")
        self.token_url = token_url
        self.client_id = client_id
        self._client_secret = client_secret
        self.reporter = CallReporter(
            _logger,
            "amazon_lwa_call",
            on_call,
            log_fields,
            keys=(*LOGGED_CALL_KEYS, "lwa_error"),
        )

    def __repr__(self):
        return f"LwaClient(client_id={self.client_id!r})"

    def refresh(self, refresh_token):
        """A new access token for the seller's calls."""
        return self._token_call(
            {"grant_type": "refresh_token", "refresh_token": refresh_token},
            (refresh_token,),
        )

    def exchange_code(self, code, redirect_uri=None):
        """The consent's ``spapi_oauth_code`` for the seller's tokens (the
        answer's ``refresh_token`` is the one to keep)."""
        form = {"grant_type": "authorization_code", "code": code}
        if redirect_uri:
            form["redirect_uri"] = redirect_uri
        token = self._token_call(form, (code,))
        if not token.refresh_token:
            raise AmazonRefused(
                "Amazon's login service answered the code without a refresh token"
            )
        return token

    def grantless(self, scope):
        """An access token for grantless operations (no seller), e.g.
        :data:`NOTIFICATIONS_SCOPE`."""
        return self._token_call({"grant_type": "client_credentials", "scope": scope})

    def _token_call(self, form, secrets=()):
        grant = form["grant_type"]
        call = new_call("POST", self.token_url, operation=f"lwaToken:{grant}")
        form = dict(form, client_id=self.client_id, client_secret=self._client_secret)
        with self.reporter.reporting(call):
            return self._token_request(
                call, form, grant, (*secrets, self._client_secret)
            )

    def _token_request(self, call, form, grant, secrets):
        obtained_at = time.time()
        response = self.transport.send(
            call,
            {
                "Accept": "application/json",
                "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
            },
            data=form,
            # A token request changes nothing a seller sees (refresh tokens do
            # not rotate): a lost answer is a timeout, not an unknown outcome.
            safe=True,
        )
        amazon_request_id(response, call)
        body = json_or_none(response)
        body = body if isinstance(body, dict) else {}
        status = response.status_code
        if status == 200 and body.get("access_token"):
            return LwaToken(
                access_token=body["access_token"],
                expires_in=int(body.get("expires_in") or 0),
                refresh_token=body.get("refresh_token"),
                obtained_at=obtained_at,
            )
        raise lwa_error(status, body, grant, call["request_id"], secrets)


def lwa_error(status, body, grant, request_id, secrets=()):
    """The AmazonError for a failed LWA answer (``body`` its JSON, or {})."""
    code = str(body.get("error") or "")
    description = scrub(body.get("error_description") or "", secrets)
    said = f"{code}: {description}" if description else code
    kwargs = {"status": status, "request_id": request_id}
    if status == 429:
        return AmazonRateLimited(
            "Amazon's login service is limiting this application's calls",
            **kwargs,
        )
    if code in TRANSIENT_ERRORS or (status >= 500 and not code):
        return AmazonServerError(
            f"Amazon's login service failed for now ({said or f'HTTP {status}'})",
            **kwargs,
        )
    if code in SECRET_ERRORS:
        return AmazonClientSecretError(
            f"Amazon's login service refused the app's credentials ({said})",
            lwa_error=code,
            **kwargs,
        )
    if code in REAUTHORISE_ERRORS:
        return AmazonAuthError(
            f"Amazon's login service refused the {grant} grant ({said})",
            lwa_error=code,
            **kwargs,
        )
    if status >= 500:
        return AmazonServerError(
            f"Amazon's login service failed (HTTP {status}, {said})", **kwargs
        )
    return AmazonRefused(
        f"Amazon's login service refused the {grant} request "
        f"({said or f'HTTP {status}'})",
        errors=[{"code": code, "message": description}] if code else None,
        **kwargs,
    )
