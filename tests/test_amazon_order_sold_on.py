"""An Amazon order keeps the marketplace it was bought on (issue 16)."""

from .amazon_common import CA
from .amazon_order_common import AmazonOrderCase


class TestAmazonOrderSoldOn(AmazonOrderCase):
    def test_an_amazon_order_keeps_its_marketplace(self):
        self.env["res.config.settings"].create(
            {"group_product_pricelist": True}
        ).execute()
        data = self._buy([{"sku": "TEE-1", "price": 25}], marketplace_id=CA)
        self._poll()
        order = self._order(data["orderId"])
        self.assertEqual(order.sold_on, CA)
        participation = self.account.amazon_participation_ids.filtered(
            lambda p: p.marketplace_id == CA
        )
        self.assertEqual(order.sold_on_name, participation.display_name)
        self.assertTrue(order.sold_on_name)
