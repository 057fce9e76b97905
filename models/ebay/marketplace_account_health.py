"""eBay's stock-push figures in the account health report."""

from odoo import models


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    def _marketplace_stock_listing_model(self):
        if self.channel != "ebay":
            return super()._marketplace_stock_listing_model()
        return "ebay.listing"
