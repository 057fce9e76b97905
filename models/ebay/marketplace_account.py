"""eBay joins the neutral account as a channel (the way a payment provider adds
its code): the selection value here, eBay's behaviour in the files beside."""

from odoo import fields, models


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    channel = fields.Selection(
        selection_add=[("ebay", "eBay")], ondelete={"ebay": "cascade"}
    )
