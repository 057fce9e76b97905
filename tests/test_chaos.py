"""eBay's day under faults of every kind on every eBay path (issue 10).

The day and its assertions are the neutral ones (tests/chaos_common.py);
here eBay's side of them: purchases and cancellations on the emulator,
orders in by the poll cron, tracking read back from eBay's shipping
fulfillments, listings compared with their offers.
"""

from odoo.tests import tagged
from odoo.tools import mute_logger

from .chaos_common import MUTED, ChaosDayMixin
from .ebay_common import CLIENT_LOGGER, OrderCase


@tagged("post_install", "-at_install")
class TestChaos(ChaosDayMixin, OrderCase):
    CHAOS_PATHS = "^/(sell|commerce|identity)/"

    # -- eBay's side of the day ------------------------------------------------
    def _chaos_products(self):
        return self.product, self.mug

    def _chaos_buy(self, lines):
        return self._buy(lines)["orderId"]

    def _chaos_cancel(self, order_id):
        self.emulator._call("POST", f"orders/{order_id}/cancel")

    def _chaos_crons(self):
        self.env["marketplace.account"]._cron_poll_orders()

    def _chaos_carrier(self):
        return self._usps_carrier()

    def _chaos_tracking_numbers(self, order_id):
        client = self.account._ebay_client()
        path = f"/sell/fulfillment/v1/order/{order_id}/shipping_fulfillment"
        fulfillments = client.request("GET", path).data.get("fulfillments") or []
        return [f.get("shipmentTrackingNumber") for f in fulfillments]

    def _chaos_assert_listings_match(self):
        for listing in self.env["ebay.listing"].search(
            [("account_id", "=", self.account.id)]
        ):
            offer = self._api().get_offer(listing.offer_id)
            wanted = self.account._target_quantity(listing.product_id)
            self.assertEqual(offer["availableQuantity"], wanted, listing.sku)
            self.assertFalse(listing.push_pending, listing.sku)

    # -- the day ---------------------------------------------------------------
    @mute_logger(CLIENT_LOGGER, *MUTED)
    def test_a_day_under_faults_loses_nothing_and_doubles_nothing(self):
        self._a_day_under_faults()
