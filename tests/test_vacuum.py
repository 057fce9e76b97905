import json
from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged

from ..models.res_config_settings import PARAM_PREFIX


@tagged("post_install", "-at_install")
class TestVacuum(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # ir.cron runs the job in cursors of its own; in test mode they share
        # the test transaction and their commits become savepoints.
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        cls.account = cls.env["marketplace.account"].create(
            {"channel": "ebay", "name": "Vacuum seller", "environment": "sandbox"}
        )
        cls.cron = cls.env.ref("marketplace_connector.ir_cron_marketplace_vacuum")

    def setUp(self):
        super().setUp()
        # Only this test's rows: what other tests or demo data left is gone.
        self.env["marketplace.call"].search([]).unlink()
        self.env["marketplace.notification"].search([]).unlink()
        self.env["ir.cron.progress"].search([("cron_id", "=", self.cron.id)]).unlink()

    def _set(self, name, value):
        self.env["ir.config_parameter"].sudo().set_param(PARAM_PREFIX + name, value)

    def _age(self, records, days):
        records.flush_recordset()
        self.env.cr.execute(
            f"UPDATE {records._table} SET create_date = %s WHERE id IN %s",
            (fields.Datetime.now() - timedelta(days=days), tuple(records.ids)),
        )
        records.invalidate_recordset()
        return records

    def _attempts(self, count, days):
        Attempt = self.env["marketplace.call"]
        rows = Attempt.create(
            [
                {
                    "account_id": self.account.id,
                    "operation": "getOrders",
                    "state": "success",
                    "request_id": f"req-{days}-{i}",
                }
                for i in range(count)
            ]
        )
        return self._age(rows, days)

    def _notifications(self, state, days, count=1):
        rows = self.env["marketplace.notification"].create(
            [
                {
                    "account_id": self.account.id,
                    "notification_id": f"n-{state}-{days}-{i}",
                    "topic": "ORDER_CONFIRMATION",
                    "state": state,
                    "data": json.dumps({"orderId": "1"}),
                }
                for i in range(count)
            ]
        )
        return self._age(rows, days)

    def _run_cron(self):
        """Run the cron as the cron worker does (progress, commits, re-runs)."""
        self.env.flush_all()
        job = {
            **self.cron.read(load=None)[0],
            "done": 0,
            "remaining": 0,
            "timed_out_counter": 0,
        }
        self.registry["ir.cron"]._process_job(
            self.registry.db_name, self.registry.cursor(), job
        )
        self.env.invalidate_all()
        return self.env["ir.cron.progress"].search(
            [("cron_id", "=", self.cron.id), ("done", ">", 0)]
        )

    def test_cron_is_daily_and_active(self):
        self.assertTrue(self.cron.active)
        self.assertEqual(
            (self.cron.interval_number, self.cron.interval_type), (1, "days")
        )

    def test_old_rows_go_recent_and_unprocessed_stay(self):
        old_attempts = self._attempts(3, days=100)
        recent_attempts = self._attempts(2, days=10)
        old_done = self._notifications("done", days=100)
        old_new = self._notifications("new", days=100)
        old_error = self._notifications("error", days=100)
        recent_done = self._notifications("done", days=10)
        self._run_cron()
        self.assertFalse(old_attempts.exists())
        self.assertEqual(recent_attempts.exists(), recent_attempts)
        self.assertFalse(old_done.exists())
        kept = old_new | old_error | recent_done
        self.assertEqual(kept.exists(), kept, "pending, failed and recent stay")
        # ... but the old ones keep no data (it may name a buyer).
        self.assertEqual((old_new | old_error).mapped("data"), [False, False])
        self.assertTrue(recent_done.data)

    def test_small_batches_still_delete_every_old_row(self):
        self._set("vacuum_batch_size", 2)
        old_attempts = self._attempts(5, days=100)
        old_done = self._notifications("done", days=100, count=3)
        recent = self._attempts(1, days=1)
        # One run of the code deletes one batch per table, no more.
        self.assertEqual(self.env["marketplace.account"]._cron_vacuum(), 4)
        self.assertEqual(len(old_attempts.exists()), 3)
        self.assertEqual(len(old_done.exists()), 1)
        self.env["marketplace.call"].flush_model()
        # The cron worker runs it again (a commit each time) until done.
        batches = self._run_cron()
        self.assertFalse(old_attempts.exists())
        self.assertFalse(old_done.exists())
        self.assertTrue(recent.exists())
        # 3 attempts + 1 notification left, 2 per table and run: 2 runs.
        self.assertEqual(len(batches), 2)
        self.assertEqual(sum(batches.mapped("done")), 4)
        self.assertEqual(batches.sorted("id")[-1].remaining, 0)

    def test_retention_setting_takes_effect(self):
        attempts = self._attempts(2, days=20)
        done = self._notifications("done", days=20)
        self._run_cron()
        self.assertEqual(len(attempts.exists()), 2, "kept 90 days by default")
        self.assertTrue(done.exists())
        self._set("retention_days", 15)
        self._run_cron()
        self.assertFalse(attempts.exists())
        self.assertFalse(done.exists())

    def test_nothing_to_delete_is_one_quiet_run(self):
        self._attempts(1, days=1)
        self.assertEqual(self.env["marketplace.account"]._cron_vacuum(), 0)
        self.assertFalse(self._run_cron(), "no batch when nothing is old")
