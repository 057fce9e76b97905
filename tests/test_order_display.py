"""What a marketplace order and its sale order show a seller: the lines,
the ship-to address, the statuses in words, the tax the marketplace
collected, and the shipping status once the tracking is sent."""

from odoo.tests import tagged

from .amazon_order_common import AmazonOrderCase
from .common import ShippingMixin
from .ebay_common import OrderCase


@tagged("post_install", "-at_install")
class TestEbayOrderDisplay(ShippingMixin, OrderCase):
    def setUp(self):
        super().setUp()
        self.carrier = self._usps_carrier()

    def test_the_order_reads_in_words(self):
        self._buy(
            [{"sku": "TSHIRT-1", "quantity": 2}, {"sku": "MUG-1", "quantity": 1}],
            shippingCost=4.99,
            tax=1.50,
            notify=False,
        )
        self._poll()
        order = self._orders()
        self.assertEqual(order.payment_status_label, "Paid")
        self.assertEqual(order.fulfillment_status_label, "Not shipped yet")
        self.assertEqual(order.cancel_status_label, "None requested")
        self.assertIn("2145 Hamilton Avenue", order.ship_to_address)
        self.assertIn("San Jose", order.ship_to_address)
        lines = order.line_summary
        for text in ("TSHIRT-1", "MUG-1", "39.80", "Delivery", "4.99", "66.19"):
            self.assertIn(text, lines)
        self.assertIn("eBay Collect and Remit", lines)
        self.assertIn(self.product.display_name, lines)
        self.assertNotIn("No product with this SKU", lines)

    def test_the_sale_order_explains_the_collected_tax(self):
        self._buy([{"sku": "MUG-1", "quantity": 1}], tax=1.50, notify=False)
        self._poll()
        sale = self._orders().sale_order_id
        self.assertAlmostEqual(sale.amount_total, 19.9)
        note = sale.marketplace_tax_note
        self.assertIn("$\xa021.40", note, "what the buyer paid")
        self.assertIn("$\xa01.50", note)
        self.assertIn("$\xa019.90", note, "the sale order's total")
        self.assertIn("eBay Collect and Remit", note)
        # Read by a salesman without marketplace rights.
        salesman = self.env["res.users"].create(
            {
                "name": "Sam Sales",
                "login": "sam.sales",
                "groups_id": [
                    (6, 0, [self.env.ref("sales_team.group_sale_manager").id])
                ],
            }
        )
        self.assertEqual(sale.with_user(salesman).marketplace_tax_note, note)

    def test_no_note_without_collected_tax(self):
        self._buy([{"sku": "MUG-1", "quantity": 1}], notify=False)
        self._poll()
        self.assertFalse(self._orders().sale_order_id.marketplace_tax_note)

    def test_a_flagged_order_shows_its_unknown_sku(self):
        # A listing made outside Odoo sells an item Odoo does not know.
        self._list_outside_odoo("GHOST-1")
        self._buy([{"sku": "GHOST-1", "quantity": 1}], notify=False)
        self._poll()
        order = self._orders()
        self.assertEqual(order.state, "flagged")
        self.assertIn("No product with this SKU", order.line_summary)
        self.assertIn("2145 Hamilton Avenue", order.ship_to_address)

    def test_the_shipping_status_follows_the_sent_tracking(self):
        self._buy([{"sku": "MUG-1", "quantity": 2}], notify=False)
        self._poll()
        order = self._orders()
        picking = order.sale_order_id.picking_ids
        self._ship(picking, {"MUG-1": 1}, "9400100000000000000011")
        picking._job_send_tracking()
        self.assertEqual(picking.marketplace_tracking_state, "sent")
        self.assertEqual(order.fulfillment_status, "IN_PROGRESS")
        self.assertEqual(order.fulfillment_status_label, "Partly shipped")
        backorder = order.sale_order_id.picking_ids - picking
        self._ship(backorder, {"MUG-1": 1}, "9400100000000000000012")
        backorder._job_send_tracking()
        self.assertEqual(order.fulfillment_status_label, "Shipped")


@tagged("post_install", "-at_install")
class TestAmazonOrderDisplay(ShippingMixin, AmazonOrderCase):
    def setUp(self):
        super().setUp()
        self.carrier = self._usps_carrier()

    def _sale(self, lines, **kw):
        order = self._buy(lines, **kw)
        self._poll()
        return self._order(order["orderId"])

    def test_the_order_reads_in_words(self):
        order = self._sale([{"sku": "MUG-1", "quantity": 1}], tax=1.5)
        self.assertEqual(order.fulfillment_status_label, "Not shipped yet")
        self.assertFalse(order.payment_status_label, "Amazon says no payment status")
        self.assertIn("MUG-1", order.line_summary)
        self.assertIn("marketplace facilitator", order.line_summary)
        self.assertTrue(order.ship_to_address)
        note = order.sale_order_id.marketplace_tax_note
        self.assertIn("Amazon's marketplace facilitator tax", note)
        self.assertIn("$\xa01.50", note)

    def test_the_shipping_status_follows_the_sent_tracking(self):
        order = self._sale([{"sku": "MUG-1", "quantity": 1}])
        picking = order.sale_order_id.picking_ids
        self._ship(picking, {"MUG-1": 1}, "9400100000000000000021")
        picking._job_send_tracking()
        self.assertEqual(picking.marketplace_tracking_state, "sent")
        self.assertEqual(order.fulfillment_status, "SHIPPED")
        self.assertEqual(order.fulfillment_status_label, "Shipped")
