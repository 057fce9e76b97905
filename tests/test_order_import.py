import json
import uuid
from datetime import datetime

import requests

from odoo import fields
from odoo.tools import mute_logger

from odoo.addons.queue_job.job import Job

from ..ebay.fulfillment import PAGE_LIMIT, FulfillmentApi
from ..models.marketplace.order_values import Address, Money, OrderValues
from .ebay_common import OrderCase


class TestOrderImport(OrderCase):
    def test_paid_order_becomes_one_confirmed_sale_order(self):
        data = self._buy(
            [{"sku": "TSHIRT-1", "quantity": 2}, {"sku": "MUG-1", "quantity": 1}],
            shippingCost=4.99,
            tax=1.50,
        )
        self._poll()
        order = self._orders()
        self.assertEqual(order.remote_order_id, data["orderId"])
        self.assertEqual(order.state, "imported")
        sale = order.sale_order_id
        self.assertEqual(sale.state, "sale", "paid orders are confirmed")
        self.assertEqual(sale.client_order_ref, data["orderId"])
        products = sale.order_line.mapped("product_id.default_code")
        self.assertEqual(sorted(products), ["EBAY-SHIPPING", "MUG-1", "TSHIRT-1"])
        tshirt = sale.order_line.filtered(lambda l: l.product_id == self.product)
        self.assertEqual((tshirt.product_uom_qty, tshirt.price_unit), (2, 19.9))
        self.assertTrue(tshirt.marketplace_line_id)
        self.assertFalse(sale.order_line.tax_id, "eBay collected the tax")
        self.assertAlmostEqual(order.marketplace_collected_tax, 1.5)
        self.assertAlmostEqual(sale.amount_total, 2 * 19.9 + 19.9 + 4.99)
        self.assertEqual(sale.partner_id.marketplace_buyer_username, "jo_buyer")
        shipping = sale.partner_shipping_id
        self.assertEqual((shipping.type, shipping.zip), ("delivery", "95125"))
        self.assertEqual(shipping.country_id, self.env.ref("base.us"))
        self.assertEqual(shipping.state_id.code, "CA")
        self.assertTrue(sale.picking_ids, "stock is reserved for shipping")

    def test_ebay_order_is_read_into_neutral_order_values(self):
        data = self._buy(
            [{"sku": "TSHIRT-1", "quantity": 2}, {"sku": "MUG-1", "quantity": 1}],
            shippingCost=4.99,
            tax=1.50,
        )
        # As eBay serves it to Odoo, not as the emulator's control API says.
        served = FulfillmentApi(self.account._ebay_client()).get_order(data["orderId"])
        Order = self.env["marketplace.order"]
        values = Order._marketplace_order_values(self.account, served)
        self.assertIsInstance(values, OrderValues)
        self.assertEqual(values.remote_order_id, data["orderId"])
        self.assertEqual(values.buyer_username, "jo_buyer")
        self.assertEqual(
            [(line.sku, line.quantity, line.total) for line in values.lines],
            [("TSHIRT-1", 2, Money(39.8, "USD")), ("MUG-1", 1, Money(19.9, "USD"))],
        )
        self.assertTrue(all(line.remote_line_id for line in values.lines))
        self.assertEqual(values.delivery_cost, Money(4.99, "USD"))
        self.assertEqual(values.total.currency, "USD")
        self.assertAlmostEqual(values.total.amount, 39.8 + 19.9 + 4.99 + 1.5)
        self.assertAlmostEqual(values.collected_tax, 1.5)
        self.assertEqual(values.ship_to.zip, "95125")
        self.assertEqual(
            (values.ship_to.country_code, values.ship_to.state_code), ("US", "CA")
        )
        self.assertIsInstance(values.buyer, Address)
        self.assertIsInstance(values.modified_at, datetime)
        self.assertEqual(
            (values.paid, values.cancelled, values.refunded), (True, False, False)
        )
        self.assertEqual(json.loads(values.payload), served)
        # What the import acts on follows eBay's own words.
        refunded = dict(served, orderPaymentStatus="PARTIALLY_REFUNDED")
        cancelled = dict(served, cancelStatus={"cancelState": "CANCELED"})
        refunded = Order._marketplace_order_values(self.account, refunded)
        cancelled = Order._marketplace_order_values(self.account, cancelled)
        self.assertEqual((refunded.paid, refunded.refunded), (False, True))
        self.assertEqual((cancelled.paid, cancelled.cancelled), (True, True))

    def test_a_notification_is_stored_once_per_channel(self):
        Notification = self.env["marketplace.notification"]
        published = fields.Datetime.now()
        first = Notification._store_once(
            self.account, "n-once-1", "ORDER_CONFIRMATION", published, {"orderId": "1"}
        )
        self.assertEqual(first.channel, self.account.channel)
        self.assertEqual(json.loads(first.data), {"orderId": "1"})
        # The channel delivers the same id again, even to another account of
        # the same channel: acknowledged, not stored.
        other = self._new_account(name="Second seller")
        for account in (self.account, other):
            again = Notification._store_once(
                account, "n-once-1", "ORDER_CONFIRMATION", published, {}
            )
            self.assertIsNone(again)
        self.assertEqual(
            Notification.search_count([("notification_id", "=", "n-once-1")]), 1
        )

    def _notified(self, order_id):
        """eBay's ORDER_CONFIRMATION for the order, stored and processed as the
        notification endpoint and its job do (each delivery a new id)."""
        notification = self.env["marketplace.notification"].create(
            {
                "account_id": self.account.id,
                "notification_id": str(uuid.uuid4()),
                "topic": "ORDER_CONFIRMATION",
                "data": json.dumps({"orderId": order_id}),
            }
        )
        notification._job_process()
        self.assertEqual(notification.state, "done", notification.result)
        return notification

    def test_replays_and_overlapping_polls_give_one_sale_order(self):
        data = self._buy([{"sku": "MUG-1", "quantity": 1}])
        self._poll()
        self._poll()  # the overlap window sees it again
        order = self._orders()
        # eBay confirms the order by notification too, twice.
        self._notified(data["orderId"])
        self._notified(data["orderId"])
        self.assertEqual(len(self._orders()), 1)
        self.assertEqual(len(order.sale_order_id.order_line), 1)
        sales = self.env["sale.order"].search(
            [("client_order_ref", "=", data["orderId"])]
        )
        self.assertEqual(len(sales), 1)
        # A second buyer order with a second purchase from the same buyer
        # reuses the partner.
        self._buy([{"sku": "MUG-1", "quantity": 1}])
        self._poll()
        self.assertEqual(len(self._orders()), 2)
        self.assertEqual(len(self._orders().sale_order_id.partner_id), 1)

    def _sell_many(self, count, sku="PAGE-1"):
        """``count`` orders of one unit each: more than one page of getOrders.

        Unpaid, so each becomes a draft sale order (no delivery to prepare).
        """
        listing = self._listing(self._product(sku, "Paged item", count))
        listing.action_publish()
        self._run(listing)
        self.assertEqual(listing.state, "published", listing.last_error)
        return [
            self._buy([{"sku": sku, "quantity": 1}], paid=False, notify=False)
            for _i in range(count)
        ]

    def test_pages_of_orders_and_watermark(self):
        # One more than eBay's largest page: the poll must read two pages.
        self._sell_many(PAGE_LIMIT + 1)
        self._poll()
        self.assertEqual(len(self._orders()), PAGE_LIMIT + 1)
        calls = self.emulator.calls(path="^/sell/fulfillment/v1/order$")
        self.assertEqual(
            [(c["query"]["offset"], c["query"]["limit"]) for c in calls],
            [("0", str(PAGE_LIMIT)), (str(PAGE_LIMIT), str(PAGE_LIMIT))],
        )
        self.assertIn("lastmodifieddate:[", calls[0]["query"]["filter"])
        self.assertTrue(self.account.order_watermark)

    @mute_logger("odoo.addons.marketplace_connector.ebay.client")
    def test_poll_failing_on_a_later_page_keeps_the_watermark(self):
        self._poll()  # the watermark now stands before the orders below
        watermark = self.account.order_watermark
        sold = self._sell_many(PAGE_LIMIT + 2)
        newest = sold[-1]
        # Page 1 is read, page 2 meets a 503.
        self.emulator.fault("^/sell/fulfillment/v1/order$", "503", skip=1)
        self._poll()
        self.assertTrue(self.account.order_poll_error)
        self.assertEqual(len(self._orders()), PAGE_LIMIT, "page 1 was imported")
        self.assertEqual(
            self.account.order_watermark,
            watermark,
            "a poll that did not read every page must not move the watermark",
        )
        self._poll()
        self.assertFalse(self.account.order_poll_error)
        self.assertEqual(len(self._orders()), PAGE_LIMIT + 2, "no order skipped")
        self.assertIn(newest["orderId"], self._orders().mapped("remote_order_id"))

    def test_unknown_sku_keeps_the_order_flagged_until_fixed(self):
        # A listing made outside Odoo sells an item Odoo does not know.
        self._list_outside_odoo("GHOST-1")
        self._buy([{"sku": "GHOST-1", "quantity": 1}, {"sku": "MUG-1", "quantity": 1}])
        self._poll()
        order = self._orders()
        self.assertEqual(order.state, "flagged")
        self.assertIn("GHOST-1", order.flag_reason)
        self.assertFalse(order.sale_order_id, "no half order")
        self._poll()
        self.assertEqual(order.state, "flagged")
        self._product("GHOST-1", "Ghost", 1)
        order.action_retry()
        self.assertEqual(order.state, "imported")
        self.assertEqual(len(order.sale_order_id.order_line), 2)

    def test_cancellation_cancels_the_sale_order_and_frees_stock(self):
        free_before = self.mug.free_qty
        data = self._buy([{"sku": "MUG-1", "quantity": 3}])
        self._poll()
        sale = self._orders().sale_order_id
        self.mug.invalidate_recordset()
        self.assertEqual(self.mug.free_qty, free_before - 3)
        self.emulator._call("POST", f"orders/{data['orderId']}/cancel")
        self._poll()
        self.assertEqual(sale.state, "cancel")
        self.assertEqual(self._orders().state, "cancelled")
        self.assertEqual(set(sale.picking_ids.mapped("state")), {"cancel"})
        self.mug.invalidate_recordset()
        self.assertEqual(self.mug.free_qty, free_before)

    def test_unpaid_order_waits_then_confirms_when_paid(self):
        data = self._buy([{"sku": "MUG-1", "quantity": 1}], paid=False)
        self._poll()
        sale = self._orders().sale_order_id
        self.assertEqual(sale.state, "draft")
        self.emulator._call("POST", f"orders/{data['orderId']}/pay")
        self._poll()
        self.assertEqual(sale.state, "sale")

    def test_sold_out_listing_refuses_the_purchase(self):
        """Odoo's stock, not eBay's own count, decides what buyers can buy."""
        listing = self.mug._ebay_listings_for(self.account)
        self.assertEqual(listing.pushed_quantity, 10)
        # Three mugs broke in the warehouse: Odoo's stock says 7.
        quant = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.mug.id),
                ("location_id", "=", self.env.ref("stock.stock_location_stock").id),
            ]
        )
        quant.inventory_quantity = 7
        quant.action_apply_inventory()
        self.assertTrue(listing.push_pending)
        self._perform_pushes()
        self.assertEqual((listing.pushed_quantity, listing.push_pending), (7, False))
        # A buyer asks for more than Odoo offered: eBay has nothing to sell.
        with self.assertRaisesRegex(requests.HTTPError, "409"):
            self._buy([{"sku": "MUG-1", "quantity": 8}])
        self._poll()
        self.assertFalse(self._orders())
        # The last seven sell: reserved in Odoo, and eBay is told none are left.
        self._buy([{"sku": "MUG-1", "quantity": 7}])
        self._poll()
        sale = self._orders().sale_order_id
        mugs = sale.order_line.filtered(lambda line: line.product_id == self.mug)
        self.assertEqual(mugs.product_uom_qty, 7)
        self.mug.invalidate_recordset()
        self.assertEqual(self.mug.free_qty, 0)
        self.assertTrue(listing.push_pending and listing.push_urgent)
        self._perform_pushes()
        self.assertEqual((listing.pushed_quantity, listing.push_pending), (0, False))

    def _perform_pushes(self):
        jobs = self.env["queue.job"].search(
            [("state", "=", "pending"), ("method_name", "=", "_job_push_stock")]
        )
        self.assertTrue(jobs, "a stock push is queued")
        for record in jobs:
            record.state = "started"  # as the runner does, before performing
            Job.load(self.env, record.uuid).perform()
            record.state = "done"
