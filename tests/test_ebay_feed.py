"""eBay's Sell Feed API for large catalogues, against the emulator.

Above the account's feed threshold the reconciliation reads the Active
Inventory Report (a handful of calls for thousands of listings) and bulk
ends go in one LMS_END_FIXED_PRICE_ITEM file whose result file's per-item
answers land on each listing.
"""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import RunnerMixin
from .ebay_common import StockPushCase

FEED = "^/sell/feed/v1/"
INVENTORY = "^/sell/inventory/v1/"
FEED_JOBS = ("_job_send", "_job_check")


@tagged("post_install", "-at_install")
class TestEbayFeed(RunnerMixin, StockPushCase):
    def setUp(self):
        super().setUp()
        self.account.ebay_feed_threshold = 50
        # Each status read moves a task one step (feed_api.py).
        self.emulator.config(feed_polls_per_step=1)

    # -- helpers -------------------------------------------------------------------
    def _catalogue(self, count, prefix="FEED"):
        """``count`` live listings, in Odoo and on eBay, at the values Odoo
        wants (set up directly: publishing them is not what is tested)."""
        products = self.env["product.product"].create(
            [
                {
                    "name": f"Feed product {i}",
                    "default_code": f"{prefix}-{i:05d}",
                    "list_price": 10.0,
                }
                for i in range(count)
            ]
        )
        seeded = self.emulator.seed_live_listings(
            [{"sku": p.default_code, "price": 10.0, "quantity": 0} for p in products]
        )
        by_sku = {s["sku"]: s for s in seeded}
        listings = self.env["ebay.listing"]._create_system(
            [
                {
                    "account_id": self.account.id,
                    "product_id": p.id,
                    "sku": p.default_code,
                    "title": p.name,
                    "category_id": "88433",
                    "state": "published",
                    "is_live": True,
                    "offer_id": by_sku[p.default_code]["offerId"],
                    "ebay_listing_id": by_sku[p.default_code]["listingId"],
                }
                for p in products
            ]
        )
        self.emulator._call("DELETE", "calls")
        return listings

    def _run_feed_jobs(self, limit=40):
        runs = 0
        while runs < limit:
            pending = self.env["queue.job"].search(
                [("method_name", "in", FEED_JOBS), ("state", "=", "pending")],
                order="id",
            )
            if not pending:
                return runs
            self._run_job(pending[0])
            runs += 1
        raise AssertionError("the feed task's jobs never ended")

    def _task(self, feed_type):
        return self.env["ebay.feed.task"].search(
            [("account_id", "=", self.account.id), ("feed_type", "=", feed_type)]
        )

    # -- reconciliation by report ----------------------------------------------------
    def test_2000_listings_reconciled_by_report_in_a_few_calls(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_connector.drift_auto_repair", "0"
        )
        listings = self._catalogue(2000)
        # Someone changed two listings on eBay's site; one is gone from eBay.
        api = self._api()
        drifted, price_drifted, gone = listings[10], listings[20], listings[30]
        api.bulk_update_price_quantity(
            [
                {
                    "sku": drifted.sku,
                    "shipToLocationAvailability": {"quantity": 3},
                },
                {
                    "sku": price_drifted.sku,
                    "offers": [
                        {
                            "offerId": price_drifted.offer_id,
                            "price": {"value": "4.00", "currency": "USD"},
                        }
                    ],
                },
            ]
        )
        api.withdraw_offer(gone.offer_id)
        self.emulator._call("DELETE", "calls")

        self.assertIn("report asked", self.account._job_reconcile())
        self.assertEqual(
            self.account._job_reconcile(),
            f"skipped: report {self._task('LMS_ACTIVE_INVENTORY_REPORT').name} "
            "is on its way",
            "a second reconciliation waits for the report on its way",
        )
        self._run_feed_jobs()
        task = self._task("LMS_ACTIVE_INVENTORY_REPORT")
        self.assertEqual(task.state, "completed")
        self.assertEqual((task.success_count, task.error_count), (1999, 1))
        calls = self.emulator.calls(path="^/sell/")
        self.assertEqual(
            [c["path"].rsplit("/", 1)[-1] for c in calls][:1], ["inventory_task"]
        )
        self.assertLessEqual(len(calls), 6, [c["path"] for c in calls])
        self.assertFalse(self.emulator.calls(path=INVENTORY), "no call per listing")
        drifts = self.account.drift_ids.filtered(lambda d: d.state == "open")
        self.assertEqual(
            sorted((d.sku, d.field, d.odoo_value, d.marketplace_value) for d in drifts),
            [
                (drifted.sku, "quantity", 0.0, 3.0),
                (price_drifted.sku, "price", 10.0, 4.0),
                (gone.sku, "listing", 1.0, 0.0),
            ],
        )
        self.assertTrue(self.account.last_reconciled_at)

    def test_below_the_threshold_reconciliation_reads_each_listing(self):
        self._catalogue(5)
        self.account._job_reconcile()
        self.assertFalse(self._task("LMS_ACTIVE_INVENTORY_REPORT"))
        self.assertEqual(len(self.emulator.calls(path="/offer/")), 5)

    def test_a_lost_create_answer_does_not_make_a_second_task(self):
        self._catalogue(60)
        # eBay makes the report, and the answer never comes back.
        self.emulator.fault(
            "^/sell/feed/v1/inventory_task$", "drop", method="POST", applied=True
        )
        self.account._job_reconcile()
        self._run_feed_jobs()
        creates = [
            c
            for c in self.emulator.calls(path="^/sell/feed/v1/inventory_task$")
            if c["method"] == "POST"
        ]
        self.assertEqual(len(creates), 1, "the lost task was found, not made again")
        self.assertEqual(len(self.emulator.feed_tasks()), 1)
        looked = self.emulator.calls(path="^/sell/feed/v1/inventory_task$")
        self.assertTrue(any(c["method"] == "GET" for c in looked))
        task = self._task("LMS_ACTIVE_INVENTORY_REPORT")
        self.assertEqual(task.task_id, self.emulator.feed_tasks()[0]["taskId"])
        self.assertEqual(task.state, "completed")
        self.assertEqual(task.success_count, 60)

    # -- bulk end by feed ----------------------------------------------------------
    def test_a_feed_task_ends_100_listings_with_errors_per_listing(self):
        listings = self._catalogue(100)
        api = self._api()
        # Ten listings were deleted on eBay meanwhile, five ended already.
        deleted, ended = listings[:10], listings[10:15]
        for listing in deleted:
            api.delete_offer(listing.offer_id)
        for listing in ended:
            api.withdraw_offer(listing.offer_id)
        self.emulator._call("DELETE", "calls")

        listings.action_end()
        self.assertEqual(set(listings.mapped("state")), {"queued"})
        self.assertFalse(
            self.env["queue.job"].search([("method_name", "=", "_job_run")]),
            "no job per listing",
        )
        self._run_feed_jobs()
        task = self._task("LMS_END_FIXED_PRICE_ITEM")
        self.assertEqual(task.state, "completed_with_error")
        self.assertEqual((task.success_count, task.error_count), (90, 10))
        self.assertEqual(set((listings - deleted).mapped("state")), {"ended"})
        self.assertFalse(any((listings - deleted).mapped("is_live")))
        self.assertEqual(set(deleted.mapped("state")), {"error"})
        for listing in deleted:
            self.assertIn("cannot be accessed", listing.last_error)
        self.assertEqual(
            sorted(
                {c["path"].rsplit("/", 1)[-1] for c in self.emulator.calls("^/sell/")}
            ),
            sorted(["download_result_file", task.task_id, "task", "upload_file"]),
        )
        self.assertLessEqual(len(self.emulator.calls(path="^/sell/")), 8)
        offer = api.get_offer(listings[50].offer_id)
        self.assertEqual(offer["listing"]["listingStatus"], "ENDED")

    def test_ending_few_listings_stays_one_call_each(self):
        listings = self._catalogue(3)
        listings.action_end()
        self.assertFalse(self._task("LMS_END_FIXED_PRICE_ITEM"))
        self.assertEqual(
            len(self.env["queue.job"].search([("method_name", "=", "_job_run")])), 3
        )

    def test_a_refused_task_puts_its_listings_in_error(self):
        listings = self._catalogue(60)
        self.emulator.fault("^/sell/feed/v1/task$", "400", method="POST")
        listings.action_end()
        self._run_feed_jobs()
        task = self._task("LMS_END_FIXED_PRICE_ITEM")
        self.assertEqual(task.state, "failed")
        self.assertEqual(set(listings.mapped("state")), {"error"})
        self.assertTrue(all(listings.mapped("last_error")))

    def test_revise_prices_and_quantities_by_feed(self):
        listings = self._catalogue(60)
        listings[:2].write({"price": 12.5})
        listings.action_send_price_quantity()
        self._run_feed_jobs()
        task = self._task("LMS_REVISE_INVENTORY_STATUS")
        self.assertEqual(task.state, "completed")
        self.assertEqual(task.success_count, 60)
        offer = self._api().get_offer(listings[0].offer_id)
        self.assertEqual(offer["pricingSummary"]["price"]["value"], "12.50")
        self.assertEqual(listings[0].pushed_price, 12.5)

    # -- rights ----------------------------------------------------------------------
    def test_feed_tasks_are_read_only_and_company_bound(self):
        self._catalogue(60).action_end()
        task = self._task("LMS_END_FIXED_PRICE_ITEM")
        user = self.env["res.users"].create(
            {
                "name": "Feed user",
                "login": "feed-user",
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            self.env.ref(
                                "marketplace_connector.group_marketplace_user"
                            ).id
                        ],
                    )
                ],
            }
        )
        as_user = task.with_user(user)
        self.assertEqual(as_user.state, "draft")
        with self.assertRaises(AccessError):
            as_user.write({"state": "completed"})
        with self.assertRaises(AccessError):
            as_user.action_check_now()
        other = self.env["res.company"].create({"name": "Other company"})
        user.write({"company_ids": [(6, 0, [other.id])], "company_id": other.id})
        self.assertFalse(
            self.env["ebay.feed.task"].with_user(user).search([("id", "=", task.id)])
        )
