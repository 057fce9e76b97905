"""What a variation listing shows a seller: its item page on eBay and a
warning for an empty description.  Display only: nothing here calls eBay."""

from odoo import api, fields, models
from odoo.tools import html2plaintext

from .item_pages import item_url


class EbayListingGroup(models.Model):
    _inherit = "ebay.listing.group"

    marketplace_url = fields.Char(
        string="On eBay",
        compute="_compute_marketplace_url",
        help="The listing's page on eBay, as buyers see it.",
    )
    description_missing = fields.Boolean(compute="_compute_description_missing")

    @api.depends("ebay_listing_id", "account_id.environment")
    def _compute_marketplace_url(self):
        for group in self:
            group.marketplace_url = item_url(group.account_id, group.ebay_listing_id)

    @api.depends("description")
    def _compute_description_missing(self):
        for group in self:
            group.description_missing = not html2plaintext(
                group.description or ""
            ).strip()
