"""Pure-Python eBay REST client: HTTP, OAuth and eBay JSON, never the ORM.

Built on ``apiclient`` (the HTTP door, call reporting, base errors that every
channel shares).  Nothing in this package imports odoo, so it can be tested
and benchmarked on its own against the emulator.
"""

from .auth import OAuthClient, TokenSet
from .client import EbayClient
from .endpoints import DEFAULT_SCOPES, Endpoints
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

__all__ = [
    "DEFAULT_SCOPES",
    "EbayAuthError",
    "EbayClient",
    "EbayError",
    "EbayNotFound",
    "EbayRateLimited",
    "EbayServerError",
    "EbayTimeout",
    "EbayTransientError",
    "EbayUnknownOutcome",
    "EbayUnreachable",
    "EbayValidationError",
    "Endpoints",
    "OAuthClient",
    "TokenSet",
]
