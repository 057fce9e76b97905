"""Sellers API v1 (models/sellers-api-model/sellers.json):
getMarketplaceParticipations and getAccount, from the seller the access
token was issued for and the marketplaces it sells in (``state.sellers``)."""

from .marketplaces import marketplace
from .routes import route


def _participations(state, seller_id):
    with state.lock:
        seller = dict(state.sellers[seller_id])
    return [
        {
            "marketplace": marketplace(marketplace_id),
            "participation": {"isParticipating": True, "hasSuspendedListings": False},
            "storeName": seller["name"],
        }
        for marketplace_id in seller["marketplaces"]
    ], seller


@route("GET", "/sellers/v1/marketplaceParticipations", auth="seller")
def get_marketplace_participations(req):
    participations, _seller = _participations(req.state, req.token["seller_id"])
    return 200, {"payload": participations}, {}


@route("GET", "/sellers/v1/account", auth="seller")
def get_account(req):
    participations, seller = _participations(req.state, req.token["seller_id"])
    country = (
        participations[0]["marketplace"]["countryCode"] if participations else "US"
    )
    account = {
        "marketplaceParticipationList": participations,
        "businessType": "PRIVATE_LIMITED",
        "sellingPlan": "PROFESSIONAL",
        "business": {
            "name": seller["name"],
            "registeredBusinessAddress": {
                "addressLine1": "1 Loopback Road",
                "city": "Seattle",
                "stateOrProvinceCode": "WA",
                "postalCode": "98109",
                "countryCode": country,
            },
        },
        "primaryContact": {
            "name": "Emma Ulator",
            "address": {"addressLine1": "1 Loopback Road", "countryCode": country},
        },
    }
    return 200, {"payload": account}, {}
