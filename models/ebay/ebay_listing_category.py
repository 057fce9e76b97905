"""A listing shows its category in words (its own, else its product's); one
without a category points to where one is chosen: the product."""

from odoo import api, fields, models


class EbayListing(models.Model):
    _inherit = "ebay.listing"

    category_missing = fields.Boolean(
        compute="_compute_category_missing",
        help="Neither the listing nor its product has an eBay category.",
    )
    category_label = fields.Char(
        string="eBay category",
        compute="_compute_category_label",
        help="The listing's own category, else the one chosen on its product.",
    )

    @api.depends(
        "category_id", "product_id.product_tmpl_id.ebay_category_id", "account_id"
    )
    def _compute_category_label(self):
        Category = self.env["ebay.category"]
        for listing in self:
            listing.category_label = Category._listing_label(
                listing.account_id.ebay_marketplace_id,
                listing.category_id,
                listing.product_id.product_tmpl_id,
            )

    @api.depends(
        "category_id", "product_id.product_tmpl_id.ebay_category_id", "account_id"
    )
    def _compute_category_missing(self):
        for listing in self:
            # A new listing has no product yet: nothing is missing until one
            # is chosen (the form opens empty, with New).
            template = listing.product_id.product_tmpl_id
            listing.category_missing = bool(template) and not (
                listing.category_id
                or template._ebay_category_for(listing.marketplace_id)
            )

    def action_choose_category_on_product(self):
        self.ensure_one()
        return self.product_id.product_tmpl_id.action_edit_ebay_details()
