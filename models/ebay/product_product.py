"""Products know their eBay listings, and can be listed in bulk."""

from odoo import fields, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    ebay_listing_ids = fields.One2many(
        "ebay.listing", "product_id", string="eBay listings"
    )
    ebay_listing_count = fields.Integer(compute="_compute_ebay_listing_count")

    def _compute_ebay_listing_count(self):
        for product in self:
            product.ebay_listing_count = len(product.ebay_listing_ids)

    def _ebay_listings_for(self, account):
        """The listing of each product on ``account``, created when missing."""
        Listing = self.env["ebay.listing"]
        existing = Listing.search(
            [("account_id", "=", account.id), ("product_id", "in", self.ids)]
        )
        missing = self - existing.product_id
        # The condition chosen on the product; its category and item
        # specifics are read from the product while the listing has none.
        created = Listing.create(
            [
                {
                    "account_id": account.id,
                    "product_id": p.id,
                    "condition": p.product_tmpl_id.ebay_condition or "NEW",
                }
                for p in missing
            ]
        )
        return existing | created

    def action_open_ebay_listings(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("eBay listings"),
            "res_model": "ebay.listing",
            "view_mode": "list,form",
            "domain": [("product_id", "in", self.ids)],
        }
