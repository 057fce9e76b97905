"""Pure-Python Amazon Selling Partner API client: LWA, SP-API calls and
Amazon's JSON, never the ORM.

Built on ``apiclient`` (the HTTP door, call reporting, base errors that every
channel shares), like ``ebay/``.  Nothing in this package imports odoo, so it
can be tested and benchmarked on its own against the emulator.
"""

from .client import SUB_APIS, USER_AGENT, SpApiClient, user_agent
from .endpoints import MARKETPLACES, REGIONS, Endpoints, Marketplace, endpoints_for
from .errors import (
    AmazonAuthError,
    AmazonClientSecretError,
    AmazonError,
    AmazonNotFound,
    AmazonRateLimited,
    AmazonRefused,
    AmazonServerError,
    AmazonTimeout,
    AmazonTransientError,
    AmazonUnknownOutcome,
    AmazonUnreachable,
    actionable,
)
from .lwa import LwaClient, LwaToken
from .ratelimit import DEFAULT_RATES, RateLimiter, shared_limiter
from .transport import AmazonTransport

__all__ = [
    "DEFAULT_RATES",
    "MARKETPLACES",
    "REGIONS",
    "SUB_APIS",
    "USER_AGENT",
    "AmazonAuthError",
    "AmazonClientSecretError",
    "AmazonError",
    "AmazonNotFound",
    "AmazonRateLimited",
    "AmazonRefused",
    "AmazonServerError",
    "AmazonTimeout",
    "AmazonTransientError",
    "AmazonTransport",
    "AmazonUnknownOutcome",
    "AmazonUnreachable",
    "Endpoints",
    "LwaClient",
    "LwaToken",
    "Marketplace",
    "RateLimiter",
    "SpApiClient",
    "actionable",
    "endpoints_for",
    "shared_limiter",
    "user_agent",
]
