from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from ..models.amazon import amazon_feed
from .amazon_common import EMULATOR_SELLER, US, AmazonTwoCompaniesMixin
from .amazon_feed_common import (
    CHECK,
    CREATE_FEED,
    FEED_DOCUMENTS,
    PUT_PATH,
    SUBMIT,
    UPLOADS,
    AmazonFeedCase,
)
from .common import MANAGER_GROUPS, USER_GROUPS


@tagged("post_install", "-at_install")
class TestAmazonFeedPublish(AmazonFeedCase):
    def test_hundreds_of_skus_go_in_one_feed_and_the_report_lands_on_each(self):
        # 300 new SKUs; 7 have a SKU Amazon refuses (over 40 characters),
        # which Odoo's schema check cannot see: the report says so.
        bad = {3, 50, 51, 120, 200, 250, 299}
        listings = self._amazon_listings(300, long_skus=bad)
        listings.action_publish()
        self.assertFalse(self._jobs("_job_run"), "no putListingsItem job")
        self.assertEqual(len(self._jobs(SUBMIT)), 1, "one feed submission")
        self.assertEqual(set(listings.mapped("state")), {"queued"})
        feed = self._feeds()
        self.assertEqual((feed.purpose, feed.state), ("publish", "draft"))
        self.assertEqual(len(feed.feed_message_ids), 300)
        # Amazon keeps it in its queue until the test lets it through.
        self.emulator.config(feed_queue_seconds=3600)
        self._run_chain(SUBMIT)
        self.assertEqual(feed.state, "submitted")
        self.assertEqual(
            [len(self.emulator.calls(path=p)) for p in (FEED_DOCUMENTS, UPLOADS)],
            [1, 1],
        )
        self.assertEqual(len(self.emulator.calls(path=CREATE_FEED)), 1)
        self.assertFalse(self.emulator.calls(path=PUT_PATH), "no single puts")
        # Amazon has not processed it yet: Odoo looks again later.
        self._run_job(self._jobs(CHECK)[0])
        self.assertIn(feed.state, ("in_queue", "in_progress"))
        self.assertEqual(len(self._jobs(CHECK)), 1, "the next check is queued")
        self._finish_feeds()
        self.assertEqual(feed.state, "done")
        self.assertEqual(
            (feed.message_count, feed.accepted_count, feed.invalid_count),
            (300, 293, 7),
        )
        refused = listings.filtered(lambda l: len(l.sku) > 40)
        self.assertEqual(len(refused), 7)
        self.assertEqual(set(refused.mapped("state")), {"error"})
        for listing in refused:
            issues = listing.issue_ids.filtered(lambda i: i.source == "feed")
            self.assertTrue(issues, listing.sku)
            self.assertEqual(issues.mapped("severity"), ["ERROR"] * len(issues))
            self.assertIn("40", listing.last_error)
        accepted = listings - refused
        self.assertEqual(set(accepted.mapped("state")), {"published"})
        self.assertTrue(all(accepted.mapped("is_live")))
        self.assertEqual(set(accepted.mapped("pushed_quantity")), {12})
        self.assertFalse(any(accepted.mapped("push_pending")))
        self.emulator.apply_pending()
        on_amazon = self.emulator.listings(EMULATOR_SELLER)
        self.assertEqual(set(on_amazon), set(accepted.mapped("sku")))
        # Accepted is not applied: each is read back later, like a put.
        self.assertEqual(len(self._jobs("_job_readback")), 293)

    def test_few_listings_go_one_put_each(self):
        listings = self._amazon_listings(3)
        with trap_jobs() as trap:
            listings.action_publish()
            self.assertEqual(
                [job.method_name for job in trap.enqueued_jobs], ["_job_run"] * 3
            )
        self.assertFalse(self._feeds())

    def test_the_threshold_is_a_setting(self):
        settings = self.env["res.config.settings"].create(
            {"marketplace_amazon_feed_threshold": 2}
        )
        settings.execute()
        self.assertEqual(self._threshold(), 2)
        self._amazon_listings(3).action_publish()
        self.assertEqual(len(self._feeds()), 1)

    def test_more_than_a_feed_holds_is_split(self):
        listings = self._amazon_listings(25)
        with patch.object(amazon_feed, "MESSAGES_PER_FEED", 10):
            listings.action_publish()
        feeds = self._feeds()
        self.assertEqual([len(f.feed_message_ids) for f in feeds], [10, 10, 5])
        self.assertEqual(
            sorted(feeds.feed_message_ids.listing_id.ids), sorted(listings.ids)
        )
        self.assertEqual(len(self._jobs(SUBMIT)), 3)

    def test_five_feeds_per_five_minutes(self):
        # Amazon's 5, all of them: the client's limiter lets the fifth go too.
        per_window = amazon_feed.FEEDS_PER_WINDOW
        self.assertEqual(per_window, 5)
        listings = self._amazon_listings(per_window + 1)
        listings._set_state("queued", pending_operation="publish")
        feeds = self.env["amazon.feed"]
        for listing in listings:
            feed = self.env["amazon.feed"]._add_listings(
                self.account, "publish", listing
            )
            # One feed each: the first is no longer a draft the next could join.
            self._run_job(self._jobs(SUBMIT)[-1])
            feeds |= feed
        self.assertEqual(
            feeds.mapped("state"),
            ["submitted"] * per_window + ["draft"],
            "the next one waits",
        )
        self.assertEqual(len(self.emulator.calls(path=CREATE_FEED)), per_window)
        waiting = self._jobs(SUBMIT)
        self.assertEqual(len(waiting), 1)
        free_at = feeds[0].submitted_at + amazon_feed.FEED_WINDOW
        self.assertAlmostEqual(
            (waiting.eta - free_at).total_seconds(), 0, delta=2, msg=waiting.eta
        )


@tagged("post_install", "-at_install")
class TestAmazonFeedFailure(AmazonFeedCase):
    def _feed_with_wrong_seller(self, listings):
        """A feed document that names another seller: Amazon ends it FATAL."""
        listings.action_publish()
        feed = self._feeds()
        seller = self.account.amazon_selling_partner_id
        self.account.sudo().amazon_selling_partner_id = "A0OTHERSELLER"
        self._run_chain(SUBMIT)
        self.account.sudo().amazon_selling_partner_id = seller
        return feed

    def test_fatal_feed_is_sent_again_and_a_person_is_told(self):
        listings = self._amazon_listings(25)
        feed = self._feed_with_wrong_seller(listings)
        self._finish_feeds()
        self.assertEqual(feed.state, "fatal")
        self.assertEqual(set(feed.feed_message_ids.mapped("state")), {"lost"})
        self.assertTrue(feed.report_summary)
        alert = self.account.alert_ids.filtered(
            lambda a: a.cause == "amazon_feed_failed" and a.state == "open"
        )
        self.assertEqual((alert.res_model, alert.res_id), (feed._name, feed.id))
        # Nothing lost: the listings wait, queued, in a new feed.
        self.assertEqual(set(listings.mapped("state")), {"queued"})
        again = self._feeds() - feed
        self.assertEqual(again.resubmit_of_id, feed)
        self.assertEqual(
            sorted(again.feed_message_ids.listing_id.ids), sorted(listings.ids)
        )
        self._run_chain(SUBMIT)
        self._finish_feeds()
        self.assertEqual(again.state, "done")
        self.assertEqual(set(listings.mapped("state")), {"published"})
        self.assertEqual(alert.state, "cleared")

    def test_a_resubmission_that_fails_waits_for_a_manager(self):
        listings = self._amazon_listings(25)
        feed = self._feed_with_wrong_seller(listings)
        self._finish_feeds()
        again = self._feeds() - feed
        # Amazon keeps the resubmission in its queue, and someone cancels it
        # (Seller Central, another tool): CANCELLED, like FATAL, clears nothing.
        self.emulator.config(feed_queue_seconds=3600)
        self._run_chain(SUBMIT)
        self.account._amazon_client().feeds.cancel_feed(again.amazon_feed_id)
        self._run_chain(CHECK)
        self.assertEqual(again.state, "cancelled")
        self.assertEqual(len(self._feeds()), 2, "no third feed by itself")
        self.assertEqual(set(listings.mapped("state")), {"error"})
        self.assertIn("Resubmit", listings[0].last_error)
        user = new_test_user(self.env, login="feed_user", groups=USER_GROUPS)
        with self.assertRaises(AccessError):
            again.with_user(user).action_resubmit()
        self.assertEqual(len(self._feeds()), 2, "a user's refusal queues nothing")
        manager = new_test_user(self.env, login="feed_manager", groups=MANAGER_GROUPS)
        again.with_user(manager).action_resubmit()
        third = self._feeds()[-1]
        self.assertEqual(third.resubmit_of_id, again)
        self.assertEqual(set(listings.mapped("state")), {"queued"})
        self._run_chain(SUBMIT)
        self._finish_feeds()
        self.assertEqual(third.state, "done")
        self.assertEqual(set(listings.mapped("state")), {"published"})

    def test_refused_submission_loses_nothing(self):
        listings = self._amazon_listings(25)
        listings.action_publish()
        feed = self._feeds()
        self.emulator.fault(CREATE_FEED, "500")
        self._run_chain(SUBMIT, limit=1)
        self.assertEqual(feed.state, "draft")
        self.assertTrue(feed.last_error)
        self.assertEqual(len(self._jobs(SUBMIT)), 1, "the next try is queued")
        self._run_chain(SUBMIT)
        self.assertEqual(feed.state, "submitted")
        self.assertEqual(
            feed.submitted_at.date(), fields.Datetime.now().date(), feed.submitted_at
        )
        self.assertEqual(self._emulator_feed(feed)["marketplaceIds"], [US])


@tagged("post_install", "-at_install")
class TestAmazonFeedSweep(AmazonFeedCase):
    def _sweep(self):
        return self.env["amazon.feed"]._cron_sweep_stalled()

    def _stuck_alert(self, feed):
        return self.account.alert_ids.filtered(
            lambda a: (
                a.cause == "amazon_feed_stuck"
                and (a.res_model, a.res_id) == (feed._name, feed.id)
            )
        )

    def test_a_feed_whose_checks_stopped_is_followed_again(self):
        listings = self._amazon_listings(25)
        listings.action_publish()
        feed = self._feeds()
        self.emulator.config(feed_queue_seconds=3600)
        self._run_chain(SUBMIT)
        self.assertEqual(feed.state, "submitted")
        # The worker that held the check died, or someone cancelled it: the
        # chain is broken.
        self._jobs(CHECK).button_cancelled()
        self.assertFalse(self._jobs(CHECK))
        self.assertEqual(self._sweep(), 0, "just checked: nothing to do yet")
        self.assertFalse(self._jobs(CHECK))
        later = fields.Datetime.now() + amazon_feed.STALL_AFTER + timedelta(minutes=1)
        with freeze_time(later):
            self._sweep()
            self.assertEqual(len(self._jobs(CHECK)), 1, "the check is queued again")
            self._sweep()
            self.assertEqual(len(self._jobs(CHECK)), 1, "not twice")
            self._run_job(self._jobs(CHECK)[0])
        self.assertIn(feed.state, ("in_queue", "in_progress"))
        self.assertEqual(feed.checked_at, later)
        self.assertFalse(self._stuck_alert(feed), "a few hours in the queue is normal")
        # A day later Amazon still has not finished it: a person is told.
        self._jobs(CHECK).button_cancelled()
        a_day = fields.Datetime.now() + amazon_feed.STUCK_AFTER + timedelta(hours=1)
        with freeze_time(a_day):
            self._sweep()
            self._sweep()
        alert = self._stuck_alert(feed)
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.state, "open")
        self.assertIn(feed.name, alert.name)
        self.assertEqual(len(self._jobs(CHECK)), 1)
        # Amazon finishes it: the report lands and the alert ends.
        self._finish_feeds()
        self.assertEqual(feed.state, "done")
        self.assertEqual(set(listings.mapped("state")), {"published"})
        self.assertEqual(alert.state, "cleared")


@tagged("post_install", "-at_install")
class TestAmazonFeedCompanies(AmazonTwoCompaniesMixin, AmazonFeedCase):
    def setUp(self):
        super().setUp()
        self._setup_company_b()

    def test_company_b_neither_sees_nor_resubmits_company_a_feeds(self):
        listings = self._amazon_listings(25)
        listings.action_publish()
        feed = self._feeds()
        self.emulator.config(feed_queue_seconds=3600)
        self._run_chain(SUBMIT)
        self.account._amazon_client().feeds.cancel_feed(feed.amazon_feed_id)
        self._run_chain(CHECK)
        self.assertEqual(feed.state, "cancelled")
        feeds_before = self.env["amazon.feed"].search([])
        self.assertEqual(len(feeds_before), 2, "the failed feed and its resubmission")
        messages = feeds_before.feed_message_ids
        self.assertTrue(messages)
        for person in (self.user_b, self.manager_b):
            Feed = self.env["amazon.feed"].with_user(person)
            self.assertFalse(Feed.search([]), person.login)
            self.assertFalse(
                self.env["amazon.feed.message"].with_user(person).search([]),
                person.login,
            )
            with self.assertRaises(AccessError, msg=person.login):
                feed.with_user(person).read(["state", "report_summary"])
            with self.assertRaises(AccessError, msg=person.login):
                messages[:1].with_user(person).read(["sku", "issues"])
            with self.assertRaises(AccessError, msg=person.login):
                feed.with_user(person).action_resubmit()
        self.assertEqual(
            self.env["amazon.feed"].search([]), feeds_before, "nothing queued"
        )
        self.assertEqual(len(self._jobs(SUBMIT)), 1, "only the automatic resubmission")
