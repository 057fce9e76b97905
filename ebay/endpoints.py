"""Hosts, paths and scopes of the eBay APIs the connector uses."""

from dataclasses import dataclass

SCOPE_PREFIX = "https://api.ebay.com/oauth/api_scope"
APP_SCOPE = SCOPE_PREFIX

# The consent set the connector needs (EBAY_FACTS §1), sell.finances (the
# fees and payouts are read from the Finances API) and the Analytics API's
# read-only scope (the seller's standing).
DEFAULT_SCOPES = (
    SCOPE_PREFIX,
    f"{SCOPE_PREFIX}/sell.inventory",
    f"{SCOPE_PREFIX}/sell.account",
    f"{SCOPE_PREFIX}/sell.fulfillment",
    f"{SCOPE_PREFIX}/commerce.notification.subscription",
    f"{SCOPE_PREFIX}/commerce.identity.readonly",
    f"{SCOPE_PREFIX}/sell.finances",
    # The seller standards and customer service metrics (Analytics API).
    f"{SCOPE_PREFIX}/sell.analytics.readonly",
)

TOKEN_PATH = "/identity/v1/oauth2/token"
AUTHORIZE_PATH = "/oauth2/authorize"
IDENTITY_USER_PATH = "/commerce/identity/v1/user/"

# eBay's bulk operations take at most this many entries per call.
BULK_LIMIT = 25


@dataclass(frozen=True)
class Endpoints:
    """Base URLs of one eBay environment.

    eBay spreads its APIs over several hosts (api, apiz for Identity, apim for
    Media, auth for the consent page); the emulator serves them all on one
    origin.
    """

    api: str
    apiz: str
    apim: str
    auth: str

    @classmethod
    def for_environment(cls, environment, emulator_url=None):
        if environment == "production":
            return cls(
                api="https://api.ebay.com",
                apiz="https://apiz.ebay.com",
                apim="https://apim.ebay.com",
                auth="https://auth.ebay.com",
            )
        if environment == "sandbox":
            return cls(
                api="https://api.sandbox.ebay.com",
                apiz="https://apiz.sandbox.ebay.com",
                apim="https://apim.sandbox.ebay.com",
                auth="https://auth.sandbox.ebay.com",
            )
        if environment == "emulator":
            if not emulator_url:
                raise ValueError("The emulator environment needs the emulator's URL.")
            base = emulator_url.rstrip("/")
            return cls(api=base, apiz=base, apim=base, auth=base)
        raise ValueError(f"Unknown eBay environment: {environment!r}")

    @property
    def token_url(self):
        return self.api + TOKEN_PATH

    @property
    def authorize_url(self):
        return self.auth + AUTHORIZE_PATH
