"""eBay's ship-by time of an order: the earliest of its line items'
``lineItemFulfillmentInstructions.shipByDate`` (Fulfillment API)."""

import json

from odoo import models

from .marketplace_order import parse_ebay_datetime


class MarketplaceOrder(models.Model):
    _inherit = "marketplace.order"

    def _marketplace_ship_by(self):
        if self.account_id.channel != "ebay":
            return super()._marketplace_ship_by()
        try:
            data = json.loads(self.payload or "{}")
        except ValueError:
            return None
        dates = [
            parse_ebay_datetime(
                (line.get("lineItemFulfillmentInstructions") or {}).get("shipByDate")
            )
            for line in (data.get("lineItems") or [])
            if isinstance(line, dict)
        ]
        dates = [d for d in dates if d]
        return min(dates) if dates else None
