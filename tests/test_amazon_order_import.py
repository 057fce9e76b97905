import json

from odoo.exceptions import UserError
from odoo.tools import mute_logger

from ..amazon.orders import OrdersApi
from ..models.amazon.marketplace_account_orders import ORDER_DATA
from ..models.marketplace.order_values import Charge, Money, OrderValues
from .amazon_common import CA, US
from .amazon_order_common import GET_ORDER, RDT, AmazonOrderCase


class TestAmazonOrderImport(AmazonOrderCase):
    def _free(self, product):
        product.invalidate_recordset()
        return product.free_qty

    def test_unshipped_order_becomes_one_confirmed_sale_order(self):
        data = self._buy(
            [{"sku": "TEE-1", "quantity": 2}, {"sku": "MUG-1", "price": 8.5}],
            shipping=4.99,
            tax=3.1,
            gift_wrap={"price": 2.5, "level": "Classic", "sku": "MUG-1"},
            ship_to={"postalCode": "98109", "stateOrRegion": "WA"},
        )
        self._poll()
        order = self._order(data["orderId"])
        self.assertEqual(order.state, "imported", order.flag_reason)
        self.assertEqual(order.amazon_marketplace_id, US)
        self.assertFalse(order.fulfilled_by_marketplace)
        sale = order.sale_order_id
        self.assertEqual(sale.state, "sale", "Unshipped orders are confirmed")
        self.assertEqual(sale.client_order_ref, data["orderId"])
        codes = sorted(sale.order_line.mapped("product_id.default_code"))
        self.assertEqual(
            codes, ["AMAZON-SHIPPING", "MARKETPLACE-GIFT-WRAP", "MUG-1", "TEE-1"]
        )
        tee = sale.order_line.filtered(lambda line: line.product_id == self.product)
        self.assertEqual((tee.product_uom_qty, tee.price_unit), (2, 19.9))
        items = {
            i["product"]["sellerSku"]: i["orderItemId"] for i in data["orderItems"]
        }
        self.assertEqual(tee.marketplace_line_id, items["TEE-1"])
        wrap = sale.order_line.filtered(
            lambda line: line.product_id.default_code == "MARKETPLACE-GIFT-WRAP"
        )
        self.assertEqual(wrap.price_unit, 2.5)
        self.assertIn("Classic", wrap.name)
        # Amazon withholds the tax as marketplace facilitator: kept as eBay's.
        self.assertFalse(sale.order_line.tax_id)
        self.assertAlmostEqual(order.marketplace_collected_tax, 3.1)
        self.assertAlmostEqual(sale.amount_total, 2 * 19.9 + 8.5 + 4.99 + 2.5)
        self.assertEqual(sale.currency_id.name, "USD")
        self.assertEqual(order.currency_code, "USD")
        # The buyer and the address came with the Restricted Data Token.
        buyer = data["buyer"]
        self.assertEqual(sale.partner_id.email, buyer["buyerEmail"])
        self.assertEqual(sale.partner_id.name, buyer["buyerName"])
        shipping = sale.partner_shipping_id
        self.assertEqual((shipping.type, shipping.zip), ("delivery", "98109"))
        self.assertEqual(shipping.street, "410 Terry Ave N")
        self.assertEqual(shipping.country_id, self.env.ref("base.us"))
        self.assertEqual(shipping.state_id.code, "WA")
        self.assertTrue(sale.picking_ids, "stock is reserved for shipping")

    def test_amazon_order_is_read_into_neutral_order_values(self):
        data = self._buy(
            [{"sku": "TEE-1", "quantity": 2}],
            shipping=3,
            tax=1.2,
            gift_wrap={"price": 1.5},
        )
        served = OrdersApi(self.account._amazon_client()).get_order(
            data["orderId"], included_data=ORDER_DATA
        )
        values = self.env["marketplace.order"]._marketplace_order_values(
            self.account, served
        )
        self.assertIsInstance(values, OrderValues)
        self.assertEqual(values.remote_order_id, data["orderId"])
        line = values.lines[0]
        self.assertEqual(
            (line.sku, line.quantity, line.total, line.remote_line_id),
            ("TEE-1", 2, Money(39.8, "USD"), data["orderItems"][0]["orderItemId"]),
        )
        self.assertEqual(values.delivery_cost, Money(3.0, "USD"))
        self.assertEqual(
            values.charges,
            (Charge("gift_wrap", "Gift wrap (Classic)", Money(1.5, "USD")),),
        )
        self.assertAlmostEqual(values.collected_tax, 1.2)
        self.assertAlmostEqual(values.total.amount, 39.8 + 3 + 1.5 + 1.2)
        self.assertEqual(
            (values.paid, values.waiting, values.cancelled), (True, False, False)
        )
        self.assertEqual(json.loads(values.payload), served)
        # Without a token Amazon leaves the buyer out: no buyer key then (the
        # order keeps the buyer it was imported with).
        self.assertIsNone(values.buyer_username)
        for status, expected in (
            ("PENDING", (False, True, False)),
            ("PENDING_AVAILABILITY", (False, True, False)),
            ("SHIPPED", (True, False, False)),
            ("PARTIALLY_SHIPPED", (True, False, False)),
            ("CANCELLED", (False, False, True)),
        ):
            moved = dict(served, fulfillment=dict(served["fulfillment"]))
            moved["fulfillment"]["fulfillmentStatus"] = status
            read = self.env["marketplace.order"]._marketplace_order_values(
                self.account, moved
            )
            self.assertEqual((read.paid, read.waiting, read.cancelled), expected)
        fba = dict(
            served, fulfillment=dict(served["fulfillment"], fulfilledBy="AMAZON")
        )
        self.assertTrue(
            self.env["marketplace.order"]
            ._marketplace_order_values(self.account, fba)
            .fulfilled_by_marketplace
        )

    def test_currency_of_the_marketplace_is_kept(self):
        # A sale in another currency than the company's needs Odoo's
        # pricelists (tests/test_order_pricelist.py: flagged while off).
        self.env["res.config.settings"].create(
            {"group_product_pricelist": True}
        ).execute()
        data = self._buy([{"sku": "TEE-1", "price": 25}], marketplace_id=CA)
        self._poll()
        order = self._order(data["orderId"])
        self.assertEqual(order.state, "imported", order.flag_reason)
        self.assertEqual(order.currency_code, "CAD")
        self.assertEqual(order.amazon_marketplace_id, CA)
        self.assertEqual(order.sale_order_id.currency_id.name, "CAD")
        self.assertEqual(order.sale_order_id.amount_total, 25)

    def test_unknown_sku_is_flagged_then_retried(self):
        data = self._buy([{"sku": "LAMP-1"}, {"sku": "TEE-1"}])
        self._poll()
        order = self._order(data["orderId"])
        self.assertEqual(order.state, "flagged")
        self.assertIn("LAMP-1", order.flag_reason)
        self.assertFalse(order.sale_order_id)
        self._product("LAMP-1", "Desk lamp", 4)
        order.action_retry()
        self.assertEqual(order.state, "imported", order.flag_reason)
        sale = order.sale_order_id
        self.assertEqual(sale.state, "sale")
        # The payload kept for the retry had the buyer's address.
        self.assertEqual(sale.partner_shipping_id.street, "410 Terry Ave N")

    def test_pending_order_waits_then_imports_once_unshipped(self):
        data = self._buy([{"sku": "TEE-1"}], status="PENDING")
        self._poll()
        order = self._order(data["orderId"])
        self.assertEqual(order.state, "waiting")
        self.assertFalse(order.sale_order_id)
        self.assertIn("PENDING", order.flag_reason)
        self.assertFalse(self._calls(RDT), "no buyer data is asked for a pending order")
        self.assertFalse(self._calls(GET_ORDER))

        self.emulator.set_order_status(data["orderId"], "UNSHIPPED")
        self._poll()
        self.assertEqual(order.state, "imported", order.flag_reason)
        self.assertFalse(order.flag_reason)
        self.assertEqual(order.sale_order_id.state, "sale")
        self.assertEqual(order.sale_order_id.partner_shipping_id.zip, "98109")

    def test_fba_order_makes_no_outgoing_picking(self):
        before = self._free(self.product)
        data = self._buy(
            [{"sku": "TEE-1", "quantity": 3}], fulfilled_by="AMAZON", shipping=2
        )
        self._poll()
        order = self._order(data["orderId"])
        self.assertEqual(order.state, "imported", order.flag_reason)
        self.assertTrue(order.fulfilled_by_marketplace)
        sale = order.sale_order_id
        self.assertEqual(sale.state, "sale", "FBA orders are confirmed")
        self.assertFalse(sale.picking_ids, "Amazon ships it from its own stock")
        self.assertFalse(
            self.env["stock.move"].search([("sale_line_id", "in", sale.order_line.ids)])
        )
        self.assertEqual(self._free(self.product), before)

    def test_merchant_order_next_to_fba_still_ships(self):
        fba = self._buy([{"sku": "TEE-1"}], fulfilled_by="AMAZON")
        own = self._buy([{"sku": "TEE-1"}])
        self._poll()
        self.assertFalse(self._order(fba["orderId"]).sale_order_id.picking_ids)
        self.assertTrue(self._order(own["orderId"]).sale_order_id.picking_ids)

    def test_cancellation_cancels_the_sale_order_and_frees_stock(self):
        before = self._free(self.product)
        data = self._buy([{"sku": "TEE-1", "quantity": 3}])
        self._poll()
        order = self._order(data["orderId"])
        sale = order.sale_order_id
        self.assertEqual(sale.state, "sale")
        self.assertEqual(self._free(self.product), before - 3)

        self.emulator.cancel_order(data["orderId"])
        self._poll()
        self.assertEqual(order.state, "cancelled")
        self.assertEqual(sale.state, "cancel")
        self.assertEqual(self._free(self.product), before)

    def test_pending_order_cancelled_never_becomes_a_sale_order(self):
        data = self._buy([{"sku": "TEE-1"}], status="PENDING")
        self._poll()
        self.emulator.cancel_order(data["orderId"])
        self._poll()
        order = self._order(data["orderId"])
        self.assertEqual(order.state, "cancelled")
        self.assertFalse(order.sale_order_id)

    def test_same_order_by_two_polls_and_an_import_gives_one_sale_order(self):
        data = self._buy([{"sku": "TEE-1"}])
        self._poll()
        order = self._order(data["orderId"])
        sale = order.sale_order_id
        self.assertTrue(sale)
        # The next poll's overlap sees it again; so does a notification's
        # import by id.
        self._poll()
        self.account._job_amazon_import_orders([data["orderId"]])
        self.assertEqual(self._order(data["orderId"]), order)
        self.assertEqual(order.sale_order_id, sale)
        self.assertEqual(
            self.env["sale.order"].search_count(
                [("client_order_ref", "=", data["orderId"])]
            ),
            1,
        )
        # An order already imported needs no buyer data: no token for it.
        self.assertEqual(self.emulator.restricted_tokens()["count"], 1)

    def test_import_by_id_before_the_poll_gives_one_sale_order(self):
        data = self._buy([{"sku": "TEE-1"}])
        self.account._job_amazon_import_orders([data["orderId"]])
        order = self._order(data["orderId"])
        self.assertEqual(order.state, "imported", order.flag_reason)
        self._poll()
        self.assertEqual(self._orders(), order)
        self.assertEqual(
            self.env["sale.order"].search_count(
                [("client_order_ref", "=", data["orderId"])]
            ),
            1,
        )

    def test_refresh_reads_the_order_again(self):
        data = self._buy([{"sku": "TEE-1"}])
        self._poll()
        order = self._order(data["orderId"])
        self.emulator.cancel_order(data["orderId"])
        order.action_refresh_from_marketplace()
        self.assertEqual(order.state, "cancelled")
        self.assertEqual(order.sale_order_id.state, "cancel")

    @mute_logger("odoo.addons.marketplace_connector.amazon.client")
    def test_refresh_refused_by_amazon_is_a_clear_error(self):
        data = self._buy([{"sku": "TEE-1"}])
        self._poll()
        order = self._order(data["orderId"])
        self.emulator.fault(GET_ORDER, "400")
        with self.assertRaises(UserError):
            order.action_refresh_from_marketplace()
