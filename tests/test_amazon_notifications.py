"""Amazon notifications: set-up through the Notifications API, the SQS poll
against moto (stored once, deleted after the commit, malformed and foreign
messages set aside without blocking the queue), rights and the AWS secret.

Messages here are written by the test (raw sends through the emulator into
the queue), so these tests need no order: tests/test_amazon_notification_orders.py
runs the emulator's own ORDER_CHANGE deliveries into sale orders.
"""

import json
import uuid

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .amazon_common import EMULATOR_SELLER, AmazonCase, AmazonTwoCompaniesMixin
from .amazon_sqs_common import NOTIFICATION_LOGGER, AmazonSqsMixin
from .common import USER_GROUPS

NOTIFICATIONS_PATH = "^/notifications/"


def order_change(order_id, seller_id=EMULATOR_SELLER, application_id=None, **overrides):
    """An ORDER_CHANGE body as Amazon sends it (schema
    OrderChangeNotification.json), with a fresh notificationId."""
    body = {
        "NotificationVersion": "1.0",
        "NotificationType": "ORDER_CHANGE",
        "PayloadVersion": "1.0",
        "EventTime": "2026-12-01T10:00:00.000Z",
        "Payload": {
            "OrderChangeNotification": {
                "NotificationLevel": "OrderLevel",
                "SellerId": seller_id,
                "AmazonOrderId": order_id,
                "OrderChangeType": "OrderStatusChange",
                "OrderChangeTrigger": {
                    "TimeOfOrderChange": "2026-12-01T10:00:00.000Z",
                    "ChangeReason": "Order created",
                },
                "Summary": {
                    "MarketplaceId": "ATVPDKIKX0DER",
                    "OrderStatus": "Unshipped",
                    "PurchaseDate": "2026-12-01T09:59:00.000Z",
                    "DestinationPostalCode": "98109",
                    "FulfillmentType": "MFN",
                    "OrderType": "StandardOrder",
                    "OrderItems": [],
                },
            }
        },
        "NotificationMetadata": {
            "ApplicationId": application_id or AmazonCase.APPLICATION_ID,
            "SubscriptionId": "sub-1",
            "PublishTime": "2026-12-01T10:00:01.000Z",
            "NotificationId": str(uuid.uuid4()),
        },
    }
    body.update(overrides)
    return body


@tagged("post_install", "-at_install")
class TestAmazonNotificationSetup(AmazonSqsMixin, AmazonCase):
    def test_setup_makes_policy_destination_subscription_once(self):
        setup = self.emulator.notification_setup()
        self.assertEqual(len(setup["destinations"]), 1)
        self.assertEqual(setup["destinations"][0]["arn"], self.queue_arn)
        self.assertEqual(len(setup["subscriptions"]), 1)
        subscription = setup["subscriptions"][0]
        self.assertEqual(subscription["seller_id"], EMULATOR_SELLER)
        self.assertEqual(subscription["notificationType"], "ORDER_CHANGE")
        self.assertEqual(
            self.account.amazon_notification_destination_id,
            setup["destinations"][0]["destinationId"],
        )
        self.assertEqual(
            self.account.amazon_order_subscription_id, subscription["subscriptionId"]
        )
        policy = json.loads(self._sqs().attributes(("Policy",))["Policy"])
        statement = policy["Statement"][0]
        self.assertEqual(
            statement["Principal"], {"AWS": "arn:aws:iam::437568002678:root"}
        )
        self.assertEqual(
            set(statement["Action"]), {"sqs:SendMessage", "sqs:GetQueueAttributes"}
        )
        # Run again: everything is found, nothing made twice.
        answer = self.account.action_amazon_setup_notifications()
        self.assertIn("already", answer["params"]["message"])
        again = self.emulator.notification_setup()
        self.assertEqual(again, setup)
        creates = [
            c for c in self.emulator.calls(path=NOTIFICATIONS_PATH, method="POST")
        ]
        self.assertEqual(len(creates), 2)  # one destination, one subscription
        self.assertIn("arrive in the queue", self.account.message_ids[1].body)

    def test_setup_says_what_is_missing(self):
        self.account.write({"amazon_sqs_queue_url": False, "amazon_sqs_region": False})
        with self.assertRaisesRegex(UserError, "SQS queue URL, the SQS region"):
            self.account.action_amazon_setup_notifications()

    def test_setup_refuses_a_queue_that_does_not_exist(self):
        missing = self.queue_url.rsplit("/", 1)[0] + "/no-such-queue"
        with mute_logger("botocore"), self.assertRaisesRegex(UserError, "queue policy"):
            self._setup_notifications(queue_url=missing)

    def test_setup_on_a_new_queue_moves_the_subscription(self):
        old = self.account.amazon_order_subscription_id
        url, arn = self._new_queue()
        self._setup_notifications(queue_url=url)
        setup = self.emulator.notification_setup()
        self.assertEqual(len(setup["subscriptions"]), 1)
        self.assertNotEqual(setup["subscriptions"][0]["subscriptionId"], old)
        destination = next(
            d
            for d in setup["destinations"]
            if d["destinationId"] == setup["subscriptions"][0]["destinationId"]
        )
        self.assertEqual(destination["arn"], arn)

    def test_a_queue_serves_one_account_only(self):
        other = self._new_account(name="Second Amazon seller")
        self._configure_queue(other)  # the queue of self.account
        calls = len(self.emulator.calls(path=NOTIFICATIONS_PATH))
        with self.assertRaisesRegex(UserError, "queue of its own"):
            other.action_amazon_setup_notifications()
        self.assertEqual(len(self.emulator.calls(path=NOTIFICATIONS_PATH)), calls)
        self.assertFalse(other.amazon_order_subscription_id)

    def test_another_queue_typed_waits_for_the_set_up(self):
        self.assertTrue(self.account._amazon_notifications_ready())
        url, _arn = self._new_queue()
        self.account.amazon_sqs_queue_url = url
        # Amazon still delivers to the old queue: not polled as if set up.
        self.assertFalse(self.account._amazon_notifications_ready())
        self.assertIn("skipped", self._poll_sqs())
        self._setup_notifications(queue_url=url)
        self.assertTrue(self.account._amazon_notifications_ready())


@tagged("post_install", "-at_install")
class TestAmazonSqsPoll(AmazonSqsMixin, AmazonCase):
    def _send(self, body):
        text = body if isinstance(body, str) else json.dumps(body)
        self.assertTrue(self.emulator.sqs_send_raw(self.queue_arn, text))

    def test_stored_once_by_notification_id_deleted_after_commit(self):
        message = order_change("111-0000001-0000001")
        self._send(message)
        self._send(message)  # SQS delivers at least once
        result = self.account._job_amazon_poll_sqs(wait_seconds=1)
        self.assertIn("1 stored", result)
        self.assertIn("1 duplicate", result)
        # Nothing is deleted before the storing transaction commits.
        self.assertEqual(self._queue_counts(), (0, 2))
        self.env.cr.postcommit.run()
        self.assertEqual(self._queue_counts(), (0, 0))
        stored = self._amazon_notifications()
        self.assertEqual(len(stored), 1)
        self.assertEqual(
            stored.notification_id, message["NotificationMetadata"]["NotificationId"]
        )
        self.assertEqual(stored.topic, "ORDER_CHANGE")
        self.assertEqual(stored.state, "new")
        self.assertEqual(
            json.loads(stored.data),
            {"order_id": "111-0000001-0000001", "change_type": "OrderStatusChange"},
        )
        self.assertTrue(self.account.amazon_sqs_last_poll)
        self.assertEqual(self.account.amazon_sqs_backlog, 0)

    def test_a_redelivered_message_is_not_stored_twice(self):
        message = order_change("111-0000001-0000002")
        self._send(message)
        self._poll_sqs()
        self._send(message)  # the delete was lost: SQS delivers it again
        self.assertIn("1 duplicate", self._poll_sqs())
        self.assertEqual(len(self._amazon_notifications()), 1)
        self.assertEqual(self._queue_counts(), (0, 0))

    def test_malformed_and_foreign_messages_set_aside_without_blocking(self):
        self._send("not json at all")
        self._send(json.dumps(["a", "list"]))
        self._send(order_change("111-0000002-0000001", seller_id="A9OTHERSELLER"))
        self._send(
            order_change(
                "111-0000002-0000002", application_id="amzn1.sp.solution.other"
            )
        )
        self._send(
            order_change("111-0000002-0000003", NotificationType="ANY_OFFER_CHANGED")
        )
        behind = order_change("111-0000002-0000004")
        self._send(behind)
        with mute_logger(NOTIFICATION_LOGGER):
            result = self._poll_sqs()
        self.assertIn("1 stored", result)
        self.assertIn("5 set_aside", result)
        self.assertEqual(self._queue_counts(), (0, 0))
        new = self._amazon_notifications(state="new")
        self.assertEqual(
            new.notification_id, behind["NotificationMetadata"]["NotificationId"]
        )
        aside = self._amazon_notifications(state="error")
        self.assertEqual(len(aside), 5)
        reasons = sorted(aside.mapped("result"))
        self.assertEqual(
            reasons,
            sorted(
                [
                    "The message is not JSON.",
                    "The message is not a JSON object.",
                    "The notification is for another seller.",
                    "The notification is for another application.",
                    "Not an ORDER_CHANGE notification (ANY_OFFER_CHANGED).",
                ]
            ),
        )
        # Kept for staff by the SQS message id, without the message's body.
        for record in aside:
            self.assertTrue(record.notification_id.startswith("sqs:"))
            self.assertEqual(json.loads(record.data or "{}"), {})

    def test_backlog_is_what_the_poll_left(self):
        for index in range(12):
            self._send(order_change(f"111-0000003-{index:07d}"))
        self._poll_sqs(batches=1)
        self.assertEqual(len(self._amazon_notifications()), 10)
        self.assertEqual(self.account.amazon_sqs_backlog, 2)

    def test_poll_enqueues_one_processing_job(self):
        from odoo.addons.queue_job.tests.common import trap_jobs

        self._send(order_change("111-0000004-0000001"))
        self._send(order_change("111-0000004-0000002"))
        with trap_jobs() as trap:
            self._poll_sqs()
            trap.assert_jobs_count(
                1, only=self.account._job_amazon_process_notifications
            )
            # No identity key (as eBay's inbox): a job already waiting may
            # start before this poll commits, and never see what it stored.
            trap.assert_enqueued_job(
                self.account._job_amazon_process_notifications,
                properties={"identity_key": None},
            )
            # The next poll waits at the queue at once (a lone order is
            # stored within a second), one per account.
            trap.assert_enqueued_job(
                self.account._job_amazon_poll_sqs,
                properties={"identity_key": f"amazon.sqs.poll:{self.account.id}"},
            )

    def test_a_failed_poll_queues_no_next_one(self):
        from odoo.addons.queue_job.tests.common import trap_jobs

        # The queue is gone on AWS: the receive is refused.  No next poll
        # (the cron starts the chain again within a minute: no loop of
        # failures), nothing stored.
        self._sqs()._client.delete_queue(QueueUrl=self.queue_url)
        with (
            trap_jobs() as trap,
            mute_logger("odoo.addons.marketplace_connector"),
        ):
            result = self._poll_sqs()
            trap.assert_jobs_count(0, only=self.account._job_amazon_poll_sqs)
        self.assertIn("SQS poll stopped", result)

    def test_cron_enqueues_a_poll_per_ready_account(self):
        from odoo.addons.queue_job.tests.common import trap_jobs

        with trap_jobs() as trap:
            self.env["marketplace.account"]._cron_amazon_poll_sqs()
            trap.assert_enqueued_job(
                self.account._job_amazon_poll_sqs,
                properties={"identity_key": f"amazon.sqs.poll:{self.account.id}"},
            )


@tagged("post_install", "-at_install")
class TestAmazonNotificationRights(AmazonSqsMixin, AmazonTwoCompaniesMixin, AmazonCase):
    SETUP_NOTIFICATIONS = False

    def setUp(self):
        super().setUp()
        self._setup_company_b()
        self.user_a = new_test_user(
            self.env,
            login="shop_a_user",
            groups=USER_GROUPS,
            company_id=self.env.company.id,
            company_ids=self.env.company.ids,
        )
        self.emulator.clear_calls()

    def test_a_user_cannot_set_up_nor_read_the_secret(self):
        self._configure_queue(self.account)
        self.emulator.clear_calls()
        with self.assertRaises(AccessError):
            self.account.with_user(self.user_a).action_amazon_setup_notifications()
        with self.assertRaises(AccessError):
            self.account.with_user(self.user_a).read(["amazon_aws_secret_access_key"])
        with self.assertRaises(AccessError):
            self.account.with_user(self.user_a).write(
                {"amazon_aws_secret_access_key": "stolen"}
            )
        self.assertEqual(self.emulator.calls(path=NOTIFICATIONS_PATH), [])
        self.assertFalse(self.account.amazon_order_subscription_id)

    def test_company_b_manager_cannot_touch_company_a(self):
        self._configure_queue(self.account)
        self.emulator.clear_calls()
        as_b = self.account.with_user(self.manager_b)
        with self.assertRaises(AccessError):
            as_b.action_amazon_setup_notifications()
        with self.assertRaises(AccessError):
            as_b.write({"amazon_sqs_queue_url": self._new_queue()[0]})
        with self.assertRaises(AccessError):
            as_b.action_amazon_poll_sqs()
        self.assertEqual(self.emulator.calls(path=NOTIFICATIONS_PATH), [])
        # B's manager sets up B's own account, on B's own queue.
        self._configure_queue(self.account_b, self._new_queue()[0])
        self.account_b.with_user(self.manager_b).action_amazon_setup_notifications()
        self.assertTrue(self.account_b.amazon_order_subscription_id)
        self.assertFalse(self.account.amazon_order_subscription_id)

    def test_the_secret_never_shows(self):
        with self.assertLogs(level="DEBUG") as logs:
            self._setup_notifications()
            self.emulator.sqs_send_raw(
                self.queue_arn, json.dumps(order_change("1-2-3"))
            )
            self._poll_sqs()
        text = "\n".join(logs.output)
        self.assertNotIn(self.aws_secret, text)
        account = self.account
        self.assertFalse(account.amazon_aws_secret_access_key)
        self.assertFalse(
            account.read(["amazon_aws_secret_access_key"])[0][
                "amazon_aws_secret_access_key"
            ]
        )
        self.assertTrue(account.amazon_has_aws_secret)
        for body in account.message_ids.mapped("body"):
            self.assertNotIn(self.aws_secret, body or "")
        calls = (
            self.env["marketplace.call"]
            .sudo()
            .search([("account_id", "=", account.id)])
        )
        for call in calls.read():
            self.assertNotIn(self.aws_secret, json.dumps(call, default=str))
        for row in self.env["marketplace.notification"].sudo().search([]).read():
            self.assertNotIn(self.aws_secret, json.dumps(row, default=str))
        secret = (
            self.env["marketplace.secret"]
            .sudo()
            .search(
                [
                    ("account_id", "=", account.id),
                    ("kind", "=", "amazon_aws_secret_access_key"),
                ]
            )
        )
        self.assertEqual(len(secret), 1)
        self.assertNotIn(self.aws_secret, secret.ciphertext)
        self.assertNotIn(self.aws_secret, repr(self._sqs()))
