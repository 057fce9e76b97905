"""Item specifics (eBay aspects) set by hand on a listing."""

from odoo import fields, models


class EbayListingAspect(models.Model):
    _name = "ebay.listing.aspect"
    _description = "eBay Item Specific"

    listing_id = fields.Many2one("ebay.listing", required=True, ondelete="cascade")
    name = fields.Char(required=True, size=40)
    value = fields.Char(required=True, size=50)
