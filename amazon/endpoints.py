"""Hosts of Amazon's Selling Partner API, LWA and Seller Central, and the
marketplaces the connector knows (AMAZON_FACTS §1, §3)."""

from dataclasses import dataclass
from types import MappingProxyType

REGIONS = ("NA", "EU", "FE")
ENVIRONMENTS = ("production", "sandbox", "emulator")

# Amazon's docs name one LWA host for every region (AMAZON_FACTS §1).
LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token"
LWA_TOKEN_PATH = "/auth/o2/token"
CONSENT_PATH = "/apps/authorize/consent"

API_HOSTS = MappingProxyType(
    {
        "NA": "sellingpartnerapi-na.amazon.com",
        "EU": "sellingpartnerapi-eu.amazon.com",
        "FE": "sellingpartnerapi-fe.amazon.com",
    }
)

# The Seller Central host a region's sellers consent on when no marketplace
# says better.  NA and EU are in AMAZON_FACTS §1; FE has no single host
# (JP, AU and SG each have their own): Japan's is UNCONFIRMED as the region's
# default, so callers that know the seller's marketplace pass it instead.
SELLER_CENTRAL_HOSTS = MappingProxyType(
    {
        "NA": "sellercentral.amazon.com",
        "EU": "sellercentral-europe.amazon.com",
        "FE": "sellercentral.amazon.co.jp",
    }
)


@dataclass(frozen=True)
class Marketplace:
    """One Amazon marketplace (ids from AMAZON_FACTS §3)."""

    id: str
    country_code: str
    name: str
    region: str
    currency: str
    language: str  # the default language tag of its listings (en_US...)
    seller_central: str  # the Seller Central host its sellers use


def _marketplaces(*rows):
    return MappingProxyType({row[0]: Marketplace(*row) for row in rows})


# Seller Central hosts per country follow DG §"Seller Central URLs"; only
# the US, CA and the pan-European host are quoted in AMAZON_FACTS, the others
# are UNCONFIRMED there (the region's host above is the safe fallback).
MARKETPLACES = _marketplaces(
    (
        "ATVPDKIKX0DER",
        "US",
        "Amazon.com",
        "NA",
        "USD",
        "en_US",
        "sellercentral.amazon.com",
    ),
    (
        "A2EUQ1WTGCTBG2",
        "CA",
        "Amazon.ca",
        "NA",
        "CAD",
        "en_CA",
        "sellercentral.amazon.ca",
    ),
    (
        "A1AM78C64UM0Y8",
        "MX",
        "Amazon.com.mx",
        "NA",
        "MXN",
        "es_MX",
        "sellercentral.amazon.com.mx",
    ),
    (
        "A2Q3Y263D00KWC",
        "BR",
        "Amazon.com.br",
        "NA",
        "BRL",
        "pt_BR",
        "sellercentral.amazon.com.br",
    ),
    (
        "A1F83G8C2ARO7P",
        "GB",
        "Amazon.co.uk",
        "EU",
        "GBP",
        "en_GB",
        "sellercentral-europe.amazon.com",
    ),
    (
        "A1PA6795UKMFR9",
        "DE",
        "Amazon.de",
        "EU",
        "EUR",
        "de_DE",
        "sellercentral-europe.amazon.com",
    ),
    (
        "A13V1IB3VIYZZH",
        "FR",
        "Amazon.fr",
        "EU",
        "EUR",
        "fr_FR",
        "sellercentral-europe.amazon.com",
    ),
    (
        "APJ6JRA9NG5V4",
        "IT",
        "Amazon.it",
        "EU",
        "EUR",
        "it_IT",
        "sellercentral-europe.amazon.com",
    ),
    (
        "A1RKKUPIHCS9HS",
        "ES",
        "Amazon.es",
        "EU",
        "EUR",
        "es_ES",
        "sellercentral-europe.amazon.com",
    ),
    (
        "A1805IZSGTT6HS",
        "NL",
        "Amazon.nl",
        "EU",
        "EUR",
        "nl_NL",
        "sellercentral.amazon.nl",
    ),
    (
        "A2NODRKZP88ZB9",
        "SE",
        "Amazon.se",
        "EU",
        "SEK",
        "sv_SE",
        "sellercentral.amazon.se",
    ),
    (
        "A1C3SOZRARQ6R3",
        "PL",
        "Amazon.pl",
        "EU",
        "PLN",
        "pl_PL",
        "sellercentral.amazon.pl",
    ),
    (
        "AMEN7PMS3EDWL",
        "BE",
        "Amazon.com.be",
        "EU",
        "EUR",
        "fr_BE",
        "sellercentral.amazon.com.be",
    ),
    (
        "A28R8C7NBKEWEA",
        "IE",
        "Amazon.ie",
        "EU",
        "EUR",
        "en_IE",
        "sellercentral-europe.amazon.com",
    ),
    (
        "A1VC38T7YXB528",
        "JP",
        "Amazon.co.jp",
        "FE",
        "JPY",
        "ja_JP",
        "sellercentral.amazon.co.jp",
    ),
    (
        "A39IBJ37TRP1C6",
        "AU",
        "Amazon.com.au",
        "FE",
        "AUD",
        "en_AU",
        "sellercentral.amazon.com.au",
    ),
)


@dataclass(frozen=True)
class Endpoints:
    """Base URLs of one region and environment.

    ``api_url``: the SP-API host; ``lwa_url``: the LWA token endpoint (a full
    URL); ``consent_url``: Seller Central's website-authorisation page (a
    full URL, the query is added by the caller).  The emulator plays all
    three on one origin.
    """

    api_url: str
    lwa_url: str
    consent_url: str


def _region(region):
    code = (region or "").upper()
    if code not in REGIONS:
        raise ValueError(f"Unknown Amazon region: {region!r} (one of {REGIONS})")
    return code


def endpoints_for(region, environment, emulator_url=None, marketplace_id=None):
    """The :class:`Endpoints` of ``region`` (NA, EU, FE) in ``environment``.

    ``marketplace_id`` picks the Seller Central host of that marketplace for
    the consent page (default: the region's).  Sandbox calls use the same
    LWA and Seller Central as production (AMAZON_FACTS §9); ``emulator``
    needs ``emulator_url``.
    """
    code = _region(region)
    if environment == "emulator":
        if not emulator_url:
            raise ValueError("The emulator environment needs the emulator's URL.")
        base = emulator_url.rstrip("/")
        return Endpoints(base, base + LWA_TOKEN_PATH, base + CONSENT_PATH)
    if environment not in ("production", "sandbox"):
        raise ValueError(f"Unknown Amazon environment: {environment!r}")
    host = API_HOSTS[code]
    if environment == "sandbox":
        host = "sandbox." + host
    marketplace = MARKETPLACES.get(marketplace_id)
    if marketplace is not None and marketplace.region != code:
        raise ValueError(
            f"Marketplace {marketplace_id} is in region {marketplace.region}, "
            f"not {code}."
        )
    seller_central = (
        marketplace.seller_central if marketplace else SELLER_CENTRAL_HOSTS[code]
    )
    return Endpoints(
        api_url=f"https://{host}",
        lwa_url=LWA_TOKEN_URL,
        consent_url=f"https://{seller_central}{CONSENT_PATH}",
    )


def marketplaces_of(region):
    """The known marketplaces of ``region``, in table order."""
    code = _region(region)
    return [m for m in MARKETPLACES.values() if m.region == code]
