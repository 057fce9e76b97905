"""Data hygiene: old call logs and processed notifications are deleted.

A daily cron deletes calls and *processed* notifications older
than ``retention_days`` (Settings > Marketplaces), ``vacuum_batch_size`` rows per
batch.  Each run of the cron's code deletes one batch per table and reports
its progress to ir.cron, which commits and runs it again at once while rows
remain: no commit in this code, and a failure loses one batch at most.
Notifications that are new or in error keep their row, whatever their age,
but past the retention their data (which may name a buyer) is blanked.
The retention has a floor above the notifications' replay window (see
res_config_settings.SETTING_MINIMUMS).

"""

from odoo import api, models
from odoo.tools.sql import create_index


class MarketplaceVacuumMixin(models.AbstractModel):
    _name = "marketplace.vacuum.mixin"
    _description = "Marketplace rows deleted once old"

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
