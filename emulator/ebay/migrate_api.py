"""bulkMigrateListing: legacy (Trading API) listings become inventory-model.

Tests seed legacy listings through the control API; migrating one creates
its inventory item(s), offer(s) and, for a multi-variation listing, its
group — as eBay does.
"""

from . import errors
from .inventory_api import BASE, DOMAIN, _offer_ids, inv
from .routes import route


def legacy(state):
    return state.data.setdefault("legacy_listings", {})


@route("POST", "/_emulator/legacy_listings", auth=None)
def seed_legacy(req):
    """Control API: {listingId, marketplaceId, title, price, quantity,
    categoryId, skus: [..], policies: {...}, merchantLocationKey}."""
    body = dict(req.json or {})
    if not body.get("listingId"):
        return 400, {"error": "listingId required"}, {}
    with req.state.lock:
        legacy(req.state)[body["listingId"]] = body
    return 200, {"ok": True}, {}


def _migrate(state, listing_id):
    listing = legacy(state).get(listing_id)
    base = {"listingId": listing_id}
    if not listing:
        return dict(
            base,
            statusCode=404,
            errors=[
                errors.error(25710, DOMAIN, f"Listing {listing_id} was not found.")
            ],
        )
    if listing.get("migrated"):
        return dict(
            base,
            statusCode=400,
            errors=[
                errors.error(
                    25002,
                    DOMAIN,
                    "The listing is already migrated to the inventory model.",
                )
            ],
        )
    skus = listing.get("skus") or []
    if not skus or not all(skus):
        return dict(
            base,
            statusCode=400,
            errors=[
                errors.error(
                    25017,
                    DOMAIN,
                    "Every item and variation needs a SKU to be migrated.",
                )
            ],
        )
    data = inv(state)
    items = []
    for sku in skus:
        data["items"][sku] = {
            "sku": sku,
            "product": {
                "title": listing.get("title", sku),
                "imageUrls": listing.get("imageUrls")
                or ["https://i.ebayimg.com/images/g/legacy/s-l1600.jpg"],
            },
            "condition": "NEW",
            "availability": {
                "shipToLocationAvailability": {"quantity": listing.get("quantity", 0)}
            },
        }

        offer_id = str(next(_offer_ids))
        offer = {
            "offerId": offer_id,
            "sku": sku,
            "marketplaceId": listing.get("marketplaceId", "EBAY_US"),
            "format": "FIXED_PRICE",
            "categoryId": listing.get("categoryId"),
            "status": "PUBLISHED",
            "listingId": listing_id,
            "listingStatus": "ACTIVE",
            "availableQuantity": listing.get("quantity", 0),
            "pricingSummary": {
                "price": {"value": str(listing.get("price", "1.00")), "currency": "USD"}
            },
            "listingPolicies": listing.get("policies", {}),
            "merchantLocationKey": listing.get("merchantLocationKey"),
        }
        # What the legacy listing does not say is absent, never null.
        data["offers"][offer_id] = {k: v for k, v in offer.items() if v is not None}
        items.append({"sku": sku, "offerId": offer_id})
    listing["migrated"] = True
    response = dict(
        base,
        statusCode=200,
        marketplaceId=listing.get("marketplaceId", "EBAY_US"),
        inventoryItems=items,
    )
    if len(skus) > 1:
        response["inventoryItemGroupKey"] = f"GROUP-{listing_id}"
        inv(state).setdefault("groups", {})[response["inventoryItemGroupKey"]] = {
            "inventoryItemGroupKey": response["inventoryItemGroupKey"],
            "title": listing.get("title"),
            "variantSKUs": skus,
        }
    return response


@route("POST", f"{BASE}/bulk_migrate_listing")
def bulk_migrate(req):
    requests_ = (req.json or {}).get("requests") or []
    if not 1 <= len(requests_) <= 5:
        return (
            400,
            errors.body(
                errors.error(
                    25002, DOMAIN, "Send between 1 and 5 listing IDs per call."
                )
            ),
            {},
        )
    with req.state.lock:
        responses = [_migrate(req.state, r.get("listingId")) for r in requests_]
    failed = any(r["statusCode"] >= 400 for r in responses)
    return (207 if failed else 200), {"responses": responses}, {}
