"""Sell Inventory API v1: inventory items, groups, offers, locations, bulk."""

from .endpoints import BULK_LIMIT
from .paths import path_segment

BASE = "/sell/inventory/v1"


def _key(value, what="SKU"):
    """Path-quote a SKU or key (SKUs may hold characters URLs reserve)."""
    return path_segment(value, what)


def chunks(items, size=BULK_LIMIT):
    """Split ``items`` into lists of at most ``size`` (eBay's bulk limit)."""
    items = list(items)
    return [items[i : i + size] for i in range(0, len(items), size)]


class InventoryApi:
    """Thin wrappers: one method per eBay operation, data in, data out."""

    def __init__(self, client):
        self.client = client

    def _call(self, method, path, operation, **kwargs):
        return self.client.request(method, BASE + path, operation=operation, **kwargs)

    # -- inventory items -----------------------------------------------------
    def create_or_replace_inventory_item(self, sku, item):
        return self._call(
            "PUT",
            f"/inventory_item/{_key(sku)}",
            "createOrReplaceInventoryItem",
            json=item,
        )

    def get_inventory_item(self, sku):
        return self._call(
            "GET", f"/inventory_item/{_key(sku)}", "getInventoryItem"
        ).data

    def delete_inventory_item(self, sku):
        return self._call(
            "DELETE", f"/inventory_item/{_key(sku)}", "deleteInventoryItem"
        )

    def bulk_create_or_replace_inventory_item(self, requests_):
        return self._call(
            "POST",
            "/bulk_create_or_replace_inventory_item",
            "bulkCreateOrReplaceInventoryItem",
            json={"requests": requests_},
        ).data

    def bulk_get_inventory_item(self, skus):
        return self._call(
            "POST",
            "/bulk_get_inventory_item",
            "bulkGetInventoryItem",
            json={"requests": [{"sku": sku} for sku in skus]},
        ).data

    def bulk_update_price_quantity(self, requests_):
        return self._call(
            "POST",
            "/bulk_update_price_quantity",
            "bulkUpdatePriceQuantity",
            json={"requests": requests_},
        ).data

    # -- groups ------------------------------------------------------------------
    def create_or_replace_inventory_item_group(self, key, group):
        return self._call(
            "PUT",
            f"/inventory_item_group/{_key(key, 'group key')}",
            "createOrReplaceInventoryItemGroup",
            json=group,
        )

    def get_inventory_item_group(self, key):
        return self._call(
            "GET",
            f"/inventory_item_group/{_key(key, 'group key')}",
            "getInventoryItemGroup",
        ).data

    def delete_inventory_item_group(self, key):
        return self._call(
            "DELETE",
            f"/inventory_item_group/{_key(key, 'group key')}",
            "deleteInventoryItemGroup",
        )

    # -- offers ------------------------------------------------------------------
    def create_offer(self, offer):
        return self._call("POST", "/offer", "createOffer", json=offer).data

    def update_offer(self, offer_id, offer):
        return self._call(
            "PUT", f"/offer/{_key(offer_id, 'offer id')}", "updateOffer", json=offer
        ).data

    def get_offer(self, offer_id):
        return self._call(
            "GET", f"/offer/{_key(offer_id, 'offer id')}", "getOffer"
        ).data

    def get_offers(self, sku, marketplace_id=None):
        params = {"sku": sku}
        if marketplace_id:
            params["marketplace_id"] = marketplace_id
        return self._call("GET", "/offer", "getOffers", params=params).data

    def delete_offer(self, offer_id):
        return self._call(
            "DELETE", f"/offer/{_key(offer_id, 'offer id')}", "deleteOffer"
        )

    def publish_offer(self, offer_id):
        return self._call(
            "POST", f"/offer/{_key(offer_id, 'offer id')}/publish", "publishOffer"
        ).data

    def withdraw_offer(self, offer_id):
        return self._call(
            "POST", f"/offer/{_key(offer_id, 'offer id')}/withdraw", "withdrawOffer"
        ).data

    def bulk_create_offer(self, offers):
        return self._call(
            "POST", "/bulk_create_offer", "bulkCreateOffer", json={"requests": offers}
        ).data

    def bulk_publish_offer(self, offer_ids):
        return self._call(
            "POST",
            "/bulk_publish_offer",
            "bulkPublishOffer",
            json={"requests": [{"offerId": o} for o in offer_ids]},
        ).data

    def publish_offer_by_inventory_item_group(self, key, marketplace_id):
        return self._call(
            "POST",
            "/offer/publish_by_inventory_item_group",
            "publishOfferByInventoryItemGroup",
            json={"inventoryItemGroupKey": key, "marketplaceId": marketplace_id},
        ).data

    def withdraw_offer_by_inventory_item_group(self, key, marketplace_id):
        return self._call(
            "POST",
            "/offer/withdraw_by_inventory_item_group",
            "withdrawOfferByInventoryItemGroup",
            json={"inventoryItemGroupKey": key, "marketplaceId": marketplace_id},
        ).data

    def get_listing_fees(self, offer_ids):
        return self._call(
            "POST",
            "/offer/get_listing_fees",
            "getListingFees",
            json={"offers": [{"offerId": o} for o in offer_ids]},
        ).data

    def bulk_migrate_listing(self, listing_ids):
        return self._call(
            "POST",
            "/bulk_migrate_listing",
            "bulkMigrateListing",
            json={"requests": [{"listingId": i} for i in listing_ids]},
        ).data

    # -- locations ---------------------------------------------------------------
    def create_inventory_location(self, key, location):
        return self._call(
            "POST",
            f"/location/{_key(key, 'location key')}",
            "createInventoryLocation",
            json=location,
        )

    def get_inventory_location(self, key):
        return self._call(
            "GET", f"/location/{_key(key, 'location key')}", "getInventoryLocation"
        ).data
