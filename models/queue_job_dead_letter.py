"""Marketplace jobs that failed for good are dead letters.

Out of tries: a job whose records have no dead-letter state of their own
(account jobs, notifications) is parked here by the job edge as a failed
job that runs again, with all its tries, when requeued (job_edge.py).
Any other failure (an unexpected error) lands here as queue_job marks
the job failed.  A marketplace job is a :func:`job_edge.marketplace_job`
method, whatever its channel.
"""

import logging

from odoo import models

_logger = logging.getLogger(__name__)


class QueueJob(models.Model):
    _inherit = "queue.job"

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") in ("failed", "done"):
            jobs = self.filtered(lambda j: j._is_marketplace_job())
            if jobs:
                jobs._marketplace_dead_letter_update(vals["state"])
        return result

    def _is_marketplace_job(self):
        self.ensure_one()
        if self.model_name not in self.env:
            return False
        method = getattr(type(self.env[self.model_name]), self.method_name or "", None)
        return getattr(method, "is_marketplace_job", False)

    def _marketplace_dead_letter_update(self, state):
        """The letter is secondary, the job's own state is not: a problem
        here must never keep queue_job from recording the outcome."""
        Letter = self.env["marketplace.dead.letter"]
        try:
            with self.env.cr.savepoint():
                if state == "done":
                    Letter._report_recoveries(self)
                else:
                    Letter._report_failures(
                        [
                            failure
                            for job in self
                            if (failure := job._marketplace_failure())
                        ]
                    )
        except Exception:
            _logger.exception("Could not update the dead letters of jobs %s", self.ids)

    def _marketplace_failure(self):
        records = self.sudo().records.exists()
        account = self.env["marketplace.account"]
        if records._name == "marketplace.account":
            account = records[:1]
        elif "account_id" in records._fields:
            account = records[:1].account_id
        elif "dead_letter_open" in records._fields:
            # A dead-letter source finds its account (a delivery: its order's).
            account = records[:1]._dead_letter_account()
        if not account:
            return None
        return {
            "record": self,
            "account": account,
            "kind": "job",
            "name": self.name or self.func_string,
            "error": self.exc_message or self.exc_name or False,
            "attempts": self.retry or 1,
        }

    def _dead_letter_requeue(self):
        # Marketplace staff requeue marketplace jobs from the inbox without
        # being queue_job managers; access to the letter was checked.
        self.sudo().requeue()
