"""Amazon's stock-push figures in the account health report.

A listing counts as waiting from its mark until Amazon accepted its values:
while its feed waits in Amazon's queue it still waits, so a queue of hours
shows as a late stock push, which it is."""

from odoo import models


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    def _marketplace_stock_listing_model(self):
        if self.channel != "amazon":
            return super()._marketplace_stock_listing_model()
        return "amazon.listing"
