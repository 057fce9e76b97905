"""The LWA client secret's 180 days: the account keeps the day the secret was
set, and the daily cron alerts its managers 30 days before the end."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .amazon_common import AmazonCase

CRON = "marketplace_connector.ir_cron_amazon_check_client_secrets"


@tagged("post_install", "-at_install")
class TestAmazonSecretRotation(AmazonCase):
    def _set_days_ago(self, days):
        """The secret was entered ``days`` ago (time passing, not a state)."""
        self.account._write_system(
            {
                "amazon_client_secret_rotated_on": fields.Date.context_today(
                    self.account
                )
                - timedelta(days=days)
            }
        )

    def _run_cron(self):
        self.env.ref(CRON).sudo().method_direct_trigger()
        self.env.invalidate_all()

    def _alert(self):
        return self.env["marketplace.alert"].search(
            [
                ("account_id", "=", self.account.id),
                ("cause", "=", "amazon_client_secret_expiring"),
            ]
        )

    def test_storing_the_secret_starts_the_clock(self):
        today = fields.Date.context_today(self.account)
        self.assertEqual(self.account.amazon_client_secret_rotated_on, today)
        self.assertEqual(
            self.account.amazon_client_secret_expires_on, today + timedelta(days=180)
        )
        secret = (
            self.env["marketplace.secret"]
            .sudo()
            .search(
                [("account_id", "=", self.account.id), ("kind", "=", "client_secret")]
            )
        )
        self.assertEqual(secret.expires_at.date(), today + timedelta(days=180))

    def test_no_alert_before_the_last_30_days(self):
        self._set_days_ago(149)  # 31 days left
        self._run_cron()
        self.assertFalse(self._alert())

    def test_managers_are_alerted_30_days_before_the_end(self):
        self._set_days_ago(150)  # 30 days left
        self._run_cron()
        alert = self._alert()
        self.assertEqual(alert.state, "open")
        self.assertIn("30 day(s) left", alert.note)
        managers = self.account._alert_managers()
        self.assertTrue(managers)
        self.assertEqual(alert.activity_ids.user_id, managers)
        # Daily, but one alert per cause.
        self._run_cron()
        self.assertEqual(len(self._alert()), 1)
        # A new secret (typed in the wizard) clears it and restarts the clock.
        wizard = self._wizard(method="secret")
        new_secret = self.client_secret[::-1]
        self.emulator.add_app(
            self.CLIENT_ID, new_secret, self.APPLICATION_ID, self._callback_url()
        )
        wizard.client_secret = new_secret
        wizard.action_connect()
        self.assertEqual(alert.state, "cleared")
        self.assertEqual(
            self.account.amazon_client_secret_rotated_on,
            fields.Date.context_today(self.account),
        )
        self._run_cron()
        self.assertEqual(self._alert().mapped("state"), ["cleared"])

    def test_an_expired_secret_is_still_alerted_with_no_day_left(self):
        self._set_days_ago(200)
        self._run_cron()
        self.assertIn("0 day(s) left", self._alert().note)
