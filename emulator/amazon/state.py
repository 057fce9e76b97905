"""What the Amazon personality remembers on top of the core's state.

``apps`` {client_id: {client_id, client_secret, application_id,
redirect_uris, secret_expires_at}}, ``sellers`` {seller_id: {seller_id,
name, region, marketplaces}}, ``pending_consents`` (consent page tickets),
``codes`` (spapi_oauth_code -> grant), ``refresh_tokens`` {token:
{client_id, seller_id, revoked}}, ``access_tokens`` {token: {client_id,
seller_id (None: grantless), scopes, expires, restricted_resources (an RDT's
only, see ``tokens_api.py``)}}, ``buckets`` (token buckets,
see ``rates.py``) and ``rate_overrides`` {operationId: (rate, burst)}.
Listings (E2), feeds, documents and reports (E3) live under ``data``.
Time is always :meth:`now` (the control clock), so tests advance the clock
instead of sleeping.
"""

import secrets
from typing import ClassVar

from ..core.state import DEFAULT_CONFIG as CORE_CONFIG
from ..core.state import State

DEFAULT_SELLER = {
    "seller_id": "A1EMULATORSELLER",
    "name": "Emulator Seller LLC",
    "region": "NA",
    "marketplaces": ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"],
}

DEFAULT_CONFIG = {
    **CORE_CONFIG,
    "access_token_ttl": 3600,  # seconds: LWA's expires_in (AMAZON_FACTS.md 1)
    "code_ttl": 300,  # seconds a spapi_oauth_code lives ("expires after 5 minutes")
    "apply_delay": 1,  # seconds until an ACCEPTED listings submission applies (E2)
    "feed_queue_seconds": 1,  # IN_QUEUE -> IN_PROGRESS (E3)
    "feed_processing_seconds": 1,  # IN_PROGRESS -> DONE (E3)
    "report_seconds": 1,  # a report's processing time (E3)
    "rate_limits": 1,  # 1: token buckets throttle (429); 0: never throttled
    # Where notifications go: the SQS endpoint (moto on loopback) boto3 sends
    # to; None: the command line's (--sqs-endpoint-url), else no delivery.
    "sqs_endpoint_url": None,
    # Orders (orders_api.py): 1: buyer/recipient PII only with a Restricted
    # Data Token; 0: for any seller token (Amazon's v2026-01-01 docs).
    "orders_pii_needs_rdt": 1,
    # Seconds searchOrders lags behind the changes (Amazon: about 2 minutes).
    "orders_search_delay": 0,
    "restricted_token_ttl": 3600,  # seconds an RDT lives (Tokens API)
}


class AmazonState(State):
    DEFAULT_CONFIG = DEFAULT_CONFIG
    # 0: no throttling; delays of 0 apply or process at once.
    CONFIG_MINIMUM: ClassVar[dict] = {
        **State.CONFIG_MINIMUM,
        "rate_limits": 0,
        "apply_delay": 0,
        "feed_queue_seconds": 0,
        "feed_processing_seconds": 0,
        "report_seconds": 0,
        "orders_pii_needs_rdt": 0,
        "orders_search_delay": 0,
    }

    STRING_CONFIG: ClassVar[frozenset] = frozenset({"sqs_endpoint_url"})
    # Not the token buckets nor the rate overrides: throttling starts afresh.
    SAVED_ATTRIBUTES: ClassVar[tuple] = (
        *State.SAVED_ATTRIBUTES,
        "apps",
        "sellers",
        "pending_consents",
        "codes",
        "refresh_tokens",
        "access_tokens",
    )

    def __init__(self, cli_apps=(), sqs_endpoint_url=None):
        self.cli_apps = list(cli_apps)
        self.cli_sqs_endpoint_url = sqs_endpoint_url or None
        super().__init__()

    def reset(self):
        """Forget everything; the default seller and the command line's apps
        come back."""
        with self.lock:
            super().reset()
            self.apps = {}
            self.sellers = {}
            self.pending_consents = {}
            self.codes = {}
            self.refresh_tokens = {}
            self.access_tokens = {}
            self.buckets = {}
            self.rate_overrides = {}
            self.config["sqs_endpoint_url"] = self.cli_sqs_endpoint_url
            self.add_seller(dict(DEFAULT_SELLER))
            for app in self.cli_apps:
                self.add_app(app)

    def restore(self, saved):
        """The saved state, with the command line's apps as given now (a
        client secret may have changed since)."""
        with self.lock:
            super().restore(saved)
            for app in self.cli_apps:
                self.add_app(app)

    # -- registrations -------------------------------------------------------------
    def add_app(self, app):
        """``{client_id, client_secret, application_id, redirect_uri |
        redirect_uris, secret_expires_at?}`` (a POSIX time on the control
        clock; None: the secret never expires here)."""
        with self.lock:
            uris = list(app.get("redirect_uris") or [])
            if app.get("redirect_uri") and app["redirect_uri"] not in uris:
                uris.insert(0, app["redirect_uri"])
            self.apps[app["client_id"]] = {
                "client_id": app["client_id"],
                "client_secret": app["client_secret"],
                "application_id": app["application_id"],
                "redirect_uris": uris,
                "secret_expires_at": app.get("secret_expires_at"),
            }
            return self.apps[app["client_id"]]

    def add_seller(self, seller):
        with self.lock:
            record = {
                "seller_id": seller["seller_id"],
                "name": seller.get("name") or f"Seller {seller['seller_id']}",
                "region": seller.get("region") or "NA",
                "marketplaces": list(seller.get("marketplaces") or ["ATVPDKIKX0DER"]),
            }
            self.sellers[record["seller_id"]] = record
            return record

    def app_by_application_id(self, application_id):
        with self.lock:
            for app in self.apps.values():
                if app["application_id"] == application_id:
                    return app
            return None

    def secret_expired(self, app):
        expires = app.get("secret_expires_at")
        return expires is not None and expires <= self.now()

    # -- tokens --------------------------------------------------------------------
    @staticmethod
    def new_token(prefix):
        """An opaque token in LWA's style (``Atza|...``, ``Atzr|...``)."""
        return f"{prefix}{secrets.token_urlsafe(48)}"

    def grant_refresh_token(self, client_id, seller_id):
        """A new refresh token of ``seller_id`` for ``client_id``."""
        with self.lock:
            token = self.new_token("Atzr|")
            self.refresh_tokens[token] = {
                "client_id": client_id,
                "seller_id": seller_id,
                "revoked": False,
            }
            return token

    def mint_access_token(self, client_id, seller_id=None, scopes=()):
        """An access token and its lifetime (seconds); ``seller_id`` None is
        a grantless token of ``scopes``."""
        with self.lock:
            ttl = int(self.config["access_token_ttl"])
            token = self.new_token("Atc|" if seller_id is None else "Atza|")
            self.access_tokens[token] = {
                "client_id": client_id,
                "seller_id": seller_id,
                "scopes": sorted(scopes),
                "expires": self.now() + ttl,
            }
            return token, ttl

    def revoke_refresh_token(self, token):
        """Revoke a refresh token and the access tokens of its (client,
        seller) pair; False if it is unknown."""
        with self.lock:
            grant = self.refresh_tokens.get(token)
            if grant is None:
                return False
            grant["revoked"] = True
            for info in self.access_tokens.values():
                if (info["client_id"], info["seller_id"]) == (
                    grant["client_id"],
                    grant["seller_id"],
                ):
                    info["expires"] = 0
            return True
