"""The demo data: products a newcomer can publish at once on eBay and Amazon.

Loaded as the demo loads it (tests/demo_common.py), the demo products have
their pictures, barcodes and stock, and the demo accounts connect to the
emulators as they do in the demo.
"""

from odoo.tests import tagged

from .common import MarketplaceCase
from .demo_common import MODULE, DemoDataMixin

STOCK = {
    "NIMBUS-HP1": 25,
    "ROCKET-RANGER": 40,
    "HARBOR-TEE-S-NAVY": 8,
    "HARBOR-TEE-M-NAVY": 12,
    "HARBOR-TEE-L-NAVY": 6,
    "HARBOR-TEE-S-SAND": 5,
    "HARBOR-TEE-M-SAND": 9,
    "HARBOR-TEE-L-SAND": 4,
}


@tagged("post_install", "-at_install")
class TestDemoData(DemoDataMixin, MarketplaceCase):
    def setUp(self):
        super().setUp()
        self._load_demo_data()
        self.templates = (
            self.env.ref(f"{MODULE}.product_demo_headphones")
            | self.env.ref(f"{MODULE}.product_demo_tshirt")
            | self.env.ref(f"{MODULE}.product_demo_figure")
        )
        self.variants = self.templates.product_variant_ids

    def test_products_have_stock_barcodes_and_pictures(self):
        self.assertEqual(
            {v.default_code: v.qty_available for v in self.variants}, STOCK
        )
        for variant in self.variants:
            self.assertTrue(variant.image_1920, variant.default_code)
            self.assertEqual(len(variant.barcode), 13, variant.default_code)
            self.assertTrue(variant.description_sale, variant.default_code)

    def test_loading_twice_duplicates_nothing(self):
        counts = (
            self.env["product.template"].search_count([]),
            self.env["product.product"].search_count([]),
            self.env["stock.quant"].search_count([]),
            self.env["marketplace.account"].search_count([]),
        )
        self._load_demo_data()
        self.assertEqual(
            (
                self.env["product.template"].search_count([]),
                self.env["product.product"].search_count([]),
                self.env["stock.quant"].search_count([]),
                self.env["marketplace.account"].search_count([]),
            ),
            counts,
        )
        self.assertEqual(
            {v.default_code: v.qty_available for v in self.variants}, STOCK
        )

    def test_demo_accounts_connect_to_the_emulators(self):
        self._connect_demo_ebay()
        self._connect_demo_amazon()
        self.assertTrue(self.demo_amazon_account.amazon_participation_ids)
