"""ORDER_CHANGE notifications into sale orders: the emulator delivers them
into the test's moto queue, the SQS poll stores them once, the processing
job re-reads the orders (the notification is never trusted for order data).

Exactly one sale order per Amazon order, whatever mix delivers it: the same
notification twice, two notifications of one order, held notifications
released in reverse order beside the orders poll; one order Amazon refuses
holds back no other.
"""

import json
import uuid

from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.queue_job.tests.common import trap_jobs

from .amazon_order_common import GET_ORDER, SEARCH_ORDERS, AmazonOrderCase
from .amazon_sqs_common import NOTIFICATION_LOGGER, AmazonSqsMixin
from .common import MANAGER_GROUPS

PROCESS = "_job_amazon_process_notifications"


@tagged("post_install", "-at_install")
class TestAmazonNotificationOrders(AmazonSqsMixin, AmazonOrderCase):
    def _process(self):
        """The account's processing job, as the SQS poll enqueues it."""
        return self.account._job_amazon_process_notifications()

    def _sale_orders(self, remote_order_id):
        return self._order(remote_order_id).sale_order_id

    def test_the_same_notification_twice_gives_one_sale_order(self):
        self.emulator.notification_delivery(duplicates=1)
        order = self._buy([{"sku": "TEE-1", "quantity": 2}])
        self.assertIn("1 stored, 1 duplicate", self._poll_sqs())
        self.assertEqual(self._queue_counts(), (0, 0))
        self.emulator.clear_calls()
        self._process()
        self.assertEqual(len(self._calls(GET_ORDER)), 1)
        self.assertEqual(len(self._sale_orders(order["orderId"])), 1)
        notification = self._amazon_notifications()
        self.assertEqual(notification.state, "done")
        # What is kept: the order id and the change type, no buyer data.
        self.assertEqual(
            set(json.loads(notification.data)), {"order_id", "change_type"}
        )

    def test_a_burst_is_read_by_getorder_and_imported_in_one_batch(self):
        # Issue 15: no searchOrders on the notification path, one getOrder
        # per order, and a bound of SQL queries per order imported (54
        # measured with the batch; the SQS poll is not counted).
        orders = [self._buy([{"sku": ("TEE-1", "MUG-1")[i % 2]}]) for i in range(12)]
        self.assertIn("12 stored", self._poll_sqs())
        self.emulator.clear_calls()
        queries = self.env.cr.sql_log_count
        self._process()
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - queries
        self.assertEqual(len(self._calls(GET_ORDER)), 12)
        self.assertFalse(self._calls(SEARCH_ORDERS))
        sales = self.env["sale.order"].browse()
        for order in orders:
            sales |= self._sale_orders(order["orderId"])
        self.assertEqual(len(sales), 12)
        self.assertEqual(set(sales.mapped("state")), {"sale"})
        self.assertEqual(set(self._amazon_notifications().mapped("state")), {"done"})
        self.assertLessEqual(queries / 12, 60)

    def test_two_notifications_of_one_order_read_it_once(self):
        order = self._buy([{"sku": "TEE-1"}], status="PENDING")
        self.emulator.set_order_status(order["orderId"], "UNSHIPPED")
        self.assertIn("2 stored", self._poll_sqs())
        self.emulator.clear_calls()
        self._process()
        self.assertEqual(len(self._calls(GET_ORDER)), 1)
        self.assertEqual(len(self._sale_orders(order["orderId"])), 1)
        self.assertEqual(set(self._amazon_notifications().mapped("state")), {"done"})

    def test_out_of_order_beside_the_orders_poll_one_sale_order_each(self):
        self.emulator.notification_delivery(hold=True, duplicates=1)
        first = self._buy([{"sku": "TEE-1"}], status="PENDING")
        second = self._buy([{"sku": "MUG-1"}])
        self.emulator.set_order_status(first["orderId"], "UNSHIPPED")
        # The orders poll sees them first; the notifications arrive later,
        # newest first.
        self._poll()
        self.assertEqual(self.emulator.release_notifications(order="reverse"), 6)
        self._poll_sqs()
        self._process()
        self._poll()
        for order in (first, second):
            self.assertEqual(len(self._sale_orders(order["orderId"])), 1)
        self.assertEqual(len(self._orders()), 2)
        self.assertEqual(len(self._orders().sale_order_id), 2)
        self.assertEqual(set(self._amazon_notifications().mapped("state")), {"done"})

    def test_a_refused_order_holds_back_no_other(self):
        good = self._buy([{"sku": "TEE-1"}])
        # A notification of an order Amazon does not know (getOrder: 404).
        body = {
            "NotificationVersion": "1.0",
            "NotificationType": "ORDER_CHANGE",
            "PayloadVersion": "1.0",
            "EventTime": "2026-12-01T10:00:00.000Z",
            "Payload": {
                "OrderChangeNotification": {
                    "SellerId": self.account.amazon_selling_partner_id,
                    "AmazonOrderId": "999-9999999-9999999",
                    "OrderChangeType": "OrderStatusChange",
                }
            },
            "NotificationMetadata": {
                "ApplicationId": self.APPLICATION_ID,
                "SubscriptionId": "sub",
                "PublishTime": "2026-12-01T10:00:00.000Z",
                "NotificationId": str(uuid.uuid4()),
            },
        }
        self.emulator.sqs_send_raw(self.queue_arn, json.dumps(body))
        self.assertIn("2 stored", self._poll_sqs())
        with mute_logger(NOTIFICATION_LOGGER, "odoo.addons.marketplace_connector"):
            result = self._process()
        self.assertIn("1 order(s) re-read, 1 refused", result)
        self.assertEqual(len(self._sale_orders(good["orderId"])), 1)
        refused = self._amazon_notifications(state="error")
        self.assertEqual(len(refused), 1)
        self.assertIn("999-9999999-9999999", refused.data)
        self.assertTrue(refused.result)
        done = self._amazon_notifications(state="done")
        self.assertIn(good["orderId"], done.data)

    def test_a_transient_failure_keeps_them_new_for_the_next_try(self):
        order = self._buy([{"sku": "TEE-1"}])
        self._poll_sqs()
        self.emulator.fault(GET_ORDER, "503", times=1)
        with mute_logger("odoo.addons.marketplace_connector"), trap_jobs() as trap:
            self._process()
            trap.assert_jobs_count(
                1, only=self.account._job_amazon_process_notifications
            )
        notification = self._amazon_notifications()
        self.assertEqual(notification.state, "new")
        self.assertTrue(notification.result)
        self.assertFalse(self._sale_orders(order["orderId"]))
        self._process()  # the next try
        self.assertEqual(notification.state, "done")
        self.assertEqual(len(self._sale_orders(order["orderId"])), 1)

    def _run_amazon_jobs(self):
        """Run the account's queued SQS poll, then the processing jobs it
        queued, as the runner does (the poll it chains, which would wait
        at the empty queue, is left queued)."""
        for method in ("_job_amazon_poll_sqs", PROCESS):
            jobs = self.env["queue.job"].search(
                [("state", "=", "pending"), ("method_name", "=", method)],
                order="id",
            )
            for job in jobs:
                self._run_job(job)

    def test_a_manager_polls_now_and_the_order_is_imported(self):
        manager = new_test_user(
            self.env,
            login="shop_a_manager",
            groups=MANAGER_GROUPS,
            company_id=self.env.company.id,
            company_ids=self.env.company.ids,
        )
        order = self._buy([{"sku": "TEE-1"}])
        self.account.with_user(manager).action_amazon_poll_sqs()
        self._run_amazon_jobs()
        self.assertEqual(len(self._sale_orders(order["orderId"])), 1)
        self.assertEqual(self._amazon_notifications().state, "done")

    def test_notifications_left_new_are_processed_after_the_next_poll(self):
        order = self._buy([{"sku": "TEE-1"}])
        self.assertIn("1 stored", self._poll_sqs())
        # The processing job is lost (it gave up, its retry went away).
        self.env["queue.job"].search([("method_name", "=", PROCESS)]).unlink()
        with trap_jobs() as trap:
            self.assertIn("0 stored", self._poll_sqs())
            trap.assert_jobs_count(
                1, only=self.account._job_amazon_process_notifications
            )
        self._process()
        self.assertEqual(len(self._sale_orders(order["orderId"])), 1)
