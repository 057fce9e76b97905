"""Staff requeue and ignore dead letters in bulk, in Chromium."""

from odoo.tests import tagged

from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs

from .ebay_common import INVENTORY, EbayHttpCase, SellerMixin


@tagged("post_install", "-at_install")
class TestInboxTour(SellerMixin, EbayHttpCase):
    def setUp(self):
        super().setUp()
        self._setup_seller()
        self.gave_up = self._listing() | self._listing(self._product("MUG-1", "Mug", 4))
        # eBay throttles every inventory call: both listings give up.
        self.emulator.fault(INVENTORY, "429", times=-1, retry_after=2)
        with trap_jobs():  # the runs below stand for the job runner
            self.gave_up.action_publish()
        for listing in self.gave_up:
            for _try in range(self._listing_tries()):
                self._run(listing)
        self.emulator.clear_faults()
        # eBay refuses the third: its shipping policy is gone on eBay.
        self.refused = self._listing(self._product("LAMP-1", "Lamp", 2))
        policy = self.account.ebay_fulfillment_policy_id
        good_policy_id = policy.policy_id
        policy.policy_id = "999999"
        with trap_jobs():
            self.refused.action_publish()
        self._run(self.refused)
        policy.policy_id = good_policy_id
        self.assertEqual(self.gave_up.mapped("state"), ["failed", "failed"])
        self.assertEqual(self.refused.state, "error")

    def test_requeue_and_ignore_in_bulk(self):
        self.start_tour(
            "/odoo/action-marketplace_connector.marketplace_dead_letter_action",
            "marketplace_connector_inbox_tour",
            login="admin",
        )
        letters = self.env["marketplace.dead.letter"].search(
            [("res_model", "=", "ebay.listing")]
        )
        by_sku = {letter.name: letter for letter in letters}
        self.assertEqual(by_sku["TSHIRT-1"].state, "requeued")
        self.assertEqual(by_sku["MUG-1"].state, "requeued")
        self.assertEqual(by_sku["LAMP-1"].state, "ignored")
        self.assertEqual(self.refused.state, "error", "ignored: left as it is")
        self.assertEqual(set(self.gave_up.mapped("state")), {"queued"})
        jobs = self.env["queue.job"].search(
            [("state", "=", "pending"), ("method_name", "=", "_job_run")]
        )
        self.assertEqual(len(jobs), 2)
        for record in jobs:
            Job.load(self.env, record.uuid).perform()
        self.assertEqual(set(self.gave_up.mapped("state")), {"published"})
        self.assertEqual(by_sku["MUG-1"].state, "resolved")
        self._assert_no_contract_violation()
