"""What the eBay personality remembers on top of the core's state: its
applications, consents, codes and tokens, the seller (``getUser``) and the
token lifetimes."""

import secrets
from typing import ClassVar

from ..core.state import DEFAULT_CONFIG as CORE_CONFIG
from ..core.state import State, deep_copy

DEFAULT_USER = {
    "userId": "eMuLaToR5eLLeR01",
    "username": "emulator_seller",
    "accountType": "BUSINESS",
    "registrationMarketplaceId": "EBAY_US",
    "status": "CONFIRMED",
    "businessAccount": {
        "name": "Emulator Seller Ltd",
        "email": "seller@emulator.invalid",
        "website": "https://emulator.invalid",
        "address": {
            "addressLine1": "1 Loopback Road",
            "city": "San Jose",
            "stateOrProvince": "CA",
            "postalCode": "95125",
            "country": "US",
        },
        "primaryContact": {"firstName": "Emma", "lastName": "Ulator"},
        "primaryPhone": {
            "countryCode": "US",
            "number": "4085550100",
            "phoneType": "LAND_LINE",
        },
    },
}

DEFAULT_CONFIG = {
    **CORE_CONFIG,
    "access_token_ttl": 7200,  # seconds; eBay's user and application tokens
    "code_ttl": 299,  # seconds an authorization code lives
    # Feed tasks move one status on after these seconds or reads (feed_api.py).
    "feed_step_seconds": 10,
    "feed_polls_per_step": 1,
}
REFRESH_TOKEN_TTL = 47304000  # 18 months, as eBay's token answer says


class EbayState(State):
    DEFAULT_CONFIG = DEFAULT_CONFIG
    SAVED_ATTRIBUTES: ClassVar[tuple] = (
        *State.SAVED_ATTRIBUTES,
        "apps",
        "pending_consents",
        "codes",
        "refresh_tokens",
        "access_tokens",
        "user",
    )

    def __init__(self, cli_apps=()):
        self.cli_apps = list(cli_apps)
        super().__init__()

    def reset(self):
        """Forget everything; re-register the apps given on the command line."""
        with self.lock:
            super().reset()
            self.apps = {}  # client_id -> app
            self.pending_consents = {}  # consent page ticket -> request
            self.codes = {}  # authorization code -> grant
            self.refresh_tokens = {}  # token -> grant
            self.access_tokens = {}  # token -> {kind, scopes, expires, refresh}
            self.user = deep_copy(DEFAULT_USER)
            for app in self.cli_apps:
                self.register_app(app)

    def restore(self, saved):
        """The saved state, with the command line's apps as given now (a
        client secret may have changed since)."""
        with self.lock:
            super().restore(saved)
            for app in self.cli_apps:
                self.register_app(app)

    def register_app(self, app):
        with self.lock:
            app = dict(app)
            if not app.get("decline_url"):
                app["decline_url"] = app["accept_url"]
            self.apps[app["client_id"]] = app

    @staticmethod
    def new_token(prefix):
        """An opaque token in eBay's style (``v^1.1#i^1#...``)."""
        return f"{prefix}{secrets.token_urlsafe(48)}"

    # -- tokens --------------------------------------------------------------------
    def revoke_refresh_token(self, token):
        """Revoke a refresh token and every access token minted from it."""
        with self.lock:
            grant = self.refresh_tokens.get(token)
            if grant is None:
                return False
            grant["revoked"] = True
            for info in self.access_tokens.values():
                if info["refresh"] == token:
                    info["expires"] = 0
            return True
