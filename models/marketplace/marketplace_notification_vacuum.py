"""Processed notifications are vacuumed, old unprocessed ones scrubbed
(see marketplace_vacuum_mixin.py)."""

from odoo import api, models


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
