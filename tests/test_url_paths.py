"""Ids in eBay URL paths: quoted, and never '.' or '..'.

Quoting leaves a dot as it is, and URL normalisation reads '.' and '..' as
path steps: ``GET /sell/inventory/v1/inventory_item/..`` would reach
getInventoryItems instead of one item.  Such ids are refused before any call.
"""

from odoo.tests import tagged

from ..ebay import EbayNotFound, EbayValidationError
from ..ebay.account import AccountApi
from ..ebay.fulfillment import FulfillmentApi
from ..ebay.inventory import InventoryApi
from ..ebay.media import MediaApi
from ..ebay.notification import NotificationApi
from ..ebay.taxonomy import TaxonomyApi
from .ebay_common import ListingCase


@tagged("post_install", "-at_install")
class TestUrlPaths(ListingCase):
    def test_dot_ids_are_refused_before_any_call(self):
        client = self.account._ebay_client()
        inventory, orders = InventoryApi(client), FulfillmentApi(client)
        calls = {
            "getInventoryItem": lambda v: inventory.get_inventory_item(v),
            "createOrReplaceInventoryItem": lambda v: (
                inventory.create_or_replace_inventory_item(v, {})
            ),
            "deleteInventoryItem": lambda v: inventory.delete_inventory_item(v),
            "getInventoryItemGroup": lambda v: inventory.get_inventory_item_group(v),
            "getOffer": lambda v: inventory.get_offer(v),
            "publishOffer": lambda v: inventory.publish_offer(v),
            "withdrawOffer": lambda v: inventory.withdraw_offer(v),
            "getInventoryLocation": lambda v: inventory.get_inventory_location(v),
            "getOrder": lambda v: orders.get_order(v),
            "getShippingFulfillments": lambda v: orders.get_shipping_fulfillments(v),
            "createShippingFulfillment": lambda v: orders.create_shipping_fulfillment(
                v, {}
            ),
            "getPaymentPolicy": lambda v: AccountApi(client).get_policy("payment", v),
            "getImage": lambda v: MediaApi(client).get_image(v),
            "getCategoryTree": lambda v: TaxonomyApi(client).get_category_tree(v),
            "getPublicKey": lambda v: NotificationApi(client).get_public_key(v),
        }
        self.emulator._call("DELETE", "calls")
        for operation, call in calls.items():
            for value in (".", ".."):
                with self.assertRaises(EbayValidationError, msg=operation) as caught:
                    call(value)
                self.assertIn(repr(value), str(caught.exception), operation)
        self.assertEqual(self.emulator.calls(), [], "nothing was sent to eBay")

    def test_reserved_characters_stay_inside_their_segment(self):
        listing = self._listing()
        self._run(listing)
        # "../" inside an id is quoted: eBay looks up that offer, nothing else.
        calls_before = len(self.emulator.calls())
        with self.assertRaises(EbayNotFound):
            self._api().get_offer(f"{listing.offer_id}/../../inventory_item")
        path = self.emulator.calls()[calls_before:][-1]["path"]
        self.assertEqual(
            path,
            f"/sell/inventory/v1/offer/{listing.offer_id}%2F..%2F..%2Finventory_item",
        )

    def test_a_dot_sku_is_shown_to_the_seller_before_publishing(self):
        for sku in (".", ".."):
            product = self._product(sku, f"Product {sku}", 1)
            listing = self._listing(product)
            listing.action_publish()
            self.assertEqual(listing.state, "error", sku)
            self.assertIn(f"The SKU {sku!r} cannot be used on eBay", listing.last_error)
        self.assertEqual(self.emulator.calls(path="^/sell/inventory/"), [])
