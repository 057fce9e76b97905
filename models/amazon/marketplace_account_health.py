"""Amazon's stock-push figures in the account health report.

A listing counts as waiting from its mark until Amazon accepted its values:
while its feed waits in Amazon's queue it still waits, so a queue of hours
shows as a late stock push, which it is."""

from odoo import models


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    def _marketplace_health_stock_summary(self):
        if self[:1].channel != "amazon":
            return super()._marketplace_health_stock_summary()
        if not self.ids:
            return {}
        groups = (
            self.env["amazon.listing"]
            .sudo()
            ._read_group(
                [
                    ("account_id", "in", self.ids),
                    ("push_pending", "=", True),
                    ("is_live", "=", True),
                    ("push_deferred", "=", False),
                ],
                ["account_id"],
                ["__count", "push_marked_at:min", "push_error:count"],
            )
        )
        return {
            account.id: (count, oldest or False, bool(errors))
            for account, count, oldest, errors in groups
        }
