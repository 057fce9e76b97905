"""Amazon's own areas of the cockpit: the SQS queue of its notifications and
the LWA client secret, in the health report, on the dashboard card and as
alerts in the seller's words.

The SQS poll job (its notifications set up through the real flow on moto's
queue) records when it last received from the queue and how many messages
were still waiting then; time passes by moving that moment back, as the
order tests move the last order poll back.
"""

import json
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .amazon_common import AmazonCase
from .amazon_sqs_common import NOTIFICATION_LOGGER, AmazonSqsMixin
from .common import PARAM_PREFIX, ago, set_setting

CAUSE = "amazon_sqs_not_draining"


class CockpitMixin:
    def setUp(self):
        super().setUp()
        self.account.connected_since = ago(days=2)

    def _alert(self, state=None):
        domain = [("account_id", "=", self.account.id), ("cause", "=", CAUSE)]
        if state:
            domain.append(("state", "=", state))
        return self.env["marketplace.alert"].search(domain)

    def _area(self, name):
        [report] = self.account._health_report()
        return report["areas"].get(name), report

    def _card(self):
        self.account.invalidate_recordset()
        return self.account.read(
            ["amazon_dashboard_sqs_status", "amazon_dashboard_secret_warning"]
        )[0]


@tagged("post_install", "-at_install")
class TestAmazonCockpit(CockpitMixin, AmazonCase):
    def test_no_notifications_set_up_no_area_no_alert(self):
        self.assertFalse(self.account.amazon_order_subscription_id)
        area, _report = self._area("notifications")
        self.assertIsNone(area)
        self.assertEqual(self._card()["amazon_dashboard_sqs_status"], "off")
        self.account._check_alerts()
        self.assertFalse(self._alert())

    # -- LWA client secret -----------------------------------------------------------
    def test_client_secret_rotation_shows_in_the_report_and_the_card(self):
        # Connected minutes ago: the first order poll is not due yet, so only
        # the secret can make the account unhealthy here.
        self.account.connected_since = ago(minutes=5)
        area, report = self._area("client_secret")
        self.assertTrue(report["healthy"])
        expires = self.account.amazon_client_secret_expires_on
        self.assertEqual(area, {"status": "ok", "healthy": True, "expires_on": expires})
        self.assertFalse(self._card()["amazon_dashboard_secret_warning"])
        today = fields.Date.context_today(self.account)
        # Set 160 days ago: 20 days left, a warning, still healthy.
        self.account._write_system(
            {"amazon_client_secret_rotated_on": today - timedelta(days=160)}
        )
        area, report = self._area("client_secret")
        self.assertEqual((area["status"], area["healthy"]), ("expiring", True))
        self.assertTrue(report["healthy"])
        self.assertTrue(self._card()["amazon_dashboard_secret_warning"])
        # Past the 180 days: Amazon refuses it, the account is unhealthy.
        self.account._write_system(
            {"amazon_client_secret_rotated_on": today - timedelta(days=181)}
        )
        area, report = self._area("client_secret")
        self.assertEqual((area["status"], area["healthy"]), ("expired", False))
        self.assertFalse(report["healthy"])


@tagged("post_install", "-at_install")
class TestAmazonCockpitSqs(CockpitMixin, AmazonSqsMixin, AmazonCase):
    """The account's notifications set up (AmazonSqsMixin) on a moto queue."""

    def _send_foreign(self, count):
        """Messages that are not Amazon's: the poll sets them aside (and
        deletes them), which drains the queue as well as any message."""
        for number in range(count):
            body = json.dumps({"not": "an Amazon notification", "n": number})
            self.assertTrue(self.emulator.sqs_send_raw(self.queue_arn, body))

    def _moved_back(self, minutes):
        """The last successful receive was ``minutes`` ago."""
        self.account._write_system({"amazon_sqs_last_poll": ago(minutes=minutes)})

    def test_set_up_but_never_received_from(self):
        self.assertTrue(self.account.amazon_order_subscription_id)
        self.assertFalse(self.account.amazon_sqs_last_poll)
        # Connected two days ago, and no receive yet.
        self.assertEqual(self._area("notifications")[0]["status"], "never")
        self.account._check_alerts()
        self.assertIn("(last: never)", self._alert("open").note)
        self._poll_sqs()
        self.account._check_alerts()
        self.assertEqual(self._alert().state, "cleared")

    def test_queue_not_received_from_alerts_once_and_clears(self):
        self._poll_sqs()
        area, report = self._area("notifications")
        self.assertEqual(
            area,
            {
                "status": "ok",
                "healthy": True,
                "last_receive": self.account.amazon_sqs_last_poll,
                "backlog": 0,
            },
        )
        self.account._check_alerts()
        self.assertFalse(self._alert())
        # 31 minutes without a successful receive (the default threshold: 30).
        self._moved_back(31)
        area, report = self._area("notifications")
        self.assertEqual(area["status"], "late")
        self.assertFalse(report["healthy"])
        self.assertEqual(self._card()["amazon_dashboard_sqs_status"], "late")
        self.account._check_alerts()
        self.account._check_alerts()
        alert = self._alert()
        self.assertEqual(len(alert), 1, "one alert per cause")
        self.assertEqual(alert.state, "open")
        self.assertEqual(
            alert.name,
            "Amazon notifications of Amazon test seller are not getting through",
        )
        # What happened, what it means, what to do.
        self.assertIn("for more than 30 minutes", alert.note)
        self.assertIn("only by the slower order import", alert.note)
        self.assertIn("Check that the job queue runs", alert.note)
        self.assertEqual(alert.activity_ids.user_id, self.account._alert_managers())
        # The next successful receive clears it.
        self._poll_sqs()
        self.account._check_alerts()
        self.assertEqual(alert.state, "cleared")
        self.assertEqual(alert.clear_reason, "the queue drains again")
        self.assertEqual(self._card()["amazon_dashboard_sqs_status"], "ok")

    @mute_logger(NOTIFICATION_LOGGER)
    def test_backlog_above_the_setting_alerts_and_clears_when_it_drains(self):
        set_setting(self.env, "amazon_sqs_backlog_alert", 5)
        self._send_foreign(20)
        # One batch of ten only: ten messages still wait in the queue.
        self._poll_sqs(batches=1)
        backlog = self.account.amazon_sqs_backlog
        self.assertGreater(backlog, 5)
        self.assertEqual(self._area("notifications")[0]["status"], "backlog")
        self.assertEqual(self._card()["amazon_dashboard_sqs_status"], "backlog")
        self.account._check_alerts()
        alert = self._alert("open")
        self.assertIn(f"{backlog} Amazon notifications were still waiting", alert.note)
        self.assertIn("back under 5 messages", alert.note)
        # The setting (Settings > Marketplaces) moves the limit.
        set_setting(self.env, "amazon_sqs_backlog_alert", 50)
        self.assertEqual(self._area("notifications")[0]["status"], "ok")
        set_setting(self.env, "amazon_sqs_backlog_alert", 5)
        # The next poll empties the queue: cleared.
        self._poll_sqs()
        self.assertEqual(self.account.amazon_sqs_backlog, 0)
        self.account._check_alerts()
        self.assertEqual(alert.state, "cleared")
        self.assertFalse(self._alert("open"))

    def test_late_threshold_follows_the_setting(self):
        self._poll_sqs()
        self._moved_back(45)
        self.assertEqual(self._area("notifications")[0]["status"], "late")
        set_setting(self.env, "amazon_sqs_late_minutes", 60)
        self.assertEqual(self._area("notifications")[0]["status"], "ok")
        # A value the form cannot mean (zero) keeps the default.
        set_setting(self.env, "amazon_sqs_late_minutes", 0)
        self.assertEqual(self._area("notifications")[0]["status"], "late")
        settings = self.env["res.config.settings"].create(
            {"marketplace_amazon_sqs_late_minutes": 90}
        )
        settings.execute()
        self.assertEqual(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(PARAM_PREFIX + "amazon_sqs_late_minutes"),
            "90",
        )
        self.assertEqual(self._area("notifications")[0]["status"], "ok")

    def test_disconnecting_clears_without_saying_it_drains(self):
        self._poll_sqs()
        self._moved_back(120)
        self.account._check_alerts()
        alert = self._alert("open")
        self.account.action_disconnect()
        self.account._check_alerts()
        self.assertEqual(alert.state, "cleared")
        self.assertIn("the account is now", alert.clear_reason)
