"""A seller publishes a product to Amazon, in Chromium."""

from odoo.tests import tagged

from odoo.addons.queue_job.job import Job

from .amazon_common import AmazonHttpCase
from .amazon_listing_common import AmazonListingMixin


@tagged("post_install", "-at_install")
class TestAmazonPublishTour(AmazonListingMixin, AmazonHttpCase):
    def test_publish_a_product_to_amazon(self):
        listing = self._listing(self._tee("TOUR-AMZ"))
        self.start_tour(
            "/odoo/action-marketplace_connector.amazon_listing_action",
            "marketplace_connector_amazon_publish_tour",
            login="admin",
        )
        jobs = self.env["queue.job"].search(
            [("state", "=", "pending"), ("model_name", "=", "amazon.listing")]
        )
        self.assertEqual(len(jobs), 1, "the publish job")
        Job.load(self.env, jobs.uuid).perform()
        self.assertEqual(listing.state, "published")
        self.emulator.apply_pending()
        readback = self.env["queue.job"].search(
            [("state", "=", "pending"), ("method_name", "=", "_job_readback")]
        )
        self.assertEqual(len(readback), 1)
        Job.load(self.env, readback.uuid).perform()
        asin = self.emulator.listing(self.SELLER, "TOUR-AMZ")["marketplaces"][
            self._us().marketplace_id
        ]["asin"]
        self.assertTrue(asin)
        self.start_tour(
            "/odoo/action-marketplace_connector.amazon_listing_action",
            "marketplace_connector_amazon_published_tour",
            login="admin",
            cookies={"amazon_tour_asin": asin},
        )
