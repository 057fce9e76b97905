"""What can give up, and how each kind is tried again from the inbox."""

import logging

from odoo import models

from ... import const

_logger = logging.getLogger(__name__)


class EbayListing(models.Model):
    _name = "ebay.listing"
    _inherit = ["ebay.listing", "marketplace.dead.letter.source"]

    _dead_letter_kind = "listing"
    _dead_letter_ok_states = ("published", "ended")
    _dead_letter_attempts_field = "retry_count"

    def _dead_letter_requeue(self):
        self.action_requeue()


class EbayListingGroup(models.Model):
    _name = "ebay.listing.group"
    _inherit = ["ebay.listing.group", "marketplace.dead.letter.source"]

    _dead_letter_kind = "listing_group"
    _dead_letter_ok_states = ("published", "ended")
    _dead_letter_attempts_field = "retry_count"

    def _dead_letter_requeue(self):
        self.action_requeue()


class MarketplaceOrder(models.Model):
    _name = "marketplace.order"
    _inherit = ["marketplace.order", "marketplace.dead.letter.source"]

    _dead_letter_kind = "order"
    _dead_letter_failed_states = ("flagged",)
    _dead_letter_ok_states = ("imported", "cancelled")
    _dead_letter_error_field = "flag_reason"

    def _dead_letter_requeue(self):
        self.action_retry()


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "marketplace.dead.letter.source"]

    _dead_letter_kind = "tracking"
    _dead_letter_state_field = "marketplace_tracking_state"
    _dead_letter_failed_states = ("error",)
    _dead_letter_ok_states = ("sent",)
    _dead_letter_error_field = "marketplace_tracking_error"

    def _dead_letter_account(self):
        # The user validating the delivery may not read eBay orders.
        return self.sudo()._marketplace_order().account_id

    def _dead_letter_requeue(self):
        self.action_resend_tracking()


class QueueJob(models.Model):
    """eBay jobs that failed for good.

    Out of tries: a job whose records have no dead-letter state of their own
    (account jobs, notifications) is parked here by the job edge as a failed
    job that runs again, with all its tries, when requeued (job_edge.py).
    Any other failure (an unexpected error) lands here as queue_job marks
    the job failed.
    """

    _inherit = "queue.job"

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") in ("failed", "done"):
            jobs = self.filtered(
                lambda j: (j.channel or "").startswith(const.JOB_CHANNEL_ROOT)
            )
            if jobs:
                jobs._marketplace_dead_letter_update(vals["state"])
        return result

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
                        [failure for job in self if (failure := job._ebay_failure())]
                    )
        except Exception:
            _logger.exception("Could not update the dead letters of jobs %s", self.ids)

    def _ebay_failure(self):
        records = self.sudo().records.exists()
        account = self.env["marketplace.account"]
        if records._name == "marketplace.account":
            account = records[:1]
        elif "account_id" in records._fields:
            account = records[:1].account_id
        elif records._name == "stock.picking":
            account = records[:1]._marketplace_order().account_id
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
        # Marketplace staff requeue eBay jobs from the inbox without being
        # queue_job managers; access to the letter was checked.
        self.sudo().requeue()
