"""An Amazon account's set-up, as a seller goes through it on the form.

Connect, the marketplaces the seller sells in, notifications through the
seller's SQS queue (moto), a first listing: each button ends with a
notification in words, a failure is a UserError in words, and the
checklist's states follow the account's real state step by step.
"""

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.queue_job.tests.common import trap_jobs

from .amazon_common import (
    PARTICIPATIONS,
    AmazonCase,
    AmazonTwoCompaniesMixin,
)
from .amazon_sqs_common import AmazonSqsMixin
from .common import USER_GROUPS
from .setup_common import SetupWordsMixin


def steps(account):
    account.invalidate_recordset()
    return {
        "connect": account.setup_connect_state,
        "marketplaces": account.amazon_setup_marketplaces_state,
        "notifications": account.amazon_setup_notifications_state,
        "listing": account.setup_listing_state,
    }


@tagged("post_install", "-at_install")
class TestAmazonAccountSetup(SetupWordsMixin, AmazonSqsMixin, AmazonCase):
    SETUP_NOTIFICATIONS = False
    CONNECTED_ACCOUNT = False

    def test_checklist_and_words_follow_each_step(self):
        account = self._new_account()
        self.assertEqual(
            steps(account),
            {
                "connect": "todo",
                "marketplaces": "todo",
                "notifications": "todo",
                "listing": "todo",
            },
        )
        self.assertIn("Amazon's consent page", account.setup_next_step)
        self._connect(account)
        self.assertEqual(steps(account)["connect"], "done")
        # The connection read the seller's marketplaces already.
        self.assertEqual(steps(account)["marketplaces"], "done")
        self.assertIn("Selling in", account.amazon_setup_marketplaces_hint)
        self.assertIn(
            "In the Amazon notifications tab, enter the SQS queue URL",
            account.setup_next_step,
        )

        answer = account.action_amazon_refresh_marketplaces()
        self._assert_notified(
            answer,
            "sells in 2 marketplace(s): Amazon.ca, Amazon.com",
            "Next: In the Amazon notifications tab",
        )

        # No marketplace chosen: a problem, said in words.
        account.amazon_participation_ids.selected = False
        self.assertEqual(steps(account)["marketplaces"], "problem")
        self.assertIn("tick Sell here", account.setup_next_step)
        account.amazon_participation_ids.selected = True

        self._configure_queue(account)
        self.assertIn("Set up notifications so", account.setup_next_step)
        self.assertEqual(steps(account)["notifications"], "todo")
        answer = account.action_amazon_setup_notifications()
        self._assert_notified(
            answer, "order changes now arrive in the queue", "Next: Choose products"
        )
        self.assertEqual(steps(account)["notifications"], "done")
        # The set-up button's field says done: the button is hidden.
        self.assertEqual(account.amazon_setup_notifications_state, "done")

        # Another queue typed: the set-up must run again, and says so.
        account.amazon_sqs_queue_url = self._new_queue()[0]
        self.assertEqual(steps(account)["notifications"], "problem")
        self.assertIn("set up notifications again", account.setup_next_step)

        with trap_jobs():
            answer = account.action_amazon_setup_notifications()
        self.assertEqual(steps(account)["notifications"], "done")
        with trap_jobs() as trap:
            answer = account.action_amazon_poll_sqs()
            self.assertEqual(trap.jobs_count(only=account._job_amazon_poll_sqs), 1)
        self._assert_notified(answer, "The queue will be read in a moment")
        self.assertNotIn("Next:", answer["params"]["message"])

    def test_refresh_refused_is_a_user_error_in_words(self):
        account = self._connected_account()
        self.emulator.fault(
            PARTICIPATIONS, "400", message="Access to requested resource is denied."
        )
        with (
            mute_logger("odoo.addons.marketplace_connector.amazon.client"),
            self.assertRaisesRegex(
                UserError,
                "Amazon could not be asked for the marketplaces of Amazon test "
                "seller: .*denied",
            ),
        ):
            account.action_amazon_refresh_marketplaces()
        self.assertEqual(steps(account)["marketplaces"], "done")

    def test_poll_before_set_up_says_what_to_do(self):
        account = self._connected_account()
        with self.assertRaisesRegex(UserError, "Set up notifications of"):
            account.action_amazon_poll_sqs()


@tagged("post_install", "-at_install")
class TestAmazonSetupRights(AmazonSqsMixin, AmazonTwoCompaniesMixin, AmazonCase):
    SETUP_NOTIFICATIONS = False

    def test_a_user_reads_the_checklist_and_company_b_does_not(self):
        self._setup_company_b()
        self._configure_queue(self.account)
        user_a = new_test_user(
            self.env,
            login="shop_a_amazon_reader",
            groups=USER_GROUPS,
            company_id=self.env.company.id,
            company_ids=self.env.company.ids,
        )
        as_user = self.account.with_user(user_a)
        as_user.invalidate_recordset()
        self.assertEqual(as_user.amazon_setup_notifications_state, "todo")
        self.assertIn("Set up notifications", as_user.setup_next_step)
        for person in (self.user_b, self.manager_b):
            with self.assertRaises(AccessError):
                self.account.with_user(person).read(["setup_next_step"])
