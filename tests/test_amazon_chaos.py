"""Amazon's day under faults of every kind on every SP-API path (issue 13).

The day and its assertions are the neutral ones (tests/chaos_common.py);
here Amazon's side of them: orders created and cancelled in the emulator,
which publishes each change as ORDER_CHANGE into the seller's SQS queue
(moto), so that orders reach Odoo both by the SQS poll and by the order
poll, whichever comes first; tracking sent by confirmShipment and read back
from the order's packages; listings compared with what the emulator's
listings show.  The faults hit every SP-API path and LWA (not SQS, which
is AWS's and not the emulator's).
"""

from odoo.tests import tagged
from odoo.tools import mute_logger

from .amazon_common import CLIENT_LOGGER, EMULATOR_SELLER, US
from .amazon_listing_common import PNG
from .amazon_order_common import AmazonOrderCase
from .amazon_sqs_common import AmazonSqsMixin
from .chaos_common import MUTED, ChaosDayMixin

# A 1x1 PNG and valid EAN-13s: the two products pass the PRODUCT schema.
BARCODES = {"TEE-1": "4006381333931", "MUG-1": "4006381333948"}


@tagged("post_install", "-at_install")
class TestAmazonChaos(ChaosDayMixin, AmazonSqsMixin, AmazonOrderCase):
    CHAOS_PATHS = "^/(auth|orders|tokens|listings|feeds|reports|_documents)/"

    def setUp(self):
        super().setUp()
        self.us = self.account.amazon_participation_ids.filtered(
            lambda p: p.marketplace_id == US
        )
        (self.account.amazon_participation_ids - self.us).write({"selected": False})
        self._publish(self.product | self.mug)

    def _publish(self, products):
        """Both products listed on Amazon US (set-up, before the faults)."""
        kind = self.env["amazon.product.type"]._fetch(
            self.account._amazon_client(),
            "PRODUCT",
            US,
            seller_id=self.account.amazon_selling_partner_id,
        )
        for product in products:
            product.barcode = BARCODES[product.default_code]
            product.image_1920 = PNG
            product.product_tmpl_id.write(
                {
                    "amazon_brand": "Odoo Chaos",
                    "amazon_bullet_points": "Sturdy\nMade to last",
                    "description_sale": f"A {product.name}.",
                    "amazon_product_type_id": kind.id,
                }
            )
        listings = products._amazon_listings_for(self.account, self.us)
        listings.action_publish()
        self._drain()
        self.assertEqual(
            set(listings.mapped("state")), {"published"}, listings.mapped("last_error")
        )
        self.emulator.clear_calls()

    # -- Amazon's side of the day ---------------------------------------------
    def _chaos_products(self):
        return self.product, self.mug

    def _chaos_buy(self, lines):
        return self._buy(lines)["orderId"]

    def _chaos_cancel(self, order_id):
        self.emulator.cancel_order(order_id)

    CHAOS_STANDING_JOBS = ("_job_amazon_poll_sqs",)

    def _chaos_crons(self):
        # The SQS poll, run now with a long poll of 1 s instead of 20 (an
        # empty queue holds each poll that long); it stands for the poll the
        # last one chained, which would wait at the queue.
        Job = self.env["queue.job"]
        Job.search(
            [
                ("method_name", "=", "_job_amazon_poll_sqs"),
                ("state", "in", ("pending", "enqueued")),
            ]
        ).unlink()
        poll = self.account.with_delay(
            identity_key=f"amazon.sqs.poll:{self.account.id}"
        )._job_amazon_poll_sqs(wait_seconds=1)
        self._run_started(poll.db_record())
        self.env["marketplace.account"]._cron_poll_orders()

    def _chaos_marketplace_works(self):
        # Amazon applies accepted listing submissions and processes feeds
        # and reports on its own time: here, before every job.
        self.emulator.apply_pending()
        self.emulator.process_feeds()
        self.emulator.process_reports()

    def _chaos_carrier(self):
        return self._usps_carrier()

    def _chaos_tracking_numbers(self, order_id):
        packages = self.emulator.order(order_id).get("packages") or []
        return [p.get("trackingNumber") for p in packages]

    def _chaos_assert_listings_match(self):
        self.emulator.apply_pending()
        for listing in self.env["amazon.listing"].search(
            [("account_id", "=", self.account.id)]
        ):
            shown = self.emulator.listing(EMULATOR_SELLER, listing.sku)["attributes"]
            quantity = shown["fulfillment_availability"][0]["quantity"]
            wanted = self.account._target_quantity(listing.product_id)
            self.assertEqual(quantity, wanted, listing.sku)
            self.assertFalse(listing.push_pending, listing.sku)

    # -- the day ---------------------------------------------------------------
    @mute_logger(CLIENT_LOGGER, *MUTED)
    def test_a_day_under_faults_loses_nothing_and_doubles_nothing(self):
        order_ids = self._a_day_under_faults()
        # Orders came in by both doors: notifications were delivered for
        # every order, and the poll read them too.
        sent = {n["order_id"] for n in self.emulator.notifications_sent() if n["ok"]}
        self.assertTrue(set(order_ids) <= sent, "an order was never notified")
        self.assertTrue(self._calls("^/orders/2026-01-01/orders$", 200))
