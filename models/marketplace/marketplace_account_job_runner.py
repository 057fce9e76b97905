"""Whether queue_job's job runner takes this addon's jobs.

Every marketplace call runs as a queued job, so without a runner (Odoo
started without ``queue_job`` in its server-wide modules, or with the root
channel at capacity 0) nothing is published, imported or pushed, and the
jobs only wait.  The rule: jobs of the addon's channels are due and have
waited longer than ``job_runner_late_minutes`` while no job at all (of any
channel: one runner serves them all) was enqueued or started within that
time.  A runner that is merely busy keeps enqueuing and starting jobs, so it
does not count as stopped; a due job that waits a few seconds for its turn
is not late.

The health report shows it as the area "jobs" of every account; the
dashboard as a banner on each account's card.
"""

from datetime import timedelta

from odoo import api, fields, models

from ..res_config_settings import get_setting

ADDON = "marketplace_connector"


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    dashboard_job_runner_problem = fields.Char(
        string="Job runner problem",
        compute="_compute_dashboard_job_runner_problem",
        help="Set when this addon's jobs wait and no job runner takes them.",
    )

    def _compute_dashboard_job_runner_problem(self):
        problem = self._marketplace_job_runner_problem() if self else False
        for account in self:
            account.dashboard_job_runner_problem = problem

    @api.model
    def _marketplace_job_channels(self):
        """The complete names of the queue channels this addon declares
        (data/queue_job_channel_data.xml): its jobs run in them."""
        channel_ids = (
            self.env["ir.model.data"]
            .sudo()
            .search([("module", "=", ADDON), ("model", "=", "queue.job.channel")])
            .mapped("res_id")
        )
        return (
            self.env["queue.job.channel"]
            .sudo()
            .browse(channel_ids)
            .exists()
            .mapped("complete_name")
        )

    @api.model
    def _marketplace_job_runner_waiting(self, now=None):
        """(jobs of the addon's channels due and waiting longer than the
        threshold, the threshold in minutes) while no job was enqueued or
        started within it; (0, minutes) otherwise."""
        now = now or fields.Datetime.now()
        minutes = get_setting(self.env, "job_runner_late_minutes")
        since = now - timedelta(minutes=minutes)
        Job = self.env["queue.job"].sudo()
        if Job.search_count(
            ["|", ("date_enqueued", ">=", since), ("date_started", ">=", since)],
            limit=1,
        ):
            return 0, minutes
        # A job is due once its eta (if any) has passed; it has waited since
        # then, or since it was created.
        waiting = Job.search_count(
            [
                ("state", "=", "pending"),
                ("channel", "in", self._marketplace_job_channels()),
                ("date_created", "<=", since),
                "|",
                ("eta", "=", False),
                ("eta", "<=", since),
            ]
        )
        return waiting, minutes

    @api.model
    def _marketplace_job_runner_problem(self, now=None):
        """A sentence saying the job runner is not running, or False."""
        waiting, minutes = self._marketplace_job_runner_waiting(now)
        if not waiting:
            return False
        if waiting == 1:
            return self.env._(
                "The job runner is not running: 1 job has waited more than "
                "%(m)s minutes. Nothing reaches the marketplaces until whoever "
                "runs Odoo starts it.",
                m=minutes,
            )
        return self.env._(
            "The job runner is not running: %(n)s jobs have waited more than "
            "%(m)s minutes. Nothing reaches the marketplaces until whoever "
            "runs Odoo starts it.",
            n=waiting,
            m=minutes,
        )

    def _marketplace_health_areas(self, now):
        areas = super()._marketplace_health_areas(now)
        # One answer for the whole database, asked again for each account:
        # two counts.  (Remembering it in the transaction keyed by ``now``,
        # which has whole seconds, gave a stale answer to a report made in
        # the same second after a job was queued.)
        waiting, minutes = self._marketplace_job_runner_waiting(now)
        areas["jobs"] = {
            "status": "not_running" if waiting else "ok",
            "healthy": not waiting,
            "waiting": waiting,
            "late_minutes": minutes,
        }
        return areas
