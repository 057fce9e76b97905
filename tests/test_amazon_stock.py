import time

from odoo import fields
from odoo.tests import tagged

from .amazon_common import EMULATOR_SELLER, US
from .amazon_feed_common import (
    CHECK,
    CREATE_FEED,
    PATCH_PATH,
    PUSH,
    SUBMIT,
    AmazonFeedCase,
)
from .common import set_setting


@tagged("post_install", "-at_install")
class TestAmazonStockPush(AmazonFeedCase):
    def _patches(self):
        return self.emulator.calls(path=PATCH_PATH, method="PATCH")

    def test_many_moves_coalesce_into_one_message_per_sku_with_the_last_value(self):
        listings = self._live(30)
        for quantity in (5, 7, 9):
            for listing in listings:
                self._set_stock(listing.product_id, quantity)
        self.assertEqual(len(self._jobs(PUSH)), 1, "90 moves, one push waiting")
        self.assertTrue(all(listings.mapped("push_pending")))
        self._perform_pushes()
        self.assertFalse(self._patches(), "more than the threshold: by feed")
        feed = self._feeds(purpose="offer")
        self.assertEqual(len(feed), 1)
        # More moves before the feed leaves: they join it, still one message.
        for listing in listings[:5]:
            self._set_stock(listing.product_id, 11)
        self._perform_pushes()
        self.assertEqual(len(self._feeds(purpose="offer")), 1)
        self._run_chain(SUBMIT)
        self.assertEqual(len(self.emulator.calls(path=CREATE_FEED)), 1)
        self.assertTrue(all(listings.mapped("push_pending")), "until Amazon says")
        self.emulator.amazon("POST", "feeds/process")
        sent = self._emulator_feed(feed)["messages"]
        self.assertEqual(len(sent), 30)
        self.assertEqual(len({m["sku"] for m in sent}), 30)
        quantities = {
            m["sku"]: next(
                p["value"][0]["quantity"]
                for p in m["patches"]
                if p["path"] == "/attributes/fulfillment_availability"
            )
            for m in sent
        }
        self.assertEqual(
            quantities,
            {l.sku: 11 if l in listings[:5] else 9 for l in listings},
        )
        self._finish_feeds()
        self.assertEqual(feed.state, "done")
        self.assertFalse(any(listings.mapped("push_pending")))
        self.assertEqual(listings[0].pushed_quantity, 11)
        self.assertEqual(listings[-1].pushed_quantity, 9)
        self.assertEqual(self._on_amazon(listings[-1])[0], 9)
        self.assertFalse(self._jobs(PUSH), "nothing moved while it waited")

    def test_price_and_stock_changes_meet_in_one_message(self):
        listings = self._live(25)
        for listing in listings:
            self._set_stock(listing.product_id, 4)
        listings.product_id.product_tmpl_id.write({"list_price": 24.5})
        self._perform_pushes()
        self._run_chain(SUBMIT)
        feed = self._feeds(purpose="offer")
        self.emulator.amazon("POST", "feeds/process")
        message = self._emulator_feed(feed)["messages"][0]
        self.assertEqual(
            [p["path"] for p in message["patches"]],
            ["/attributes/purchasable_offer", "/attributes/fulfillment_availability"],
        )
        self._finish_feeds()
        self.assertEqual(self._on_amazon(listings[0]), (4, 24.5))
        self.assertEqual(
            (listings[0].pushed_quantity, listings[0].pushed_price), (4, 24.5)
        )

    def test_a_few_changes_go_by_patch(self):
        listings = self._live(3)
        for listing in listings:
            self._set_stock(listing.product_id, 6)
        self._perform_pushes()
        self.assertEqual(len(self._patches()), 3)
        self.assertFalse(self._feeds(purpose="offer"))
        self.assertFalse(any(listings.mapped("push_pending")))
        self.assertEqual(self._on_amazon(listings[1])[0], 6)

    def test_a_drop_to_zero_goes_at_once(self):
        listings = self._live(30)
        for listing in listings[1:]:
            self._set_stock(listing.product_id, 8)
        self._set_stock(listings[0].product_id, 0)
        self.assertTrue(listings[0].push_urgent)
        urgent = self.env["queue.job"].search(
            [("method_name", "=", PUSH), ("priority", "=", 5)]
        )
        self.assertEqual(len(urgent), 1, "an urgent push of its own")
        self._perform_pushes()
        # The zero by patchListingsItem, the 29 others by feed.
        patches = self._patches()
        self.assertEqual(
            [c["path"].rsplit("/", 1)[1] for c in patches], [listings[0].sku]
        )
        self.assertEqual(self._on_amazon(listings[0])[0], 0)
        self.assertFalse(listings[0].push_pending)
        feed = self._feeds(purpose="offer")
        self.assertEqual(feed.feed_message_ids.listing_id, listings[1:])

    def test_a_zero_while_a_feed_waits_wins_over_the_feed(self):
        listings = self._live(25)
        for listing in listings:
            self._set_stock(listing.product_id, 8)
        self._perform_pushes()
        self._run_chain(SUBMIT)
        feed = self._feeds(purpose="offer")
        # The feed (quantity 8) waits in Amazon's queue; the last unit sells.
        self._set_stock(listings[0].product_id, 0)
        self._perform_pushes()
        self.assertEqual(len(self._patches()), 1, "the zero did not wait")
        self.assertEqual(listings[0].pushed_quantity, 0)
        # Amazon applies the feed after the patch: it shows 8 again.  The
        # report makes Odoo send the zero once more.
        self._finish_feeds()
        self.assertEqual(feed.state, "done")
        self.assertTrue(listings[0].push_urgent)
        self._perform_pushes()
        self.assertEqual(len(self._patches()), 2)
        self.assertEqual(self._on_amazon(listings[0])[0], 0)
        self.assertFalse(listings[0].push_pending)

    def test_429_on_the_urgent_path_is_tried_again(self):
        listing = self._live(1)
        self.emulator.fault(PATCH_PATH, "429", method="PATCH")
        self._set_stock(listing.product_id, 0)
        self._run_job(self._jobs(PUSH)[0])
        self.assertTrue(listing.push_pending)
        self.assertIn("Try 2", listing.push_error)
        retry = self._jobs(PUSH)
        self.assertEqual(len(retry), 1, "the next try is queued")
        self._perform_pushes()
        self.assertFalse(listing.push_pending)
        self.assertEqual(self._on_amazon(listing)[0], 0)
        statuses = [c["status"] for c in self._patches()]
        self.assertEqual(statuses, [429, 200])
        throttled = self.env["marketplace.call"].search(
            [("account_id", "=", self.account.id), ("is_throttled", "=", True)]
        )
        self.assertEqual(len(throttled), 1, "every try is in the call log")

    def test_a_lost_answer_is_sent_again_once_it_cannot_land(self):
        # A short window the test waits out; three seconds, so that the next
        # try runs inside it even on a loaded machine.
        set_setting(self.env, "call_timeout_seconds", 3)
        listing = self._live(1)
        # The patch lands on Amazon, its answer is lost.
        self.emulator.fault(PATCH_PATH, "drop", method="PATCH", applied=True)
        self._set_stock(listing.product_id, 3)
        self._run_job(self._jobs(PUSH)[0])
        self.assertTrue(listing.push_pending)
        self.assertTrue(listing.push_unsettled_until)
        # Two pushes wait: the job's next try, and the one after the window.
        jobs = self._jobs(PUSH)
        self.assertEqual(len(jobs), 2)
        self._run_job(jobs.filtered(lambda j: "marketplace_try" in j.kwargs))
        self.assertFalse(listing.push_pending, "the next try was accepted")
        self.assertTrue(listing.push_unsettled_until, "may still land until then")
        wait = (listing.push_unsettled_until - fields.Datetime.now()).total_seconds()
        time.sleep(max(0, wait) + 1)
        self._perform_pushes()  # the push after the window
        self.assertFalse(listing.push_unsettled_until)
        self.assertEqual(len(self._patches()), 3)
        self.assertEqual(self._on_amazon(listing)[0], 3)


@tagged("post_install", "-at_install")
class TestAmazonReconciliation(AmazonFeedCase):
    def _amazon_side_change(self, listing, quantity, price):
        """Someone changes the listing on Amazon (Seller Central)."""
        from ..amazon.attributes import offer_patches

        self.account._amazon_client().listings.patch(
            listing.sku,
            [US],
            "PRODUCT",
            offer_patches(
                marketplace_id=US, currency="USD", price=price, quantity=quantity
            ),
        )
        self.emulator.apply_pending()

    def _reconcile(self):
        self.account._job_amazon_reconcile()
        self.emulator.amazon("POST", "reports/process")
        return self._run_chain("_job_amazon_reconcile_read")

    def test_drift_is_found_and_repaired_by_pushing_again(self):
        listings = self._live(2)
        self._amazon_side_change(listings[0], 3, 5.0)
        self._reconcile()
        drifts = self.account.drift_ids
        self.assertEqual(
            sorted((d.field, d.odoo_value, d.marketplace_value) for d in drifts),
            [("price", 19.9, 5.0), ("quantity", 12.0, 3.0)],
        )
        self.assertEqual(set(drifts.mapped("state")), {"repairing"}, "automatic")
        self.assertTrue(listings[0].push_pending)
        self._perform_pushes()
        self.assertEqual(self._on_amazon(listings[0]), (12, 19.9))
        self._reconcile()
        self.assertEqual(set(self.account.drift_ids.mapped("state")), {"resolved"})
        self.assertTrue(self.account.last_reconciled_at)

    def test_a_live_listing_gone_from_amazon_is_drift_and_published_again(self):
        listings = self._live(2)
        gone = listings[0]
        # Someone deletes it on Amazon (Seller Central); Odoo still thinks
        # it is live.
        self.account._amazon_client().listings.delete(gone.sku, [US])
        self.emulator.apply_pending()
        self.assertNotIn(gone.sku, self.emulator.listings(EMULATOR_SELLER))
        self.assertTrue(gone.is_live)
        self._reconcile()
        drift = self.account.drift_ids.filtered(lambda d: d.field == "listing")
        self.assertEqual(len(drift), 1)
        self.assertEqual(drift.listing_ref, gone)
        self.assertEqual((drift.odoo_value, drift.marketplace_value), (1.0, 0.0))
        self.assertEqual(
            self.account.drift_ids - drift,
            self.env["marketplace.drift"],
            "the other listing does not drift",
        )
        # Repaired at once (no change pending): the listing is put again.
        self.assertEqual(drift.state, "repairing")
        self.assertEqual((gone.state, gone.pending_operation), ("queued", "publish"))
        self.assertTrue(
            any(
                "does not show this listing" in (m.body or "") for m in gone.message_ids
            ),
            gone.message_ids.mapped("body"),
        )
        self._run_chain("_job_run")
        self.emulator.apply_pending()
        self.assertIn(gone.sku, self.emulator.listings(EMULATOR_SELLER))
        self.assertEqual(gone.state, "published")
        self._reconcile()
        self.assertEqual(drift.state, "resolved")
        self.assertFalse(
            self.account.alert_ids.filtered(
                lambda a: a.cause == "drift_found" and a.state == "open"
            )
        )

    def test_a_gone_listing_waits_for_a_person_without_automatic_repair(self):
        set_setting(self.env, "drift_auto_repair", "0")
        listings = self._live(1)
        self.account._amazon_client().listings.delete(listings.sku, [US])
        self.emulator.apply_pending()
        self._reconcile()
        drift = self.account.drift_ids
        self.assertEqual((drift.field, drift.state), ("listing", "open"))
        self.assertEqual(listings.state, "published", "nothing done by itself")
        alert = self.account.alert_ids.filtered(lambda a: a.cause == "drift_found")
        self.assertEqual(alert.state, "open")
        drift.action_repair()
        self.assertEqual(drift.state, "repairing")
        self.assertEqual(listings.pending_operation, "publish")

    def test_the_cron_asks_amazon_accounts_too(self):
        self.env["marketplace.account"]._cron_reconcile()
        self.assertEqual(len(self._jobs("_job_amazon_reconcile")), 1)


@tagged("post_install", "-at_install")
class TestAmazonStockHealth(AmazonFeedCase):
    def test_waiting_listings_and_feeds_show_in_health_and_dashboard(self):
        listings = self._live(25)
        for listing in listings:
            self._set_stock(listing.product_id, 2)
        self._perform_pushes()
        self._run_chain(SUBMIT)
        report = self.account._health_report()[0]
        self.assertEqual(report["stock_push"]["waiting"], 25, "until Amazon says")
        account = self.account.with_context(tz="UTC")
        self.assertEqual(account.dashboard_push_waiting_count, 25)
        self.assertEqual(account.amazon_dashboard_feed_open_count, 1)
        action = account.with_context(
            dashboard_figure="feeds_open"
        ).action_dashboard_open()
        self.assertEqual(
            self.env["amazon.feed"].search(action["domain"]),
            self._feeds(purpose="offer"),
        )
        self._finish_feeds()
        account.invalidate_recordset()
        self.assertEqual(account._health_report()[0]["stock_push"]["waiting"], 0)
        self.assertEqual(account.amazon_dashboard_feed_open_count, 0)
        self.assertEqual(self._jobs(CHECK), self.env["queue.job"])
