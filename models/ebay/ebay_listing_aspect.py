"""Item specifics (eBay aspects) set by hand on a listing."""

from odoo import fields, models


class EbayListingAspect(models.Model):
    _name = "ebay.listing.aspect"
    _description = "eBay Item Specific"
    _inherit = ["marketplace.protected.fields.mixin"]

    # Set when the line is created on its listing; never moved to another
    # one (a line moved would take its company's record rule along).
    listing_id = fields.Many2one(
        "ebay.listing", required=True, ondelete="cascade", index=True, set_once=True
    )
    company_id = fields.Many2one(
        related="listing_id.company_id", store=True, index=True, system_field=True
    )
    name = fields.Char(required=True, size=40)
    value = fields.Char(required=True, size=50)
