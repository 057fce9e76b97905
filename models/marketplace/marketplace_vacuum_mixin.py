"""Data hygiene: old call logs and processed notifications are deleted.

A daily cron deletes publish attempts and *processed* notifications older
than ``retention_days`` (Settings > eBay), ``vacuum_batch_size`` rows per
batch.  Each run of the cron's code deletes one batch per table and reports
its progress to ir.cron, which commits and runs it again at once while rows
remain: no commit in this code, and a failure loses one batch at most.
Notifications that are new or in error keep their row, whatever their age,
but past the retention their data (which may name a buyer) is blanked.
The retention has a floor above the notifications' replay window (see
res_config_settings.SETTING_MINIMUMS).

"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools.sql import create_index

from ..res_config_settings import get_setting


def _cutoff(env):
    return fields.Datetime.now() - timedelta(days=get_setting(env, "retention_days"))


class MarketplaceVacuumMixin(models.AbstractModel):
    _name = "marketplace.vacuum.mixin"
    _description = "eBay rows deleted once old"

    @api.model
    def _vacuum_domain(self, cutoff):
        return [("create_date", "<", cutoff)]

    @api.model
    def _vacuum_batch(self, cutoff, batch_size):
        """Delete the oldest batch of expired rows; return (deleted, left)."""
        Model = self.sudo().with_context(active_test=False)
        domain = self._vacuum_domain(cutoff)
        batch = Model.search(domain, order="id", limit=batch_size)
        batch.unlink()
        left = Model.search_count(domain) if len(batch) == batch_size else 0
        return len(batch), left

    def _vacuum_index(self):
        # The vacuum filters on create_date: keep that cheap on big tables.
        create_index(
            self.env.cr,
            f"{self._table}_create_date_index",
            self._table,
            ["create_date"],
        )


class MarketplaceCall(models.Model):
    _name = "marketplace.call"
    _inherit = ["marketplace.call", "marketplace.vacuum.mixin"]

    def init(self):
        super().init()
        self._vacuum_index()


class MarketplaceNotification(models.Model):
    _name = "marketplace.notification"
    _inherit = ["marketplace.notification", "marketplace.vacuum.mixin"]

    def init(self):
        super().init()
        self._vacuum_index()

    @api.model
    def _vacuum_domain(self, cutoff):
        # Only processed ones: new or failed notifications wait for a person.
        return super()._vacuum_domain(cutoff) + [("state", "=", "done")]

    @api.model
    def _vacuum_scrub(self, cutoff, batch_size):
        """Old notifications that never got processed keep their row for a
        person to look at, but not their data (a buyer's username, for an
        account deletion): past the retention, nobody replays them."""
        Model = self.sudo()
        domain = [
            ("create_date", "<", cutoff),
            ("state", "!=", "done"),
            ("data", "!=", False),
        ]
        batch = Model.search(domain, order="id", limit=batch_size)
        batch.write({"data": False})
        left = Model.search_count(domain) if len(batch) == batch_size else 0
        return len(batch), left


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    @api.model
    def _cron_vacuum(self):
        """Cron: delete one batch of expired attempts and notifications.

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
