from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .ebay_common import ListingCase


@tagged("post_install", "-at_install")
class TestMigration(ListingCase):
    def _seed(self, listing_id, skus):
        self.emulator._call(
            "POST",
            "legacy_listings",
            json={
                "listingId": listing_id,
                "title": "Legacy",
                "price": "9.50",
                "quantity": 3,
                "categoryId": "88433",
                "skus": skus,
            },
        )

    def test_migrate_links_known_skus_and_reports_the_rest(self):
        known = self._product("LEG-1", "Legacy one", 3)
        self._seed("300000000001", ["LEG-1"])
        self._seed("300000000002", ["LEG-UNKNOWN"])
        self._seed("300000000003", [""])  # a legacy listing without SKU
        ids = [
            "300000000001",
            "300000000002",
            "300000000003",
            "300000000004",
            "300000000005",
            "300000000006",
        ]
        with trap_jobs() as trap:
            self.account.action_migrate_listings(ids)
            self.assertEqual(len(trap.enqueued_jobs), 2, "5 listing ids per call")
            for job in trap.enqueued_jobs:
                job.perform()
        listing = known.ebay_listing_ids
        self.assertEqual(listing.ebay_listing_id, "300000000001")
        self.assertEqual(listing.state, "published")
        self.assertTrue(listing.offer_id)
        self.assertEqual(self._api().get_offer(listing.offer_id)["sku"], "LEG-1")
        report = self.account.ebay_migration_report
        self.assertIn("LEG-1 linked", report)
        self.assertIn("LEG-UNKNOWN has no Odoo product", report)
        self.assertIn("300000000003 was not migrated", report)
        self.assertIn("300000000004 was not migrated", report)
        # Once linked, the listing is revised like any other.
        listing.price = 11
        listing.action_publish()
        self._run(listing)
        self.assertEqual(listing.state, "published", listing.last_error)
        self.assertEqual(
            self._api().get_offer(listing.offer_id)["pricingSummary"]["price"]["value"],
            "11.00",
        )
