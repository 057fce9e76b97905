"""What an eBay listing shows a seller: its item page on eBay, its images,
a warning for an empty description; and a listing made by hand takes its
title from the product.  Display and form help only: nothing here calls eBay.
"""

from odoo import api, fields, models
from odoo.tools import html2plaintext

from ...ebay import payloads
from .item_pages import item_url


class EbayListing(models.Model):
    _inherit = "ebay.listing"

    description_missing = fields.Boolean(compute="_compute_description_missing")
    image_gallery = fields.Html(string="Images", compute="_compute_image_gallery")
    product_image = fields.Image(
        related="product_id.image_1920", string="Product image"
    )

    def _marketplace_item_url(self):
        # The site of the listing's offer: one listing per marketplace.
        return item_url(self.account_id, self.ebay_listing_id, self.marketplace_id)

    @api.depends("description")
    def _compute_description_missing(self):
        for listing in self:
            listing.description_missing = not html2plaintext(
                listing.description or ""
            ).strip()

    @api.depends("image_urls", "media_image_url")
    def _compute_image_gallery(self):
        for listing in self:
            urls = listing._listing_image_urls()
            listing.image_gallery = (
                self.env["ir.qweb"]._render(
                    "marketplace_connector.ebay_listing_image_gallery",
                    {"urls": urls, "uploaded": not listing.image_urls},
                )
                if urls
                else False
            )

    @api.onchange("product_id")
    def _onchange_product_id_fill(self):
        super()._onchange_product_id_fill()
        if self.product_id and not self.is_live and self.state == "draft":
            self.title = (self.product_id.name or "")[: payloads.TITLE_MAX]
            if not self.description and self.product_id.description_sale:
                self.description = self.product_id.description_sale

    def _marketplace_local_problems(self):
        if self.pending_operation:
            return None  # eBay's refusal: only eBay tells whether it is fixed
        return [message for _field, message in self._problems()]

    def _marketplace_resting_state(self):
        if not self.is_live and self.ebay_listing_id:
            return "ended"
        return super()._marketplace_resting_state()
