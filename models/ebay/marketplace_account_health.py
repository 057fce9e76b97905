"""eBay's stock-push figures in the account health report."""

from odoo import models


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    def _marketplace_health_stock_summary(self):
        if self[:1].channel != "ebay":
            return super()._marketplace_health_stock_summary()
        if not self.ids:
            return {}
        groups = (
            self.env["ebay.listing"]
            .sudo()
            ._read_group(
                [
                    ("account_id", "in", self.ids),
                    ("push_pending", "=", True),
                    ("is_live", "=", True),
                    # Deferred to tomorrow by the revision budget: waiting by
                    # design, neither late nor failing.
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
