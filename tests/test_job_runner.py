"""The job runner check: a job of the connector's channels waiting with no
runner to take it shows in the health report, the health URL and on the
dashboard (models/marketplace/marketplace_account_job_runner.py)."""

from freezegun import freeze_time

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.queue_job.job import Job

from .common import ago
from .ebay_common import EbayAccountMixin, EbayCase, EbayEmulatorMixin

STOPPED = "The job runner is not running: 1 job has waited more than 2 minutes."


class JobRunnerMixin:
    def _queue_poll(self, account, minutes_ago):
        """Queue an order poll of ``account`` as queue_job does, that many
        minutes ago (the runner never took it)."""
        with freeze_time(ago(minutes=minutes_ago)):
            return account.with_delay()._job_poll_orders().db_record()

    def _start(self, job_record):
        """What the runner does with a job it takes: enqueue, then start it."""
        job = Job.load(self.env, job_record.uuid)
        job.set_enqueued()
        job.set_started()
        job.store()


@tagged("post_install", "-at_install")
class TestJobRunnerCheck(JobRunnerMixin, EbayCase):
    def setUp(self):
        super().setUp()
        self.account = self._connect(self._new_account(name="Runner seller"))
        self.Account = self.env["marketplace.account"]

    def test_due_job_with_no_runner_is_the_problem(self):
        self.assertFalse(self.Account._marketplace_job_runner_problem())
        job = self._queue_poll(self.account, minutes_ago=5)
        self.assertEqual(job.state, "pending")
        self.assertEqual(job.channel, "root.ebay.order")
        problem = self.Account._marketplace_job_runner_problem()
        self.assertTrue(problem.startswith(STOPPED), problem)
        area = self.account._health_report()[0]["areas"]["jobs"]
        self.assertEqual(
            area,
            {
                "status": "not_running",
                "healthy": False,
                "waiting": 1,
                "late_minutes": 2,
            },
        )
        self.assertFalse(self.account._health_report()[0]["healthy"])

    def test_a_job_waiting_less_than_the_threshold_is_no_problem(self):
        self._queue_poll(self.account, minutes_ago=1)
        self.assertFalse(self.Account._marketplace_job_runner_problem())
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_connector.job_runner_late_minutes", "10"
        )
        self._queue_poll(self.account, minutes_ago=5)
        self.assertFalse(self.Account._marketplace_job_runner_problem())
        self._queue_poll(self.account, minutes_ago=11)
        self.assertIn(
            "1 job has waited more than 10 minutes",
            self.Account._marketplace_job_runner_problem(),
        )

    def test_a_job_started_recently_clears_it(self):
        waiting = self._queue_poll(self.account, minutes_ago=5)
        taken = self._queue_poll(self.account, minutes_ago=6)
        self.assertTrue(self.Account._marketplace_job_runner_problem())
        # The runner is back: it takes one job; the other waits its turn.
        self._start(taken)
        self.assertEqual(taken.state, "started")
        self.assertEqual(waiting.state, "pending")
        self.assertFalse(self.Account._marketplace_job_runner_problem())
        area = self.account._health_report()[0]["areas"]["jobs"]
        self.assertEqual((area["status"], area["healthy"]), ("ok", True))

    def test_a_job_not_yet_due_or_of_another_addon_does_not_count(self):
        in_a_minute = ago(minutes=-1)
        with freeze_time(ago(minutes=10)):
            # Queued ten minutes ago to run a minute from now: not due yet.
            self.account.with_delay(eta=in_a_minute)._job_poll_orders()
            # Another addon's job in the root channel: not the connector's work.
            other = self.env.user.partner_id.with_delay()._compute_display_name()
        self.assertEqual(other.db_record().channel, "root")
        self.assertFalse(self.Account._marketplace_job_runner_problem())

    def test_the_dashboard_card_says_it(self):
        user = new_test_user(
            self.env,
            login="runner-user",
            groups="marketplace_connector.group_marketplace_user",
        )
        as_user = self.account.with_user(user)
        self.assertFalse(as_user.dashboard_job_runner_problem)
        self._queue_poll(self.account, minutes_ago=3)
        as_user.invalidate_recordset(["dashboard_job_runner_problem"])
        self.assertTrue(as_user.dashboard_job_runner_problem.startswith(STOPPED))
        # The card shows the field at its top, only while it is set.
        arch = (
            self.env["marketplace.account"]
            .with_user(user)
            .get_view(
                self.env.ref(
                    "marketplace_connector.marketplace_account_view_kanban_dashboard"
                ).id,
                "kanban",
            )["arch"]
        )
        self.assertIn('t-if="record.dashboard_job_runner_problem.raw_value"', arch)
        self.assertIn('<field name="dashboard_job_runner_problem"', arch)


@tagged("post_install", "-at_install")
class TestJobRunnerHealthUrl(
    JobRunnerMixin, EbayAccountMixin, EbayEmulatorMixin, HttpCase
):
    NAME = "Runner Health Shop"

    def setUp(self):
        super().setUp()
        self.env["marketplace.account"].search([]).write({"active": False})
        self.account = self._connect(self._new_account(name=self.NAME))
        self.account.connected_since = ago(minutes=5)

    def _get(self):
        self.env.flush_all()
        return self.url_open("/marketplace/health", allow_redirects=False)

    def test_health_url_says_the_runner_is_not_running(self):
        response = self._get()
        self.assertEqual(
            (response.status_code, response.json()), (200, {"status": "ok"})
        )
        self._queue_poll(self.account, minutes_ago=5)
        # A stranger learns the aggregate status, nothing else.
        response = self._get()
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json(), {"status": "degraded"})
        self.assertNotIn(self.NAME, response.text)
        # A manager sees which area.
        self.authenticate("admin", "admin")
        response = self._get()
        self.assertEqual(response.status_code, 503)
        [entry] = [e for e in response.json()["accounts"] if e["name"] == self.NAME]
        self.assertEqual(entry["jobs"], "not_running")
        self.assertEqual(entry["details"]["jobs"], {"waiting": 1, "late_minutes": 2})
        self.assertEqual(
            (entry["tokens"], entry["order_import"], entry["stock_push"]),
            ("ok", "ok", "ok"),
            "the jobs alone make it degraded",
        )
