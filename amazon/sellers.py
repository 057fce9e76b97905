"""Sellers API v1: the marketplaces a seller takes part in."""


class SellersApi:
    def __init__(self, client):
        self.client = client

    def participations(self):
        """getMarketplaceParticipations: ``[{marketplace: {id, countryCode,
        name, defaultCurrencyCode, defaultLanguageCode, domainName},
        participation: {isParticipating, hasSuspendedListings}, storeName}]``."""
        data = self.client.request(
            "getMarketplaceParticipations",
            "GET",
            "/sellers/v1/marketplaceParticipations",
        ).data
        return (data or {}).get("payload") or []
