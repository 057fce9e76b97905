"""The daily cron that vacuums the call log and the notification inbox
(see marketplace_vacuum_mixin.py)."""

from datetime import timedelta

from odoo import api, fields, models

from ..res_config_settings import get_setting


def _cutoff(env):
    return fields.Datetime.now() - timedelta(days=get_setting(env, "retention_days"))


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    @api.model
    def _cron_vacuum(self):
        """Cron: delete one batch of expired calls and notifications.

        Reports progress to ir.cron, which commits and calls this again while
        rows remain (up to its per-run limit, then it reschedules at once).
        Returns the number of rows deleted.
        """
        cutoff = _cutoff(self.env)
        size = get_setting(self.env, "vacuum_batch_size")
        done = left = 0
        for model in ("marketplace.call", "marketplace.notification"):
            deleted, remaining = self.env[model]._vacuum_batch(cutoff, size)
            done += deleted
            left += remaining
        scrubbed, remaining = self.env["marketplace.notification"]._vacuum_scrub(
            cutoff, size
        )
        done += scrubbed
        left += remaining

        self.env["ir.cron"]._notify_progress(done=done, remaining=left)
        return done
