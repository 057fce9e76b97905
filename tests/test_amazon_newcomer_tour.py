"""The newcomer's first hour with Amazon, in Chromium, on the demo database.

The demo data (demo accounts, demo products) is loaded as the demo has it;
the tours walk what a person sees: connecting the Amazon demo seller through
Seller Central's consent page, publishing a demo product, the buyer's order
and its sale order, the delivery with its tracking number, and the
dashboard.  What happens elsewhere between two screens is done here, as it
happens in the demo: the job runner runs the queued jobs (against the
emulator), Amazon applies the submitted listing, and a buyer buys.
"""

from odoo.tests import tagged

from .amazon_common import US, AmazonHttpCase
from .demo_common import DemoDataMixin
from .tour_common import AMAZON_CONFIRM, NewcomerTourMixin, consent_clicking_browser

TRACKING = "9400111899223100000002"
SKU = "NIMBUS-HP1"


@tagged("post_install", "-at_install")
class TestAmazonNewcomerTour(NewcomerTourMixin, DemoDataMixin, AmazonHttpCase):
    CONNECTED_ACCOUNT = False
    EXPECTED_COOKIE = "amazon_newcomer_expected"

    def setUp(self):
        super().setUp()
        self._load_demo_data()
        self.account = self.demo_amazon_account
        self.headphones = self.env.ref(
            "marketplace_connector.product_demo_headphones"
        ).product_variant_id

    def test_newcomer_journey(self):
        # Connect: the dashboard, the account, Seller Central's consent page.
        self.assertNotEqual(self.account.state, "connected")
        with consent_clicking_browser(
            f"{self.emulator.url}/apps/authorize/consent", AMAZON_CONFIRM
        ) as browsers:
            self._tour(
                "/odoo/action-marketplace_connector.marketplace_dashboard_action",
                "marketplace_connector_amazon_newcomer_connect_tour",
            )
        self.assertTrue(browsers and browsers[0].clicked.is_set())
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "connected")
        self.assertIn(
            US, self.account.amazon_participation_ids.mapped("marketplace_id")
        )

        # The checklist's last step led to a demo product, published.
        listing = self.env["amazon.listing"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual(listing.product_id, self.headphones)
        self.assertEqual(listing.state, "queued")
        # The publish runs; its read-back waits (eta) for Amazon to apply it.
        self._run_queued_jobs(due_only=True)
        self.assertEqual(listing.state, "published", listing.last_error)
        self.assertFalse(listing.asin)
        # Amazon applies the submission; the read-back job reads its ASIN.
        self.emulator.apply_pending()
        self._run_queued_jobs()
        self.assertTrue(listing.asin)
        asin = self.emulator.listing(self.account.amazon_selling_partner_id, SKU)[
            "marketplaces"
        ][US]["asin"]
        self.assertTrue(asin)

        # A buyer buys the headphones on Amazon; the order poll imports it.
        bought = self.emulator.create_order(
            US,
            [{"sku": SKU, "quantity": 1, "price": self.headphones.lst_price}],
            seller_id=self.account.amazon_selling_partner_id,
        )
        self.account._job_amazon_poll_orders()
        self._run_queued_jobs()
        order = self.env["marketplace.order"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual(order.remote_order_id, bought["orderId"])

        # The listing, the order, its sale order, its delivery shipped with
        # the demo's delivery method, then the dashboard.
        self._ship_and_read_dashboard(
            order,
            "marketplace_connector_amazon_newcomer",
            "/odoo/action-marketplace_connector.amazon_listing_action",
            TRACKING,
            asin=asin,
        )
        # Amazon has the package, with the demo delivery method's carrier.
        self.assertEqual(
            [
                (p["trackingNumber"], p["carrier"])
                for p in self.emulator.order(bought["orderId"])["packages"]
            ],
            [(TRACKING, "USPS")],
        )
