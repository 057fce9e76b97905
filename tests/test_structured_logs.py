import json

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.queue_job.tests.common import trap_jobs

from ..ebay import EbayAuthError, EbayError
from .ebay_common import EbayCase, OrderCase

ADDON_LOGGER = "odoo.addons.marketplace_connector"
CLIENT_LOGGER = ADDON_LOGGER + ".ebay.client"
AUTH_LOGGER = ADDON_LOGGER + ".ebay.auth"
GET_USER = "^/commerce/identity/v1/user/$"
GET_ORDERS = "^/sell/fulfillment/v1/order$"


def events(records, event):
    """The JSON payloads of the ``<event> {...}`` lines among log records."""
    found = []
    for record in records:
        message = record.getMessage()
        if message.startswith(event + " "):
            found.append((record, json.loads(message[len(event) + 1 :])))
    return found


class LogMixin:
    def _secrets(self, account):
        """Every secret value stored for the account (tokens, client secret)."""
        tokens = (
            self.env["marketplace.secret"]
            .sudo()
            .search([("account_id", "=", account.id)])
        )
        values = [
            self.env["marketplace.secret"]._read_secret(account, t.kind)[0]
            for t in tokens
        ]
        return [v for v in values if v] + [self.client_secret]

    def _assert_nothing_secret(self, records, account, also=()):
        texts = [r.getMessage() for r in records]
        secrets = self._secrets(account)
        self.assertTrue(secrets)
        for text in texts:
            for value in [*secrets, *also]:
                self.assertNotIn(value, text)
            self.assertNotIn("Bearer", text)
            self.assertNotIn("?", text, "no query string in a log line")


@tagged("post_install", "-at_install")
class TestStructuredLogs(LogMixin, EbayCase):
    def setUp(self):
        super().setUp()
        self.account = self._connect(self._new_account())
        self.emulator._call("DELETE", "calls")
        self.first_new = self.env["marketplace.call"].search([], limit=1).id + 1

    def test_call_line_carries_the_request_id_ebay_received(self):
        with self.assertLogs(ADDON_LOGGER, "DEBUG") as logs:
            self.account.action_ebay_test_connection()
        lines = events(logs.records, "ebay_call")
        self.assertEqual(len(lines), 1, [r.getMessage() for r in logs.records])
        record, line = lines[0]
        self.assertEqual(record.name, CLIENT_LOGGER)
        self.assertEqual(record.levelname, "INFO")
        received = self.emulator.calls(path=GET_USER)
        self.assertEqual(len(received), 1)
        self.assertEqual(line["request_id"], received[0]["request_id"])
        self.assertEqual(line["operation"], "getUser")
        self.assertEqual(
            (line["method"], line["path"], line["status"]),
            ("GET", "/commerce/identity/v1/user/", 200),
        )
        self.assertEqual((line["account"], line["attempt"]), (self.account.id, 1))
        self.assertEqual(line["error_ids"], [])
        self.assertIsInstance(line["duration_ms"], int)
        self._assert_nothing_secret(logs.records, self.account, ["emulator_seller"])
        # ...and the same call is in the publish-attempt log with its id.
        attempt = self.env["marketplace.call"].search(
            [("request_id", "=", line["request_id"])]
        )
        self.assertEqual(
            (attempt.operation, attempt.state, attempt.account_id),
            ("getUser", "success", self.account),
        )

    def test_failed_calls_are_warnings(self):
        self.emulator.fault(GET_USER, "503", times=1)
        self.emulator.fault(GET_USER, "drop", times=1)
        Attempt = self.env["marketplace.call"]
        for status in (503, 0):
            # Not assertRaises: Odoo's rolls back to a savepoint, and the
            # attempt row must be looked at.
            with self.assertLogs(CLIENT_LOGGER, "INFO") as logs:
                try:
                    self.account._ebay_client().get_user()
                except EbayError:
                    pass
                else:
                    self.fail("the fault must fail the call")
            [(record, line)] = events(logs.records, "ebay_call")
            self.assertEqual(record.levelname, "WARNING")
            self.assertEqual(line["status"], status)
            self.assertEqual(line["account"], self.account.id)
            self._assert_nothing_secret(logs.records, self.account)
            attempt = Attempt.search([("request_id", "=", line["request_id"])])
            self.assertEqual((attempt.state, attempt.http_status), ("failed", status))
        self.assertEqual(
            len(self.emulator.calls(path=GET_USER)), 2, "both calls reached eBay"
        )

    def test_token_call_logged_without_secrets(self):
        with self.assertLogs(ADDON_LOGGER, "DEBUG") as logs:
            self.account._get_user_access_token(force_refresh=True)
        [(record, line)] = events(logs.records, "ebay_token_call")
        self.assertEqual(record.name, AUTH_LOGGER)
        self.assertEqual(record.levelname, "INFO")
        [received] = self.emulator.token_calls("refresh_token")
        self.assertEqual(line["request_id"], received["request_id"])
        self.assertEqual(
            (line["operation"], line["status"], line["account"]),
            ("oauthToken:refresh_token", 200, self.account.id),
        )
        self._assert_nothing_secret(logs.records, self.account)
        # The refresh commits its own transaction: so does its attempt row.
        attempt = self.env["marketplace.call"].search(
            [("request_id", "=", line["request_id"])]
        )
        self.assertEqual(attempt.operation, "oauthToken:refresh_token")

    def test_refused_refresh_is_a_warning_with_the_oauth_code_only(self):
        self.emulator.revoke()
        with self.assertLogs(ADDON_LOGGER, "DEBUG") as logs:
            try:
                self.account._get_user_access_token(force_refresh=True)
            except EbayAuthError:
                pass
            else:
                self.fail("a revoked refresh token must raise")
        [(record, line)] = events(logs.records, "ebay_token_call")
        self.assertEqual(record.levelname, "WARNING")
        self.assertEqual(line["oauth_error"], "invalid_grant")
        self.assertEqual(line["status"], 400)
        self._assert_nothing_secret(logs.records, self.account)
        self.assertEqual(self.account.state, "reauth")

    def test_setup_calls_are_attempts(self):
        self.account.action_opt_in_business_policies()
        self.account.action_sync_policies()
        received = self.emulator.calls()
        attempts = self.env["marketplace.call"].search([("id", ">=", self.first_new)])
        self.assertTrue(self.emulator.calls(path="^/sell/account/"))
        self.assertEqual(
            sorted(attempts.mapped("request_id")),
            sorted(c["request_id"] for c in received),
        )


@tagged("post_install", "-at_install")
class TestOrderCallsLogged(LogMixin, OrderCase):
    def _attempts(self, operation):
        return self.env["marketplace.call"].search(
            [("account_id", "=", self.account.id), ("operation", "=", operation)]
        )

    def test_poll_is_logged_without_buyer_data(self):
        self._buy([{"sku": "MUG-1", "quantity": 1}])
        with self.assertLogs(ADDON_LOGGER, "DEBUG") as logs:
            self._poll()
        order = self._orders()
        self.assertEqual(order.state, "imported")
        [received] = self.emulator.calls(path=GET_ORDERS)
        lines = [line for _r, line in events(logs.records, "ebay_call")]
        self.assertEqual(
            [line["request_id"] for line in lines], [received["request_id"]]
        )
        self.assertEqual(lines[0]["path"], "/sell/fulfillment/v1/order")
        self.assertEqual(self._attempts("getOrders").request_id, received["request_id"])
        buyer = ["jo_buyer", "Alex Buyer", "alex.buyer@example.com", "Hamilton"]
        self._assert_nothing_secret(logs.records, self.account, buyer)
        for attempt in self.env["marketplace.call"].search([]):
            for value in buyer:
                self.assertNotIn(value, attempt.message or "")

    @mute_logger(CLIENT_LOGGER)
    def test_transient_poll_failure_is_recorded_and_retried(self):
        self._buy([{"sku": "MUG-1", "quantity": 1}])
        self.emulator.fault(GET_ORDERS, "503", times=1)
        with trap_jobs() as trap:
            result = self._poll()
        self.assertIn("Try 2 of", result)
        self.assertTrue(self.account.order_poll_error)
        self.assertFalse(self.account.last_order_poll, "no successful poll yet")
        failed = self._attempts("getOrders")
        self.assertEqual((failed.state, failed.http_status), ("failed", 503))
        trap.assert_jobs_count(1, only=self.account._job_poll_orders)
        trap.perform_enqueued_jobs()
        self.assertFalse(self.account.order_poll_error)
        self.assertTrue(self.account.last_order_poll)
        self.assertEqual(self._orders().state, "imported")

    def test_refresh_and_notification_calls_are_attempts(self):
        data = self._buy([{"sku": "MUG-1", "quantity": 1}])
        self._poll()
        self._orders().action_refresh_from_marketplace()
        notification = self.env["marketplace.notification"]._store_once(
            self.account,
            "n-logs-1",
            "ORDER_CONFIRMATION",
            fields.Datetime.to_datetime("2026-01-01 00:00:00"),
            {"orderId": data["orderId"]},
        )
        notification._job_process()
        self.assertEqual(notification.state, "done")
        received = self.emulator.calls(path="^/sell/fulfillment/v1/order/")
        self.assertEqual(len(received), 2)
        self.assertEqual(
            sorted(self._attempts("getOrder").mapped("request_id")),
            sorted(c["request_id"] for c in received),
        )

    def test_listing_calls_are_recorded_once(self):
        """Callers with their own on_call keep it: no duplicate attempt rows."""
        self.emulator._call("DELETE", "calls")
        Attempt = self.env["marketplace.call"]
        before = Attempt.search_count([])
        listing = self._listing(self._product("CUP-1", "Cup", 3))
        listing.action_publish()
        self._run(listing)
        # Every call eBay received (token calls included) is one attempt row.
        received = self.emulator.calls()
        self.assertTrue(received)
        self.assertEqual(Attempt.search_count([]) - before, len(received))
        received = self.emulator.calls(path="^/sell/inventory/")
        self.assertEqual(
            set(listing.call_ids.mapped("request_id")),
            {c["request_id"] for c in received},
        )

    def test_tracking_call_is_an_attempt(self):
        self._buy([{"sku": "MUG-1", "quantity": 1}])
        self._poll()
        picking = self._orders().sale_order_id.picking_ids
        picking.carrier_id = self._usps_carrier()
        picking.carrier_tracking_ref = "TRACK-LOG-1"
        picking.move_ids.write({"quantity": 1, "picked": True})
        with trap_jobs():
            picking.with_context(skip_backorder=True)._action_done()
        picking._job_send_tracking()
        self.assertEqual(picking.marketplace_tracking_state, "sent")
        [received] = self.emulator.calls(path="shipping_fulfillment$", method="POST")
        attempt = self._attempts("createShippingFulfillment")
        self.assertEqual(attempt.request_id, received["request_id"])
        self.assertEqual(attempt.state, "success")
