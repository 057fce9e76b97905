"""One retry discipline for every eBay job (issue 10): the job edge.

The jobs run as queue_job's runner runs them (``RunJobController._runjob``
on stored jobs, or trapped jobs performed), against the emulator's faults.
"""

import ast
import json
import time
from pathlib import Path

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.marketplace.job_edge import job_limits
from .common import RunnerMixin
from .ebay_common import PUSH, EbayCase, OrderCase, StockPushCase

CLIENT_LOGGER = "odoo.addons.marketplace_connector.ebay.client"
EDGE_LOGGER = "odoo.addons.marketplace_connector.models.marketplace.job_edge"
FULFILL = "/shipping_fulfillment$"
# The notifications' batched re-read: getOrders by orderIds.
GET_ORDERS = "^/sell/fulfillment/v1/order$"
PROCESS = "_job_process_notifications"
TIMEOUT_PARAM = "marketplace_connector.call_timeout_seconds"
ADDON_DIR = Path(__file__).resolve().parents[1]
# Odoo's test harness raises any shorter request timeout to 10 s.
TEST_TIMEOUT = 10


@tagged("post_install", "-at_install")
class TestShipmentRetries(RunnerMixin, OrderCase):
    def setUp(self):
        super().setUp()
        self.carrier = self._usps_carrier()
        self.order = self._buy([{"sku": "MUG-1", "quantity": 1}])
        self._poll()
        self.picking = self._orders().sale_order_id.picking_ids

    def _ship(self, tracking):
        picking = self.picking
        picking.carrier_id = self.carrier
        picking.carrier_tracking_ref = tracking
        picking.move_ids.write({"quantity": 1, "picked": True})
        picking._action_done()
        self.assertEqual(picking.marketplace_tracking_state, "queued")

    def _fulfillments(self):
        client = self.account._ebay_client()
        path = f"/sell/fulfillment/v1/order/{self.order['orderId']}"
        return client.request("GET", path + "/shipping_fulfillment").data[
            "fulfillments"
        ]

    @mute_logger(CLIENT_LOGGER)
    def test_5xx_is_tried_again_and_reaches_ebay_once(self):
        self.emulator.fault(FULFILL, "500", method="POST")
        self._ship("TRACK-5XX")
        first = self._jobs("_job_send_tracking")
        self._run_job(first)
        # Not failed at once: done, with its next try queued after the
        # function's backoff (30 to 90 s after a first try, jittered).
        self.assertEqual(first.state, "done")
        self.assertEqual(self.picking.marketplace_tracking_state, "queued")
        self.assertIn("Try 2 of", self.picking.marketplace_tracking_error)
        retry = self._jobs("_job_send_tracking")
        self.assertEqual(len(retry), 1)
        self.assertEqual(retry.kwargs, {"marketplace_try": 2})
        self.assertTrue(25 <= self._eta_seconds(retry) <= 91, retry.eta)
        # The calls of the first try survive it.
        self.assertEqual(
            [(a.operation, a.http_status) for a in self._attempts()],
            [("getShippingFulfillments", 200), ("createShippingFulfillment", 500)],
        )
        self._run_job(retry)
        self.assertEqual(self.picking.marketplace_tracking_state, "sent")
        self.assertFalse(self.picking.marketplace_tracking_error)
        self.assertEqual(len(self._fulfillments()), 1)
        posts = self.emulator.calls(path=FULFILL, method="POST")
        self.assertEqual([c["status"] for c in posts], [500, 201])
        self.assertFalse(self._jobs("_job_send_tracking"))

    @mute_logger(CLIENT_LOGGER)
    def test_timeout_whose_request_lands_late_is_not_sent_twice(self):
        self.env["ir.config_parameter"].sudo().set_param(
            TIMEOUT_PARAM, str(TEST_TIMEOUT)
        )
        # The request stalls past the client's timeout, then eBay applies it.
        self.emulator.fault(FULFILL, "slow", method="POST", delay=TEST_TIMEOUT + 2)
        self._ship("TRACK-TIMEOUT")
        self._run_job(self._jobs("_job_send_tracking"))
        self.assertEqual(self.picking.marketplace_tracking_state, "queued")
        self.assertIn(
            "eBay may still apply it", self.picking.marketplace_tracking_error
        )
        self._wait_for_call(FULFILL, 201)
        self._run_job(self._jobs("_job_send_tracking"))
        self.assertEqual(self.picking.marketplace_tracking_state, "sent")
        fulfillments = self._fulfillments()
        self.assertEqual(len(fulfillments), 1)
        self.assertEqual(
            self.picking.ebay_fulfillment_id, fulfillments[0]["fulfillmentId"]
        )
        self.assertEqual(
            len(self.emulator.calls(path=FULFILL, method="POST")),
            1,
            "the try after the timeout looked before it sent",
        )

    @mute_logger(CLIENT_LOGGER)
    def test_retry_after_is_honoured(self):
        self.emulator.fault(FULFILL, "429", method="POST", retry_after=120)
        self._ship("TRACK-429")
        self._run_job(self._jobs("_job_send_tracking"))
        retry = self._jobs("_job_send_tracking")
        # eBay's 120 s, plus up to a tenth more (jitter), never less.
        self.assertTrue(115 <= self._eta_seconds(retry) <= 133, retry.eta)

    @mute_logger(CLIENT_LOGGER)
    def test_exhausted_tries_are_a_dead_letter_staff_requeue(self):
        self.emulator.fault(FULFILL, "503", method="POST", times=-1)
        self._ship("TRACK-DOWN")
        max_tries = job_limits(self.env, "stock.picking", "_job_send_tracking")[1]
        runs = self._run_chain("_job_send_tracking")
        self.assertEqual(runs, max_tries, "tried as often as data/ says, no more")
        self.assertEqual(self.picking.marketplace_tracking_state, "error")
        self.assertIn(
            f"Gave up after {max_tries} tries", self.picking.marketplace_tracking_error
        )
        posts = self.emulator.calls(path=FULFILL, method="POST")
        self.assertEqual(len(posts), max_tries)
        self.assertEqual(
            len(self._attempts().filtered(lambda a: a.http_status == 503)), max_tries
        )
        letter = self.env["marketplace.dead.letter"].search(
            [("res_model", "=", "stock.picking"), ("res_id", "=", self.picking.id)]
        )
        self.assertEqual((letter.kind, letter.state), ("tracking", "open"))
        self.emulator.clear_faults()
        letter.action_requeue()
        self._run_job(self._jobs("_job_send_tracking"))
        self.assertEqual(self.picking.marketplace_tracking_state, "sent")
        self.assertEqual(letter.state, "resolved")
        self.assertEqual(len(self._fulfillments()), 1)

    def _attempts(self):
        return self.env["marketplace.call"].search(
            [
                ("account_id", "=", self.account.id),
                (
                    "operation",
                    "in",
                    ("getShippingFulfillments", "createShippingFulfillment"),
                ),
            ],
            order="id",
        )


@tagged("post_install", "-at_install")
class TestNotificationRetries(RunnerMixin, OrderCase):
    def _notification(self, order):
        notification = self.env["marketplace.notification"].create(
            {
                "account_id": self.account.id,
                "notification_id": f"n-{order['orderId']}",
                "topic": "ORDER_CONFIRMATION",
                "data": json.dumps({"orderId": order["orderId"]}),
            }
        )
        notification._enqueue()
        return notification

    @mute_logger(CLIENT_LOGGER)
    def test_transient_fault_is_tried_again_not_failed(self):
        order = self._buy([{"sku": "MUG-1", "quantity": 1}])
        notification = self._notification(order)
        self.emulator.fault(GET_ORDERS, "503", method="GET")
        first = self._jobs(PROCESS)
        self._run_job(first)
        self.assertEqual(first.state, "done", "not failed at its first try")
        self.assertEqual(notification.state, "new")
        self.assertIn("Try 2 of", notification.result)
        self.assertFalse(self._orders())
        retry = self._jobs(PROCESS)
        self.assertEqual(retry.kwargs, {"marketplace_try": 2})
        self._run_job(retry)
        self.assertEqual(notification.state, "done")
        self.assertEqual(self._orders().remote_order_id, order["orderId"])
        self.assertTrue(self._orders().sale_order_id)

    @mute_logger(CLIENT_LOGGER)
    def test_out_of_tries_is_a_failed_job_in_the_inbox_then_requeued(self):
        order = self._buy([{"sku": "MUG-1", "quantity": 1}])
        notification = self._notification(order)
        self.emulator.fault(GET_ORDERS, "500", method="GET", times=-1)
        max_tries = job_limits(self.env, "marketplace.account", PROCESS)[1]
        self.assertEqual(self._run_chain(PROCESS), max_tries)
        # Still new, with the reason: the requeued job (or the next
        # notification's job) reads it.
        self.assertEqual(notification.state, "new")
        self.assertIn("Gave up after", notification.result)
        parked = self._jobs(PROCESS, states=("failed",))
        self.assertEqual(len(parked), 1, "the job that gave up waits in the inbox")
        self.assertIn(f"Gave up after {max_tries} tries", parked.exc_message)
        self.assertEqual(parked.kwargs, {}, "requeued, it starts over")
        letter = self.env["marketplace.dead.letter"].search(
            [("res_model", "=", "queue.job"), ("res_id", "=", parked.id)]
        )
        self.assertEqual((letter.kind, letter.state), ("job", "open"))
        self.assertEqual(letter.account_id, self.account)
        self.assertEqual(letter.attempts, max_tries)
        self.assertEqual(
            len(self.emulator.calls(path=GET_ORDERS)), max_tries, "no call after it"
        )
        self.emulator.clear_faults()
        letter.action_requeue()
        self.env.invalidate_all()
        self.assertEqual(parked.state, "pending")
        self._run_job(parked)
        self.assertEqual(parked.state, "done")
        self.assertEqual(letter.state, "resolved")
        self.assertEqual(notification.state, "done")
        self.assertTrue(self._orders().sale_order_id)


@tagged("post_install", "-at_install")
class TestListingRefusal(RunnerMixin, StockPushCase):
    def test_refusal_is_not_tried_again(self):
        listing = self._listing()
        self.account.ebay_fulfillment_policy_id.policy_id = "999999"
        listing.action_publish()
        trap = self._run(listing)
        self.assertFalse(trap.enqueued_jobs, "a refusal is not tried again")
        self.assertEqual(listing.state, "error")
        self.assertIn("25007", listing.last_error)
        self.assertIn("shipping (fulfillment) policy", listing.message_ids[0].body)


@tagged("post_install", "-at_install")
class TestAccountJobRetries(RunnerMixin, StockPushCase):
    @mute_logger(CLIENT_LOGGER)
    def test_stock_push_ends_as_a_dead_letter_not_a_loop(self):
        listing = self._published()
        self.emulator.fault(PUSH, "503", times=-1)
        self._set_stock(self.product, 3)
        max_tries = job_limits(self.env, "marketplace.account", "_job_push_stock")[1]
        self.assertEqual(self._run_chain("_job_push_stock"), max_tries)
        self.assertTrue(listing.push_pending, "nothing lost: still marked")
        self.assertIn(f"Gave up after {max_tries} tries", listing.push_error)
        parked = self._jobs("_job_push_stock", states=("failed",))
        letter = self.env["marketplace.dead.letter"].search(
            [("res_model", "=", "queue.job"), ("res_id", "=", parked.id)]
        )
        self.assertEqual(letter.state, "open")
        self.emulator.clear_faults()
        letter.action_requeue()
        self._run_job(parked)
        self.assertFalse(listing.push_pending)
        self.assertEqual(self._offer(listing)["availableQuantity"], 3)
        self.assertEqual(letter.state, "resolved")

    @mute_logger(CLIENT_LOGGER)
    def test_order_poll_ends_as_a_dead_letter_not_a_loop(self):
        self.emulator.fault("^/sell/fulfillment/v1/order$", "429", times=-1)
        self.account._cron_poll_orders()
        max_tries = job_limits(self.env, "marketplace.account", "_job_poll_orders")[1]
        self.assertEqual(self._run_chain("_job_poll_orders"), max_tries)
        self.assertIn(f"Gave up after {max_tries} tries", self.account.order_poll_error)
        self.assertEqual(len(self._jobs("_job_poll_orders", states=("failed",))), 1)


@tagged("post_install", "-at_install")
class TestUnknownOutcome(RunnerMixin, StockPushCase):
    @mute_logger(CLIENT_LOGGER)
    def test_stalled_push_landing_after_a_later_one_is_overwritten(self):
        listing = self._published()
        self.assertEqual(self._offer(listing)["availableQuantity"], 12)
        self.env["ir.config_parameter"].sudo().set_param(
            TIMEOUT_PARAM, str(TEST_TIMEOUT)
        )
        # The push of 0 stalls past the client's timeout; eBay applies it
        # 3 s later, after the next push was answered (31 s for a 30 s
        # timeout in production).
        self.emulator.fault(PUSH, "slow", delay=TEST_TIMEOUT + 3)
        self._set_stock(self.product, 0)
        self._run_job(self._jobs("_job_push_stock"))
        self.assertTrue(listing.push_pending)
        self.assertTrue(listing.push_unsettled_until, "the listing stays marked")
        self.assertIn("eBay may still apply it", listing.push_error)
        settle_key = f"ebay.stock.push.settle:{self.account.id}"
        settle = self._jobs("_job_push_stock").filtered(
            lambda j: j.identity_key == settle_key
        )
        self.assertEqual(settle.eta, listing.push_unsettled_until)
        # Stock comes back: 2 are pushed and answered at once.
        self._set_stock(self.product, 2)
        change = self._jobs("_job_push_stock").filtered(
            lambda j: (
                j.identity_key.startswith("ebay.stock.push.")
                and j.identity_key != settle_key
            )
        )
        self.assertEqual(len(change), 1)
        self._run_job(change)
        self.assertFalse(listing.push_pending)
        self.assertEqual(listing.pushed_quantity, 2)
        self.assertTrue(listing.push_unsettled_until, "still marked")
        # Then the stalled request lands: eBay shows 0 while Odoo wants 2.
        self._wait_for_call(PUSH, 200, count=2)
        self.assertEqual(self._offer(listing)["availableQuantity"], 0)
        self.assertLess(
            fields.Datetime.now(),
            listing.push_unsettled_until,
            "it landed inside the window",
        )
        # Once it can no longer land, Odoo's value is sent again.
        wait = (listing.push_unsettled_until - fields.Datetime.now()).total_seconds()
        time.sleep(max(0, wait) + 1)
        self._run_job(settle)
        self.assertEqual(self._offer(listing)["availableQuantity"], 2)
        self.assertFalse(listing.push_unsettled_until)
        self.assertFalse(listing.push_pending)
        # The try queued by the lost push finds nothing left to do.
        self.assertEqual(self._run_chain("_job_push_stock"), 1)
        self.assertEqual(self._offer(listing)["availableQuantity"], 2)

    @mute_logger(CLIENT_LOGGER)
    def test_lost_answer_is_settled_by_the_safety_cron_too(self):
        listing = self._published()
        # A short window (the drop is immediate): the test waits it out.
        # Three seconds, not one: the retry below must run inside it even on
        # a loaded machine.
        self.env["ir.config_parameter"].sudo().set_param(TIMEOUT_PARAM, "3")
        self.emulator.fault(PUSH, "drop")
        self._set_stock(self.product, 7)
        self._run_job(self._jobs("_job_push_stock"))
        self.assertTrue(listing.push_unsettled_until)
        # The next try pushes 7, inside the window: eBay and Odoo agree.
        retry = self._jobs("_job_push_stock").filtered(lambda j: j.kwargs)
        self._run_job(retry)
        self.assertEqual(listing.pushed_quantity, 7)
        self.assertTrue(listing.push_unsettled_until)
        # The push after the window was lost (an administrator deleted it).
        self._jobs("_job_push_stock").unlink()
        wait = (listing.push_unsettled_until - fields.Datetime.now()).total_seconds()
        time.sleep(max(0, wait) + 1)
        pushes = len(self.emulator.calls(path=PUSH))
        self.env["marketplace.account"]._cron_push_stock_safety()
        self.assertTrue(listing.push_pending, "the safety net marks it")
        self._run_chain("_job_push_stock")
        self.assertEqual(len(self.emulator.calls(path=PUSH)), pushes + 1)
        self.assertEqual(self._offer(listing)["availableQuantity"], 7)
        self.assertFalse(listing.push_unsettled_until)


@tagged("post_install", "-at_install")
class TestDriftRepair(RunnerMixin, StockPushCase):
    def _change_on_ebay(self, listing, quantity):
        self._api().bulk_update_price_quantity(
            [
                {
                    "sku": listing.sku,
                    "shipToLocationAvailability": {"quantity": quantity},
                    "offers": [
                        {
                            "offerId": listing.offer_id,
                            "availableQuantity": quantity,
                            "price": {"value": "19.90", "currency": "USD"},
                        }
                    ],
                }
            ]
        )

    def _settings(self, auto_repair):
        settings = self.env["res.config.settings"].create({})
        settings.marketplace_drift_auto_repair = auto_repair
        settings.execute()
        self.assertEqual(
            self.env["res.config.settings"].create({}).marketplace_drift_auto_repair,
            auto_repair,
            "the setting keeps its value",
        )

    def test_drift_without_pending_change_is_repaired_and_logged(self):
        listing = self._published()
        self._change_on_ebay(listing, 40)  # someone edited it on eBay's site
        self.account._job_reconcile()
        drift = self.account.drift_ids
        self.assertEqual((drift.field, drift.marketplace_value), ("quantity", 40))
        self.assertEqual(drift.state, "repairing")
        self.assertTrue(listing.push_pending)
        self.assertIn("automatic drift repair", listing.message_ids[0].body)
        self._run_chain("_job_push_stock")
        self.assertEqual(self._offer(listing)["availableQuantity"], 12)
        repair = self.env["marketplace.call"].search(
            [
                ("account_id", "=", self.account.id),
                ("operation", "=", "bulkUpdatePriceQuantity"),
            ],
            order="id desc",
            limit=1,
        )
        self.assertEqual(repair.state, "success", "the repair is in the call log")
        self.account._job_reconcile()
        self.assertEqual(drift.state, "resolved")

    def test_drift_waits_for_staff_when_automatic_repair_is_off(self):
        self._settings(False)
        listing = self._published()
        self._change_on_ebay(listing, 40)
        messages = listing.message_ids
        self.account._job_reconcile()
        self.assertEqual(self.account.drift_ids.state, "open")
        self.assertFalse(listing.push_pending)
        self.assertFalse(self._jobs("_job_push_stock"))
        self.assertEqual(listing.message_ids, messages)
        self._settings(True)
        self.account._job_reconcile()
        self.assertEqual(self.account.drift_ids.state, "repairing")

    def test_drift_a_pending_change_explains_is_left_to_it(self):
        listing = self._published()
        self._set_stock(self.product, 5)  # marked, its push not run yet
        self.account._job_reconcile()
        self.assertEqual(self.account.drift_ids.state, "open")
        self.assertNotIn("automatic drift repair", listing.message_ids[0].body)


@tagged("post_install", "-at_install")
class TestOneDeclaration(EbayCase):
    def _job_methods(self):
        """(model, method) of every @marketplace_job method in the registry."""
        found = set()
        for name in self.env.registry:
            cls = type(self.env[name])
            for attr in dir(cls):
                if not attr.startswith("_job_"):
                    continue
                if getattr(getattr(cls, attr, None), "is_marketplace_job", False):
                    found.add((name, attr))
        return found

    def test_every_marketplace_job_is_declared_in_data(self):
        jobs = self._job_methods()
        self.assertGreaterEqual(len(jobs), 9)
        Function = self.env["queue.job.function"]
        for model, method in jobs:
            function = Function.search(
                [("name", "=", Function.job_function_name(model, method))]
            )
            self.assertTrue(function, f"{model}.{method} has a job function")
            self.assertTrue(
                function.channel.startswith(("root.ebay.", "root.amazon.")),
                function.name,
            )
            self.assertGreater(function.marketplace_max_tries, 1, function.name)
            pattern = function._parse_retry_pattern()
            self.assertTrue(pattern, function.name)
            for value in pattern.values():
                self.assertIsInstance(value, tuple, f"{function.name}: jitter")

    def test_no_with_delay_overrides_channel_or_retries(self):
        for path in ADDON_DIR.rglob("*.py"):
            if "tests" in path.parts or "emulator" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "with_delay"
                ):
                    given = {k.arg for k in node.keywords}
                    self.assertFalse(
                        given & {"channel", "max_retries"},
                        f"{path.name}:{node.lineno} overrides data/",
                    )

    def test_edge_outside_a_job_is_refused(self):
        account = self._new_account()
        with self.assertRaisesRegex(RuntimeError, "@marketplace_job"):
            account._job_edge(record=account, operation="getUser")
