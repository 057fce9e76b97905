import json

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs

from ..ebay import payloads
from ..models.marketplace.job_edge import job_limits
from .ebay_common import INVENTORY, ListingCase, OrderCase


def _letters(env, records):
    return env["marketplace.dead.letter"].search(
        [("res_model", "=", records._name), ("res_id", "in", records.ids)]
    )


@tagged("post_install", "-at_install")
class TestListingDeadLetters(ListingCase):
    def _give_up(self, listings):
        self.emulator.fault(INVENTORY, "429", times=-1, retry_after=3)
        listings.action_publish()
        for listing in listings:
            for _try in range(self._listing_tries()):
                self._run(listing)
            self.assertEqual(listing.state, "failed")
        self.emulator.clear_faults()

    def test_listings_that_gave_up_are_requeued_in_bulk_and_resolve(self):
        mug = self._listing(self._product("MUG-1", "Mug", 5))
        listings = self._listing() | mug
        self._give_up(listings)
        letters = _letters(self.env, listings)
        self.assertEqual(len(letters), 2, "one letter per listing")
        self.assertEqual(set(letters.mapped("state")), {"open"})
        self.assertEqual(self.account.dead_letter_count, 2)
        action = self.account.action_open_dead_letters()
        self.assertEqual(
            self.env["marketplace.dead.letter"].search(action["domain"]), letters
        )
        self.assertEqual(set(letters.mapped("kind")), {"listing"})
        self.assertEqual(set(letters.mapped("attempts")), {self._listing_tries()})
        for letter in letters:
            # eBay's error, normalised: what happened and what to do.
            self.assertIn(f"Gave up after {self._listing_tries()} tries", letter.error)
            self.assertIn("Requeue", letter.error)
        with trap_jobs() as trap:
            letters.action_requeue()
            trap.assert_jobs_count(2)
        self.assertEqual(set(letters.mapped("state")), {"requeued"})
        self.account.invalidate_recordset(["dead_letter_count"])
        self.assertEqual(self.account.dead_letter_count, 0)

        self.assertEqual(letters.handled_by, self.env.user)
        self.assertEqual(set(listings.mapped("state")), {"queued"})
        self.assertEqual(set(listings.mapped("retry_count")), {0})
        for listing in listings:
            self._run(listing)
        self.assertEqual(set(listings.mapped("state")), {"published"})
        self.assertEqual(set(letters.mapped("state")), {"resolved"})
        self._assert_no_contract_violation()

    def test_refusal_is_ignored_then_fails_again_on_the_same_letter(self):
        listing = self._listing()
        self.account.ebay_fulfillment_policy_id.policy_id = "999999"
        listing.action_publish()
        self._run(listing)
        self.assertEqual(listing.state, "error")
        letter = _letters(self.env, listing)
        self.assertEqual(letter.state, "open")
        self.assertIn("25007", letter.error)
        self.assertIn("shipping (fulfillment) policy", letter.error)
        letter.action_ignore()
        self.assertEqual(letter.state, "ignored")
        self.assertEqual(listing.state, "error", "ignoring leaves the record alone")
        # Requeued from the inbox before the data is fixed: refused again.
        with trap_jobs() as trap:
            letter.action_requeue()
            trap.assert_jobs_count(1)
        self._run(listing)
        self.assertEqual(_letters(self.env, listing), letter, "no second letter")
        self.assertEqual(letter.state, "open")
        self.assertEqual(letter.failure_count, 2)

    def test_requeue_of_a_resolved_letter_is_refused(self):
        listing = self._listing()
        policy = self.account.ebay_fulfillment_policy_id
        good_policy_id = policy.policy_id
        policy.policy_id = "999999"
        listing.action_publish()
        self._run(listing)
        letter = _letters(self.env, listing)
        letter.action_ignore()
        letter.action_ignore()  # twice in bulk: no error, no change
        self.assertEqual(letter.state, "ignored")
        # The seller fixes the policy and publishes again from the listing:
        # it goes live, and that resolves the letter it had.
        policy.policy_id = good_policy_id
        listing.action_publish()
        self._run(listing)
        self.assertEqual(listing.state, "published", listing.last_error)
        self.assertEqual(letter.state, "resolved")
        with self.assertRaisesRegex(Exception, "Only open or ignored"):
            letter.action_requeue()


@tagged("post_install", "-at_install")
class TestOrderAndJobDeadLetters(OrderCase):
    def test_flagged_order_is_a_letter_until_retried(self):
        api = self._api()
        data = self.product._ebay_listings_for(self.account)._listing_data()
        data.sku = "GHOST-2"
        api.create_or_replace_inventory_item("GHOST-2", payloads.inventory_item(data))
        api.publish_offer(api.create_offer(payloads.offer(data))["offerId"])
        self._buy([{"sku": "GHOST-2", "quantity": 1}])
        self._poll()
        order = self._orders()
        self.assertEqual(order.state, "flagged")
        letter = _letters(self.env, order)
        self.assertEqual(letter.kind, "order")
        self.assertIn("GHOST-2", letter.error)
        self._product("GHOST-2", "Ghost", 1)
        letter.action_requeue()
        self.assertEqual(order.state, "imported")
        self.assertEqual(letter.state, "resolved")

    def _run_job(self, job_record):
        """What queue_job's runner does with a job, failure handling included."""
        job = Job.load(self.env, job_record.uuid)
        try:
            RunJobController._runjob(self.env, job)
        finally:
            # The runner stores the outcome through an environment of its own.
            self.env.invalidate_all()

    def test_failed_job_lands_in_the_inbox_and_is_requeued(self):
        order = self._buy([{"sku": "MUG-1", "quantity": 1}])
        notification = self.env["marketplace.notification"].create(
            {
                "account_id": self.account.id,
                "notification_id": "n-dead-letter-1",
                "topic": "ORDER_CONFIRMATION",
                "data": json.dumps({"orderId": order["orderId"]}),
            }
        )
        # One job for this notification (the way jobs queued before batched
        # processing run): a job whose record has no dead letter of its own.
        notification._enqueue_per_notification()
        self.emulator.fault("^/sell/fulfillment/v1/order/", "500", times=-1)
        # Every try fails for now until the job is out of tries.
        for _try in range(
            job_limits(self.env, "marketplace.notification", "_job_process")[1]
        ):
            pending = self.env["queue.job"].search(
                [
                    ("model_name", "=", "marketplace.notification"),
                    ("state", "=", "pending"),
                ]
            )
            self.assertEqual(len(pending), 1)
            self._run_job(pending)
        self.emulator.clear_faults()
        job = self.env["queue.job"].search(
            [("model_name", "=", "marketplace.notification"), ("state", "!=", "done")]
        )
        self.assertEqual(job.state, "failed")
        letter = _letters(self.env, job)
        self.assertEqual(letter.kind, "job")
        self.assertEqual(letter.state, "open")
        self.assertEqual(letter.account_id, self.account)
        self.assertTrue(letter.error)
        self.assertNotIn("Traceback", letter.error)
        # A marketplace user (not a queue_job manager) requeues it.
        staff = self.env["res.users"].create(
            {
                "name": "Shop staff",
                "login": "shop_staff_letters",
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
        with self.assertRaises(AccessError):
            letter.with_user(staff).write({"state": "ignored"})
        letter.with_user(staff).action_requeue()
        self.env.invalidate_all()
        self.assertEqual(job.state, "pending")

        self.assertEqual(letter.state, "requeued")
        self._run_job(job)
        self.assertEqual(job.state, "done")
        self.assertEqual(letter.state, "resolved")
        self.assertEqual(notification.state, "done")
        self.assertTrue(self._orders().sale_order_id)
