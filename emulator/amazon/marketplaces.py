"""Amazon's marketplaces as the Sellers API describes them (``Marketplace``
of models/sellers-api-model/sellers.json): id -> country, name, currency,
language, domain, region.

Ids and regions: AMAZON_FACTS.md section 3 (DG "marketplaceId values").
Names and domains are Amazon's storefront names; languages are ISO 639-1
as the model asks (``defaultLanguageCode``), e.g. "en" for the US.
"""

MARKETPLACES = {
    "ATVPDKIKX0DER": ("US", "Amazon.com", "USD", "en", "www.amazon.com", "NA"),
    "A2EUQ1WTGCTBG2": ("CA", "Amazon.ca", "CAD", "en", "www.amazon.ca", "NA"),
    "A1AM78C64UM0Y8": ("MX", "Amazon.com.mx", "MXN", "es", "www.amazon.com.mx", "NA"),
    "A2Q3Y263D00KWC": ("BR", "Amazon.com.br", "BRL", "pt", "www.amazon.com.br", "NA"),
    "A1F83G8C2ARO7P": ("GB", "Amazon.co.uk", "GBP", "en", "www.amazon.co.uk", "EU"),
    "A1PA6795UKMFR9": ("DE", "Amazon.de", "EUR", "de", "www.amazon.de", "EU"),
    "A13V1IB3VIYZZH": ("FR", "Amazon.fr", "EUR", "fr", "www.amazon.fr", "EU"),
    "APJ6JRA9NG5V4": ("IT", "Amazon.it", "EUR", "it", "www.amazon.it", "EU"),
    "A1RKKUPIHCS9HS": ("ES", "Amazon.es", "EUR", "es", "www.amazon.es", "EU"),
    "A1805IZSGTT6HS": ("NL", "Amazon.nl", "EUR", "nl", "www.amazon.nl", "EU"),
    "A2NODRKZP88ZB9": ("SE", "Amazon.se", "SEK", "sv", "www.amazon.se", "EU"),
    "A1C3SOZRARQ6R3": ("PL", "Amazon.pl", "PLN", "pl", "www.amazon.pl", "EU"),
    "A1VC38T7YXB528": ("JP", "Amazon.co.jp", "JPY", "ja", "www.amazon.co.jp", "FE"),
    "A39IBJ37TRP1C6": ("AU", "Amazon.com.au", "AUD", "en", "www.amazon.com.au", "FE"),
}
REGIONS = ("NA", "EU", "FE")


def marketplace(marketplace_id):
    """The Sellers API's ``Marketplace`` object of ``marketplace_id``."""
    country, name, currency, language, domain, _region = MARKETPLACES[marketplace_id]
    return {
        "id": marketplace_id,
        "name": name,
        "countryCode": country,
        "defaultCurrencyCode": currency,
        "defaultLanguageCode": language,
        "domainName": domain,
    }


def region_of(marketplace_id):
    return MARKETPLACES[marketplace_id][5]
