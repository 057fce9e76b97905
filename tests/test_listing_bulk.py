from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .ebay_common import ListingCase

BULK = "^/sell/inventory/v1/bulk_"


@tagged("post_install", "-at_install")
class TestBulkPublish(ListingCase):
    def _listings(self, count, **values):
        products = self.env["product.product"]
        for i in range(count):
            products |= self._product(f"BULK-{i:03d}", f"Bulk item {i}", 5)
        listings = products._ebay_listings_for(self.account)
        listings.write(
            dict(
                {"image_urls": "https://i.example.com/a.jpg", "category_id": "88433"},
                **values,
            )
        )
        return listings

    def _run_all(self, trap):
        """Run every trapped job the way the job runner would, once."""
        for job in list(trap.enqueued_jobs):
            job.perform()

    def test_thirty_listings_in_two_batches_of_bulk_calls(self):
        listings = self._listings(30)
        with trap_jobs() as trap:
            listings.action_publish()
            self.assertEqual(len(trap.enqueued_jobs), 2, "25 + 5")
            self.assertEqual(
                sorted(len(j.recordset) for j in trap.enqueued_jobs), [5, 25]
            )
            self._run_all(trap)
        self.assertEqual(set(listings.mapped("state")), {"published"})
        self.assertEqual(len(set(listings.mapped("ebay_listing_id"))), 30)
        calls = self.emulator.calls(path="^/sell/inventory/v1/")
        self.assertEqual(len(calls), 6, "3 bulk calls per batch, nothing per SKU")
        self.assertTrue(all("/bulk_" in c["path"] for c in calls))

    def test_partial_failure_is_handled_item_by_item(self):
        listings = self._listings(5)
        bad = listings[2]
        bad.condition = "FOR_PARTS_OR_NOT_WORKING"  # refused in this category
        with trap_jobs() as trap:
            listings.action_publish()
            self._run_all(trap)
        self.assertEqual(bad.state, "error")
        self.assertIn("25021", bad.last_error)
        self.assertTrue(bad.offer_id, "its offer exists; a fix and requeue reuses it")
        self.assertEqual(set((listings - bad).mapped("state")), {"published"})

    def test_429_mid_bulk_loses_nothing_and_duplicates_nothing(self):
        listings = self._listings(4)
        self.emulator.fault("bulk_create_offer", "429", retry_after=5)
        with trap_jobs() as trap:
            listings.action_publish()
            self._run_all(trap)
            self.assertEqual(set(listings.mapped("state")), {"queued"})
            retries = [j for j in trap.enqueued_jobs if j.eta]
            self.assertEqual(len(retries), 1, "the batch is re-enqueued with an eta")
            retries[0].perform()
        self.assertEqual(set(listings.mapped("state")), {"published"})
        api = self._api()
        for listing in listings:
            self.assertEqual(len(api.get_offers(listing.sku)["offers"]), 1)
        failed = self.env["marketplace.call"].search(
            [("account_id", "=", self.account.id), ("error_codes", "=", "2001")]
        )
        self.assertEqual(failed.operation, "bulkCreateOffer")

    def test_job_rerun_after_crash_reuses_offers(self):
        listings = self._listings(3)
        with trap_jobs() as trap:
            listings.action_publish()
            job = trap.enqueued_jobs[0]
        # The worker died after bulkCreateOffer, before Odoo committed.
        from ..ebay import payloads

        api = self._api()
        api.bulk_create_or_replace_inventory_item(
            [
                dict(
                    payloads.inventory_item(l._listing_data()),
                    sku=l.sku,
                    locale="en_US",
                )
                for l in listings
            ]
        )
        api.bulk_create_offer([payloads.offer(l._listing_data()) for l in listings])
        self.assertFalse(any(listings.mapped("offer_id")))
        job.perform()
        self.assertEqual(set(listings.mapped("state")), {"published"})
        for listing in listings:
            self.assertEqual(len(api.get_offers(listing.sku)["offers"]), 1)

    def test_5xx_and_dropped_connection_mid_bulk_lose_nothing(self):
        listings = self._listings(4)
        # The items went through; then eBay fails on the offers, then the
        # connection drops while publishing.
        self.emulator.fault("bulk_create_offer", "503", retry_after=2)
        self.emulator.fault("bulk_publish_offer", "drop")
        with trap_jobs() as trap:
            listings.action_publish()
            self._run_all(trap)
            for _round in range(3):
                retries = [j for j in trap.enqueued_jobs if j.eta and not j.result]
                for job in retries:
                    job.result = job.perform() or "done"
        self.assertEqual(set(listings.mapped("state")), {"published"})
        api = self._api()
        for listing in listings:
            self.assertEqual(len(api.get_offers(listing.sku)["offers"]), 1)
        statuses = [c["status"] for c in self.emulator.calls(path=BULK)]
        self.assertIn(503, statuses)
        self.assertIn(0, statuses, "the dropped call is in the log")
