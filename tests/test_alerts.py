from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import ACCOUNT_LOGGER, ago, set_setting
from .ebay_common import (
    AUTH_LOGGER,
    CLIENT_LOGGER,
    GET_ORDERS,
    StockPushCase,
    revoke_and_poll,
)

ACTIVITY_TYPE = "marketplace_connector.mail_activity_type_marketplace_attention"


@tagged("post_install", "-at_install")
class TestAlerts(StockPushCase):
    def setUp(self):
        super().setUp()
        self.manager = self.env["res.users"].create(
            {
                "name": "Shop manager",
                "login": "shop_manager_alerts",
                "email": "manager@example.com",
                "groups_id": [
                    fields.Command.link(
                        self.env.ref(
                            "marketplace_connector.group_marketplace_manager"
                        ).id
                    )
                ],
            }
        )
        self.managers = self.account._alert_managers()
        self.assertIn(self.manager, self.managers)

    # -- helpers --------------------------------------------------------------------
    def _alerts(self, cause, state=None):
        domain = [("account_id", "=", self.account.id), ("cause", "=", cause)]
        if state:
            domain.append(("state", "=", state))
        return self.env["marketplace.alert"].search(domain)

    def _open_activities(self):
        activity_type = self.env.ref(ACTIVITY_TYPE)
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "marketplace.account"),
                ("res_id", "=", self.account.id),
                ("activity_type_id", "=", activity_type.id),
            ]
        )

    def _assert_fired_once(self, cause, messages_before):
        alert = self._alerts(cause)
        self.assertEqual(len(alert), 1, "one alert per cause")
        self.assertEqual(alert.state, "open")
        self.account.invalidate_recordset(["alert_count"])
        self.assertEqual(self.account.alert_count, 1)

        self.assertEqual(alert.activity_ids.user_id, self.managers)
        self.assertEqual(
            len(self._open_activities().filtered(lambda a: a in alert.activity_ids)),
            len(self.managers),
            "one activity per manager",
        )
        new = self.account.message_ids.filtered(
            lambda m: m.id not in messages_before.ids and alert.name in (m.body or "")
        )
        self.assertEqual(len(new), 1, "one chatter message")
        self.assertEqual(new.partner_ids, self.managers.partner_id)
        return alert

    def _assert_cleared(self, alert):
        self.assertEqual(alert.state, "cleared")
        self.assertTrue(alert.cleared_at)
        self.assertFalse(
            self._open_activities() & alert.activity_ids, "activities marked done"
        )
        self.assertIn(
            "Cleared", " ".join(self.account.message_ids.mapped("body")) or ""
        )

    # -- causes --------------------------------------------------------------------
    def test_listing_that_keeps_failing_alerts_once_and_clears(self):
        listing = self._listing()
        good_policy = self.account.ebay_fulfillment_policy_id.policy_id
        self.account.ebay_fulfillment_policy_id.policy_id = "999999"
        before = self.account.message_ids
        listing.action_publish()
        for run in range(1, 5):
            self._run(listing)
            self.assertEqual(listing.state, "error")
            expected = 0 if run < 3 else 1  # setting: alert after 3 in a row
            self.assertEqual(len(self._alerts("listing_failing")), expected)
            listing.action_requeue()
        alert = self._assert_fired_once("listing_failing", before)
        self.assertEqual((alert.res_model, alert.res_id), ("ebay.listing", listing.id))
        self.assertIn(listing.sku, alert.name)
        self.assertIn("25007", alert.note)
        # Fixed: the next run publishes, the alert clears by itself.
        self.account.ebay_fulfillment_policy_id.policy_id = good_policy
        self._run(listing)
        self.assertEqual(listing.state, "published", listing.last_error)
        self._assert_cleared(alert)
        # Failing again later is a new alert, counted from zero.
        self.assertEqual(len(self._alerts("listing_failing", "open")), 0)

    def test_ignoring_the_letter_clears_the_listing_alert(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_connector.listing_failure_alert_count", "1"
        )
        listing = self._listing()
        self.account.ebay_fulfillment_policy_id.policy_id = "999999"
        listing.action_publish()
        self._run(listing)
        alert = self._alerts("listing_failing", "open")
        self.assertEqual(len(alert), 1)
        letter = self.env["marketplace.dead.letter"].search(
            [("res_model", "=", "ebay.listing"), ("res_id", "=", listing.id)]
        )
        letter.action_ignore()
        self._assert_cleared(alert)
        self.assertIn("ignored by", alert.clear_reason)

    @mute_logger(CLIENT_LOGGER, AUTH_LOGGER, ACCOUNT_LOGGER)
    def test_revoked_authorisation_alerts_once_and_clears_on_reconnect(self):
        listing = self._published()
        before = self.account.message_ids
        # eBay refuses the refresh token: the poll that meets it raises it.
        revoke_and_poll(self, self.account)
        calls = len(self.emulator.calls())
        # Every later cron and job meets the same cause: still one alert, and
        # nothing more reaches eBay.
        with trap_jobs() as trap:
            self.env["marketplace.account"]._cron_poll_orders()
        self.assertFalse(
            [j for j in trap.enqueued_jobs if j.recordset == self.account],
            "no poll for an account that needs re-authorisation",
        )
        self._set_stock(self.product, 5)
        self.assertTrue(self._perform_pushes())
        self.assertIn("connect it again", listing.push_error)
        self.env["marketplace.account"]._cron_check_alerts()
        self.env["marketplace.account"]._cron_check_alerts()
        self.assertEqual(len(self.emulator.calls()), calls, "nothing sent to eBay")
        alert = self._assert_fired_once("token_revoked", before)
        self.assertEqual(self.account.state, "reauth")
        # No token text in what managers read.
        refresh = self.env["marketplace.secret"]._read_secret(
            self.account, "user_refresh"
        )[0]
        self.assertNotIn(
            refresh, alert.note + " ".join(alert.activity_ids.mapped("note"))
        )
        self._connect(self.account)

        self.assertEqual(self.account.state, "connected")
        self._assert_cleared(alert)

    def test_drift_alerts_once_and_clears_when_repaired(self):
        # Drift that waits for staff (repaired automatically, it needs no alert).
        set_setting(self.env, "drift_auto_repair", "0")
        listing = self._published()
        self._api().bulk_update_price_quantity(
            [
                {
                    "sku": listing.sku,
                    "shipToLocationAvailability": {"quantity": 3},
                    "offers": [{"offerId": listing.offer_id, "availableQuantity": 3}],
                }
            ]
        )
        before = self.account.message_ids
        self.account._job_reconcile()
        self.account._job_reconcile()
        alert = self._assert_fired_once("drift_found", before)
        self.assertIn("1 value(s) on eBay", alert.note)
        self.account.drift_ids.action_repair()
        self._perform_pushes()
        self.account._job_reconcile()
        self._assert_cleared(alert)

    def test_consent_about_to_expire_alerts_once_and_clears(self):
        set_setting(self.env, "token_warning_days", 600)  # the consent lasts 18 months
        before = self.account.message_ids
        self.account._check_alerts()
        self.account._check_alerts()
        alert = self._assert_fired_once("token_expiring", before)
        expires = self.account.refresh_token_expires_at
        self.assertIn(fields.Datetime.to_string(expires), alert.note)
        set_setting(self.env, "token_warning_days", 14)
        self.account._check_alerts()
        self._assert_cleared(alert)

    @mute_logger(CLIENT_LOGGER)
    def test_late_order_import_alerts_once_and_clears(self):
        self.account.connected_since = ago(hours=3)
        self.account._job_poll_orders()
        # One failed poll is not late yet: the next one may succeed.
        self.emulator.fault(GET_ORDERS, "503", times=1)
        self.account._job_poll_orders()
        self.account._check_alerts()
        self.assertFalse(self._alerts("order_import_late"))
        # Still failing an hour later: that is late.
        self.account.last_order_poll = ago(minutes=61)
        before = self.account.message_ids
        self.account._check_alerts()
        self.account._check_alerts()
        alert = self._assert_fired_once("order_import_late", before)
        self.assertIn("30500", alert.note)
        self.account._job_poll_orders()
        self.account._check_alerts()
        self._assert_cleared(alert)

    def test_deleting_a_failing_listing_clears_its_letter_and_alert(self):
        set_setting(self.env, "listing_failure_alert_count", 1)
        listing = self._listing()
        self.account.ebay_fulfillment_policy_id.policy_id = "999999"
        listing.action_publish()
        self._run(listing)
        alert = self._alerts("listing_failing", "open")
        letter = self.env["marketplace.dead.letter"].search(
            [("res_model", "=", "ebay.listing"), ("res_id", "=", listing.id)]
        )
        self.assertEqual((len(alert), letter.state), (1, "open"))
        listing.unlink()
        self.assertEqual(letter.state, "resolved")
        self._assert_cleared(alert)
        self.assertIn("deleted", alert.clear_reason)
