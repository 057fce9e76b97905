"""The newcomer's first hour with eBay, in Chromium, on the demo database.

The demo data (demo accounts, demo products) is loaded as the demo has it;
the tours walk what a person sees: connecting the demo seller through eBay's
consent page, setting the account up, publishing a demo product, the
buyer's order and its sale order, the delivery with its tracking number, and
the dashboard.  What happens elsewhere between two screens is done here, as
it happens in the demo: the job runner runs the queued jobs (against the
emulator) and a buyer buys on eBay (the emulator's purchase).
"""

from odoo.tests import tagged

from ..ebay.account import AccountApi
from ..ebay.inventory import InventoryApi
from .demo_common import DemoDataMixin
from .ebay_common import EbayHttpCase
from .tour_common import EBAY_AGREE, NewcomerTourMixin, consent_clicking_browser

TRACKING = "9400111899223100000001"
BUYER = "demo_buyer"


@tagged("post_install", "-at_install")
class TestEbayNewcomerTour(NewcomerTourMixin, DemoDataMixin, EbayHttpCase):
    EXPECTED_COOKIE = "ebay_newcomer_expected"

    def setUp(self):
        super().setUp()
        self._load_demo_data()
        self.account = self.demo_ebay_account
        self.headphones = self.env.ref(
            "marketplace_connector.product_demo_headphones"
        ).product_variant_id
        # The company's address, as Odoo's own set-up asks for it: eBay
        # wants the postal code and country of the place items ship from.
        self.account.warehouse_id.partner_id.write(
            {
                "street": "250 Executive Park Blvd",
                "city": "San Francisco",
                "zip": "94134",
                "country_id": self.env.ref("base.us").id,
            }
        )

    def _policies_made_on_ebay(self):
        """The shipping, payment and return policies the seller made on
        eBay's own site (what Odoo reads, not what it creates)."""
        api = AccountApi(self.account._ebay_client())
        Policy = self.env["ebay.policy"]
        for kind in ("fulfillment", "payment", "return"):
            draft = Policy.new(
                {"account_id": self.account.id, "kind": kind, "name": f"My {kind}"}
            )
            api.create_policy(kind, draft._payload())

    def test_newcomer_journey(self):
        # Connect: the dashboard, the account, eBay's consent page.
        self.assertNotEqual(self.account.state, "connected")
        with consent_clicking_browser(
            f"{self.emulator.url}/oauth2/authorize", EBAY_AGREE
        ) as browsers:
            self._tour(
                "/odoo/action-marketplace_connector.marketplace_dashboard_action",
                "marketplace_connector_ebay_newcomer_connect_tour",
            )
        self.assertTrue(browsers and browsers[0].clicked.is_set())
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "connected")
        self.assertTrue(self.account.ebay_business_policies_opted_in)
        # The seller's policies on eBay; the checklist reads them, creates the
        # location, then a demo product is published.
        self._policies_made_on_ebay()
        self._tour(
            f"/odoo/action-marketplace_connector.marketplace_account_action/{self.account.id}",
            "marketplace_connector_ebay_newcomer_publish_tour",
        )
        self.assertTrue(self.account.ebay_merchant_location_key)
        self.assertEqual(
            self.headphones.product_tmpl_id.ebay_category_id.category_id, "112529"
        )
        listing = self.env["ebay.listing"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual(listing.product_id, self.headphones)
        self.assertEqual(listing.state, "queued")
        # The runner sets the notifications up (eBay's challenge answered by
        # this Odoo) and publishes.
        self._run_queued_jobs()
        self.assertEqual(self.account.ebay_setup_notifications_state, "done")
        self.assertEqual(listing.state, "published", listing.last_error)
        offer = InventoryApi(self.account._ebay_client()).get_offer(listing.offer_id)
        listing_id = offer["listing"]["listingId"]

        # A buyer buys the headphones on eBay; the order poll imports it.
        bought = self.emulator._call(
            "POST",
            "purchase",
            json={
                "lines": [{"sku": listing.sku, "quantity": 1}],
                "buyer": {"username": BUYER},
            },
        )
        self.account._job_poll_orders()
        self._run_queued_jobs()
        order = self.env["marketplace.order"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual(order.remote_order_id, bought["orderId"])

        # The checklist done, the listing, the order, its sale order, its
        # delivery shipped with the demo's delivery method, the dashboard.
        self._ship_and_read_dashboard(
            order,
            "marketplace_connector_ebay_newcomer",
            f"/odoo/action-marketplace_connector.marketplace_account_action/{self.account.id}",
            TRACKING,
            listing_id=listing_id,
        )
        # eBay has the tracking, with the demo delivery method's carrier.
        fulfillments = (
            self.account._ebay_client()
            .request(
                "GET",
                f"/sell/fulfillment/v1/order/{bought['orderId']}/shipping_fulfillment",
            )
            .data["fulfillments"]
        )
        self.assertEqual(
            [
                (f["shipmentTrackingNumber"], f["shippingCarrierCode"])
                for f in fulfillments
            ],
            [(TRACKING, "USPS")],
        )
