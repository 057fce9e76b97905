"""What a product template says to eBay before any listing exists (its
category, condition and item specifics), and the eBay listings of its
variants."""

from odoo import fields, models

from .ebay_listing import CONDITIONS


class ProductTemplate(models.Model):
    _inherit = "product.template"

    ebay_listing_count = fields.Integer(compute="_compute_ebay_listing_count")
    ebay_category_id = fields.Many2one(
        "ebay.category",
        string="eBay category",
        help="The leaf category this product's eBay listings are filed under.",
    )
    ebay_condition = fields.Selection(
        CONDITIONS, string="eBay condition", default="NEW"
    )
    ebay_aspect_ids = fields.One2many(
        "ebay.product.aspect",
        "product_tmpl_id",
        string="eBay item specifics",
    )

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
