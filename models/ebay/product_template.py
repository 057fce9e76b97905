"""Templates show the eBay listings of their variants."""

from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    ebay_listing_count = fields.Integer(compute="_compute_ebay_listing_count")

    def _compute_ebay_listing_count(self):
        counts = dict(
            self.env["ebay.listing"]._read_group(
                [("product_id.product_tmpl_id", "in", self.ids)],
                ["product_id"],
                ["__count"],
            )
        )
        for template in self:
            template.ebay_listing_count = sum(
                counts.get(variant, 0) for variant in template.product_variant_ids
            )

    def action_open_ebay_listings(self):
        return self.product_variant_ids.action_open_ebay_listings()
