"""eBay's order statuses in a seller's words, and the name of the tax eBay
collects (eBay Collect and Remit)."""

from odoo import models


class MarketplaceOrder(models.Model):
    _inherit = "marketplace.order"

    def _marketplace_status_words(self):
        if self.account_id.channel != "ebay":
            return super()._marketplace_status_words()
        _ = self.env._
        return {
            # orderPaymentStatus (OrderPaymentStatusEnum)
            "payment": {
                "PAID": _("Paid"),
                "PENDING": _("Payment pending"),
                "FAILED": _("Payment failed"),
                "FULLY_REFUNDED": _("Refunded"),
                "PARTIALLY_REFUNDED": _("Partly refunded"),
            },
            # orderFulfillmentStatus (OrderFulfillmentStatus)
            "fulfillment": {
                "NOT_STARTED": _("Not shipped yet"),
                "IN_PROGRESS": _("Partly shipped"),
                "FULFILLED": _("Shipped"),
            },
            # cancelStatus.cancelState (CancelStateEnum)
            "cancel": {
                "NONE_REQUESTED": _("None requested"),
                "IN_PROGRESS": _("Cancellation requested"),
                "CANCELED": _("Cancelled"),
            },
        }

    def _marketplace_collected_tax_words(self):
        if self.account_id.channel != "ebay":
            return super()._marketplace_collected_tax_words()
        return self.env._("eBay Collect and Remit")
