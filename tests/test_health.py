from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..models.ebay.ebay_listing import REVISIONS_PER_DAY
from .common import ACCOUNT_LOGGER, ago, set_setting
from .ebay_common import (
    AUTH_LOGGER,
    CLIENT_LOGGER,
    GET_ORDERS,
    PUSH,
    EbayAccountMixin,
    EbayEmulatorMixin,
    StockPushCase,
    revoke_and_poll,
)


@tagged("post_install", "-at_install")
class TestHealthReport(StockPushCase):
    """_health_report() against accounts and listings driven for real."""

    def _report(self, account=None):
        [report] = (account or self.account)._health_report()
        return report

    def test_healthy_account_report_shape(self):
        self.account.connected_since = ago(minutes=5)
        report = self._report()
        self.assertEqual(report["account"], self.account)
        self.assertTrue(report["healthy"])
        self.assertEqual(
            report["tokens"],
            {
                "status": "ok",
                "refresh_expires_at": self.account.refresh_token_expires_at,
            },
        )
        self.assertGreater(report["tokens"]["refresh_expires_at"], ago(days=-300))
        self.assertEqual(
            report["order_import"],
            {"status": "ok", "last_poll": False, "error": False},
            "connected minutes ago: the first poll is not due yet",
        )
        self.assertEqual(
            report["stock_push"], {"status": "ok", "waiting": 0, "oldest_wait": False}
        )

    @mute_logger(AUTH_LOGGER, ACCOUNT_LOGGER, CLIENT_LOGGER)
    def test_token_statuses(self):
        set_setting(self.env, "token_warning_days", 600)  # the consent lasts 18 months
        self.assertEqual(self._report()["tokens"]["status"], "expiring")
        self.assertTrue(self._report()["healthy"], "a warning, not an outage")
        set_setting(self.env, "token_warning_days", 14)
        self.assertEqual(self._report()["tokens"]["status"], "ok")
        # The seller withdraws the consent on eBay; the next job learns it.
        revoke_and_poll(self, self.account)
        report = self._report()
        self.assertEqual(report["tokens"]["status"], "revoked")
        self.assertFalse(report["healthy"])
        self.account.action_disconnect()
        self.assertEqual(self._report()["tokens"]["status"], "disconnected")

    @mute_logger(CLIENT_LOGGER)
    def test_order_import_statuses(self):
        self.account.connected_since = ago(hours=3)
        report = self._report()
        self.assertEqual(report["order_import"]["status"], "never")
        self.assertFalse(report["healthy"])
        self.account._job_poll_orders()
        report = self._report()
        self.assertEqual(report["order_import"]["status"], "ok")
        last_poll = report["order_import"]["last_poll"]
        self.assertTrue(last_poll)
        self.emulator.fault(GET_ORDERS, "503", times=1)
        self.account._job_poll_orders()
        report = self._report()
        # One failed poll, retried already: reported, but not an outage.
        self.assertEqual(report["order_import"]["status"], "ok")
        self.assertIn("30500", report["order_import"]["error"])
        self.assertEqual(
            report["order_import"]["last_poll"], last_poll, "last *successful* poll"
        )
        # Still failing past the threshold: now it is.
        self.account.last_order_poll = ago(minutes=61)
        report = self._report()
        self.assertEqual(report["order_import"]["status"], "failing")
        self.assertFalse(report["healthy"])

        self.account._job_poll_orders()
        self.assertEqual(self._report()["order_import"]["status"], "ok")
        self.account.last_order_poll = ago(minutes=61)
        self.assertEqual(self._report()["order_import"]["status"], "late")
        set_setting(self.env, "order_late_minutes", 120)
        self.assertEqual(self._report()["order_import"]["status"], "ok")

    @mute_logger(CLIENT_LOGGER)
    def test_stock_push_statuses_and_marking_date(self):
        self.account.connected_since = ago(minutes=5)
        listing = self._published()
        self.assertFalse(listing.push_marked_at)
        self._set_stock(self.product, 7)
        self.assertTrue(listing.push_pending)
        marked = listing.push_marked_at
        self.assertTrue(marked)
        report = self._report()["stock_push"]
        self.assertEqual(report, {"status": "ok", "waiting": 1, "oldest_wait": marked})
        # Waiting longer than stock_late_minutes: late.  Marking it again
        # while pending does not move the date forward.
        waiting_since = ago(minutes=45).replace(microsecond=0)
        listing.push_marked_at = waiting_since
        self._set_stock(self.product, 6)
        self.assertTrue(listing.push_pending)
        self.assertEqual(listing.push_marked_at, waiting_since)
        self.assertEqual(self._report()["stock_push"]["status"], "late")
        self.assertFalse(self._report()["healthy"])
        # eBay fails the push: failing, still waiting.
        self.emulator.fault(PUSH, "503", times=1)
        self._perform_pushes()
        report = self._report()["stock_push"]
        self.assertTrue(listing.push_error)
        self.assertEqual((report["status"], report["waiting"]), ("failing", 1))
        # Pushed: nothing waits, the date is cleared.
        self._perform_pushes()
        self.assertFalse(listing.push_pending)
        self.assertFalse(listing.push_marked_at)
        self.assertEqual(
            self._report()["stock_push"],
            {"status": "ok", "waiting": 0, "oldest_wait": False},
        )

    def test_update_deferred_by_the_revision_budget_is_not_an_outage(self):
        listing = self._published()
        listing.write(
            {
                "revision_day": fields.Date.context_today(listing),
                "revisions_today": REVISIONS_PER_DAY - 5,  # below the reserve
            }
        )
        self.product.lst_price = 25
        listing.push_marked_at = ago(hours=2)
        self._perform_pushes()
        self.assertTrue(listing.push_pending and listing.push_deferred)
        self.assertIn("waits for tomorrow", listing.push_error)
        report = self._report()
        self.assertEqual(report["stock_push"]["status"], "ok", "waiting by design")
        self.assertTrue(report["healthy"])


@tagged("post_install", "-at_install")
class TestHealthUrl(EbayAccountMixin, EbayEmulatorMixin, HttpCase):
    NAME = "Kestrel Vintage Shop"

    def setUp(self):
        super().setUp()
        self.env = self.env(context=dict(self.env.context, tracking_disable=True))
        # Other tests' or demo accounts must not change the verdict.
        self.env["marketplace.account"].search([]).write({"active": False})
        self.account = self._connect(self._new_account(name=self.NAME))
        self.account.connected_since = ago(minutes=5)

    def _get(self):
        self.env.flush_all()
        response = self.url_open("/marketplace/health", allow_redirects=False)
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        self.assertTrue(response.headers["Content-Type"].startswith("application/json"))
        return response

    def _secrets(self):
        tokens = (
            self.env["marketplace.secret"]
            .sudo()
            .search([("account_id", "=", self.account.id)])
        )
        values = [
            self.env["marketplace.secret"]._read_secret(self.account, t.kind)[0]
            for t in tokens
        ]
        return [v for v in values if v] + [self.client_secret]

    def _assert_anonymous_view(self, response):
        """The overall status only: no account, name, status per area."""
        raw = response.text
        self.assertNotIn("emulator_seller", raw)
        self.assertNotIn(self.account.ebay_user_id, raw)
        self.assertNotIn(self.NAME, raw)
        for secret in self._secrets():
            self.assertNotIn(secret, raw)
        self.assertEqual(set(response.json()), {"status"})

    def test_anonymous_sees_the_overall_status_only(self):
        response = self._get()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok"})
        self._assert_anonymous_view(response)

    def test_the_former_names_setting_discloses_nothing(self):
        # "Health check names accounts" is gone: a database that still has
        # the parameter set shows anonymous callers no more than others.
        set_setting(self.env, "health_show_names", "True")
        response = self._get()
        self.assertEqual(response.json(), {"status": "ok"})
        self._assert_anonymous_view(response)

    def test_user_who_is_not_manager_gets_the_anonymous_view(self):
        new_test_user(
            self.env,
            login="ebay_clerk",
            groups="base.group_user,marketplace_connector.group_marketplace_user",
        )
        self.authenticate("ebay_clerk", "ebay_clerk")
        response = self._get()
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(self.NAME, response.text)
        self._assert_anonymous_view(response)

    @mute_logger(CLIENT_LOGGER)
    def test_manager_sees_names_and_details(self):
        self.account._job_poll_orders()
        # Two hours later (the last good poll moved back), eBay fails the poll.
        self.account.last_order_poll = ago(hours=2)
        self.emulator.fault(GET_ORDERS, "503", times=1)
        self.account._job_poll_orders()
        self.assertEqual(
            [c["status"] for c in self.emulator.calls(path=GET_ORDERS)], [200, 503]
        )
        self.authenticate("admin", "admin")

        response = self._get()
        self.assertEqual(response.status_code, 503)
        [entry] = response.json()["accounts"]
        self.assertEqual(
            (entry["account"], entry["name"], entry["healthy"]),
            (self.account.id, self.NAME, False),
        )
        self.assertEqual(entry["order_import"], "failing")
        details = entry["details"]
        # What the poll made of eBay's answer: its error id, for the manager.
        self.assertIn("eBay error 30500", details["order_error"])
        self.assertEqual(details["order_error"], self.account.order_poll_error)
        self.assertEqual(
            details["refresh_expires_at"],
            self.account.refresh_token_expires_at.isoformat() + "Z",
        )
        self.assertEqual(
            details["last_poll"], self.account.last_order_poll.isoformat() + "Z"
        )
        self.assertEqual((details["waiting"], details["oldest_wait"]), (0, None))
        for secret in self._secrets():
            self.assertNotIn(secret, response.text)

    @mute_logger(AUTH_LOGGER, ACCOUNT_LOGGER, CLIENT_LOGGER)
    def test_revoked_account_answers_503(self):
        self.assertEqual(self._get().status_code, 200)
        revoke_and_poll(self, self.account)
        response = self._get()
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json(), {"status": "degraded"})
        self._assert_anonymous_view(response)
        self.authenticate("admin", "admin")
        [entry] = self._get().json()["accounts"]
        self.assertEqual(entry["tokens"], "revoked")

    def test_late_order_import_answers_503_until_a_poll_succeeds(self):
        self.account.last_order_poll = ago(hours=2)
        self.authenticate("admin", "admin")  # a manager sees why
        response = self._get()
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["accounts"][0]["order_import"], "late")
        self.account._job_poll_orders()
        self.assertEqual(self._get().status_code, 200)

    def test_accounts_switched_off_are_not_watched(self):
        self.account.action_disconnect()
        response = self._get()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok"})
