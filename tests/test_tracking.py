from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import ShippingMixin
from .ebay_common import OrderCase


@tagged("post_install", "-at_install")
class TestTracking(ShippingMixin, OrderCase):
    def setUp(self):
        super().setUp()
        self.carrier = self._usps_carrier()

    def _fulfillments(self, order_id):
        return self._api_fulfillments(order_id)["fulfillments"]

    def _api_fulfillments(self, order_id):
        client = self.account._ebay_client()
        return client.request(
            "GET", f"/sell/fulfillment/v1/order/{order_id}/shipping_fulfillment"
        ).data

    def test_tracking_reaches_ebay_once_and_partially(self):
        order = self._buy(
            [{"sku": "MUG-1", "quantity": 2}, {"sku": "TSHIRT-1", "quantity": 1}]
        )
        self._poll()
        sale = self._orders().sale_order_id
        picking = sale.picking_ids
        trap = self._ship(
            picking, {"MUG-1": 1, "TSHIRT-1": 1}, "9400100000000000000001"
        )
        self.assertEqual(picking.marketplace_tracking_state, "queued")
        self.assertEqual(trap.jobs_count(only=picking._job_send_tracking), 1)
        picking._job_send_tracking()
        picking._job_send_tracking()  # a second run sends nothing
        self.assertEqual(picking.marketplace_tracking_state, "sent")
        fulfillments = self._fulfillments(order["orderId"])
        self.assertEqual(len(fulfillments), 1)
        self.assertEqual(
            fulfillments[0]["shipmentTrackingNumber"], "9400100000000000000001"
        )
        self.assertEqual(fulfillments[0]["shippingCarrierCode"], "USPS")
        self.assertEqual(
            sorted(li["quantity"] for li in fulfillments[0]["lineItems"]), [1, 1]
        )
        calls = self.emulator.calls(path="shipping_fulfillment$", method="POST")
        self.assertEqual(len(calls), 1)
        # The rest of the mugs ship later: only that line, only that quantity.
        backorder = sale.picking_ids - picking
        self.assertTrue(backorder)
        self._ship(backorder, {"MUG-1": 1}, "9400100000000000000002")
        backorder._job_send_tracking()
        fulfillments = self._fulfillments(order["orderId"])
        self.assertEqual(len(fulfillments), 2)
        self.assertEqual(fulfillments[1]["lineItems"][0]["quantity"], 1)

    def test_lost_transaction_rerun_recognises_the_sent_tracking(self):
        order = self._buy([{"sku": "MUG-1", "quantity": 1}])
        self._poll()
        picking = self._orders().sale_order_id.picking_ids
        self._ship(picking, {"MUG-1": 1}, "TRACK-LOST-1")
        # A first run reached eBay, then its transaction was lost.
        client = self.account._ebay_client()
        line_item = picking.move_ids.sale_line_id.marketplace_line_id
        client.request(
            "POST",
            f"/sell/fulfillment/v1/order/{order['orderId']}/shipping_fulfillment",
            json={
                "lineItems": [{"lineItemId": line_item, "quantity": 1}],
                "shippingCarrierCode": "USPS",
                "trackingNumber": "TRACK-LOST-1",
                "shippedDate": "2026-11-22T10:00:00.000Z",
            },
        )
        picking._job_send_tracking()
        self.assertEqual(picking.marketplace_tracking_state, "sent")
        self.assertEqual(len(self._fulfillments(order["orderId"])), 1)

    def test_unmapped_carrier_is_a_clear_error_on_the_picking(self):
        self._buy([{"sku": "MUG-1", "quantity": 1}])
        self._poll()
        picking = self._orders().sale_order_id.picking_ids
        other = self.carrier.copy({"name": "Local courier", "ebay_carrier_code": False})
        trap = self._ship(picking, {"MUG-1": 1}, "LOCAL-1", carrier=other)
        self.assertFalse(trap.jobs_count(only=picking._job_send_tracking))
        self.assertEqual(picking.marketplace_tracking_state, "error")
        self.assertIn("no eBay carrier code", picking.marketplace_tracking_error)
        self.assertFalse(self.emulator.calls(path="shipping_fulfillment"))
        other.ebay_carrier_code = "Other"
        with trap_jobs() as trap:
            picking.action_resend_tracking()
            self.assertEqual(trap.jobs_count(only=picking._job_send_tracking), 1)

    def test_stock_user_without_ebay_rights_validates_an_unmapped_delivery(self):
        self._buy([{"sku": "MUG-1", "quantity": 1}])
        self._poll()
        picking = self._orders().sale_order_id.picking_ids
        other = self.carrier.copy({"name": "Courier", "ebay_carrier_code": False})
        clerk = self._stock_clerk("clerk_tracking")
        self._ship(picking.with_user(clerk), {"MUG-1": 1}, "LOCAL-2", carrier=other)
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.marketplace_tracking_state, "error")
        letter = self.env["marketplace.dead.letter"].search(
            [("res_model", "=", "stock.picking"), ("res_id", "=", picking.id)]
        )
        self.assertEqual(letter.kind, "tracking")
        self.assertEqual(letter.account_id, self.account)
        self.assertIn("no eBay carrier code", letter.error)
