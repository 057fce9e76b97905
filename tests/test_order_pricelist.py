"""Orders and Odoo's pricelist feature: the import makes no pricelist while the
feature is off, and saving Settings keeps the connector's pricelists."""

import json

from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..ebay.fulfillment import FulfillmentApi
from .ebay_common import OrderCase


@tagged("post_install", "-at_install")
class TestOrderPricelist(OrderCase):
    def _save_settings(self, pricelists):
        """Settings saved as a person saves them, pricelists on or off."""
        self.env["res.config.settings"].create(
            {"group_product_pricelist": pricelists}
        ).execute()

    def _euro_order(self):
        """An order bought on the emulator, read as if sold in euros."""
        data = self._buy([{"sku": "MUG-1", "quantity": 1}], notify=False)
        served = FulfillmentApi(self.account._ebay_client()).get_order(data["orderId"])
        euros = json.loads(json.dumps(served).replace('"USD"', '"EUR"'))
        return self.env["marketplace.order"]._import_payload(self.account, euros)

    def _pricelists(self):
        return self.env["product.pricelist"].search([])

    def test_no_pricelist_is_made_while_the_feature_is_off(self):
        # Saving Settings with the feature off archives every pricelist.
        self._save_settings(False)
        before = self._pricelists()
        self._buy([{"sku": "MUG-1", "quantity": 1}], notify=False)
        self._poll()
        sale = self._orders().sale_order_id
        self.assertTrue(sale)
        self.assertEqual(self._pricelists(), before, "no pricelist was made")
        self.assertFalse(sale.pricelist_id)
        self.assertEqual(sale.currency_id, self.env.company.currency_id)

    def test_another_currency_waits_for_the_feature(self):
        self._save_settings(False)
        before = self._pricelists()
        order = self._euro_order()
        self.assertEqual(order.state, "flagged")
        self.assertIn("EUR", order.flag_reason)
        self.assertIn("Turn on Pricelists", order.flag_reason)
        self.assertFalse(order.sale_order_id, "no half order")
        self.assertEqual(self._pricelists(), before)
        self._save_settings(True)
        order.action_retry()
        self.assertEqual(order.state, "imported")
        self.assertEqual(order.sale_order_id.currency_id.name, "EUR")
        self.assertTrue(order.sale_order_id.pricelist_id.marketplace_order_pricelist)

    def test_saving_settings_keeps_the_connectors_pricelists(self):
        self._save_settings(True)
        own = self.env["product.pricelist"].create({"name": "eBay prices"})
        self.account.pricelist_id = own
        first = self._euro_order().sale_order_id.pricelist_id
        self.assertTrue(first.marketplace_order_pricelist)
        self._save_settings(False)
        self.assertTrue(own.active, "the account still prices from it")
        self.assertTrue(first.active, "the next order in euros finds it")
        second = self._euro_order().sale_order_id.pricelist_id
        self.assertEqual(second, first, "no second pricelist")
        self.assertEqual(
            self.env["product.pricelist"]
            .with_context(active_test=False)
            .search_count([("currency_id.name", "=", "EUR")]),
            1,
        )

    def test_a_person_cannot_mark_a_pricelist_as_the_connectors(self):
        pricelist = self.env["product.pricelist"].create({"name": "Mine"})
        with self.assertRaises(AccessError):
            pricelist.with_user(self.env.ref("base.user_admin")).write(
                {"marketplace_order_pricelist": True}
            )
