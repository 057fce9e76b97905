"""Amazon's order statuses in a seller's words, and the name of the tax Amazon
collects (marketplace facilitator tax)."""

from odoo import models


class MarketplaceOrder(models.Model):
    _inherit = "marketplace.order"

    def _marketplace_status_words(self):
        if self.account_id.channel != "amazon":
            return super()._marketplace_status_words()
        _ = self.env._
        return {
            # fulfillment.fulfillmentStatus (FulfillmentStatus); Amazon says
            # payment and cancellation through it too.
            "fulfillment": {
                "PENDING": _("Waiting for the buyer's payment"),
                "PENDING_AVAILABILITY": _("Pre-order, not released yet"),
                "UNSHIPPED": _("Not shipped yet"),
                "PARTIALLY_SHIPPED": _("Partly shipped"),
                "SHIPPED": _("Shipped"),
                "CANCELLED": _("Cancelled"),
                "UNFULFILLABLE": _("Amazon cannot fulfil it"),
            },
            "cancel": {"CANCELLED": _("Cancelled")},
        }

    def _marketplace_collected_tax_words(self):
        if self.account_id.channel != "amazon":
            return super()._marketplace_collected_tax_words()
        return self.env._("Amazon's marketplace facilitator tax")
